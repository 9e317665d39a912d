package io.routewatch.state;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.pg.LocalPostgres;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.StateQueryGrpc;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** State as a running app on a real PostgreSQL: health, metrics, gRPC, database outages. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class StateServiceTest {
  @TestHTTPResource("/")
  URL base;

  @Test
  void healthAndMetrics() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("routewatch_state_ingest_streams_connected"))
        .body(containsString("routewatch_state_journal_last_sequence"));
  }

  @Test
  void statsOverGrpc() throws InterruptedException {
    ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      GetStatsResponse r =
          StateQueryGrpc.newBlockingStub(ch)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getStats(GetStatsRequest.getDefaultInstance());
      assertEquals(0, r.getEventsApplied());
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Readiness follows the database: DOWN while PostgreSQL is stopped, UP again after, no restart. */
  @Test
  void readinessFollowsDatabase() throws Exception {
    LocalPostgres pg = PostgresTestResource.current();
    pg.stopServer();
    try {
      awaitReady(503, Duration.ofSeconds(30));
    } finally {
      pg.restart();
    }
    awaitReady(200, Duration.ofSeconds(30));
  }

  private static void awaitReady(int status, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = given().when().get("/q/health/ready").then().extract().statusCode();
      if (last == status) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("readiness stayed " + last + ", expected " + status);
  }
}
