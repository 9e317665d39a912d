package io.routewatch.alert;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.AlertServiceGrpc;
import io.routewatch.proto.v1.GetStatusRequest;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Alert as a running app on a real PostgreSQL, with no state to subscribe to. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class AlertServiceTest {
  @TestHTTPResource("/")
  URL base;

  @Test
  void liveButNotReadyWithoutState() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'state-change-stream' }.status", equalTo("DOWN"))
        .body("checks.find { it.name.contains('datasource') || it.name.contains('Database') }.status", equalTo("UP"));
  }

  @Test
  void metricsShowTheLink() {
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("routewatch_alert_state_link_connected 0.0"));
  }

  @Test
  void statusOverGrpc() throws InterruptedException {
    ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      assertFalse(
          AlertServiceGrpc.newBlockingStub(ch)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getStatus(GetStatusRequest.getDefaultInstance())
              .getStateConnected());
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
