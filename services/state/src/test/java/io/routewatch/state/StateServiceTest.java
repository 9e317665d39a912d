package io.routewatch.state;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.pg.LocalPostgres;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.GetOriginPrefixesRequest;
import io.routewatch.proto.v1.GetRovRequest;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.SetWatchedSpaceRequest;
import io.routewatch.proto.v1.SetWatchedSpaceResponse;
import io.routewatch.proto.v1.StateChangesGrpc;
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
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
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

  /**
   * GetRov and /api/v1/rov are wired: argument checks first, then "RPKI is off" (no VRP source).
   */
  @Test
  void rovIsOffWithoutVrpSource() throws InterruptedException {
    given()
        .when()
        .get("/api/v1/rov?asn=AS64500")
        .then()
        .statusCode(409)
        .body("error", containsString("routewatch.state.rpki.file"));
    given()
        .when()
        .get("/api/v1/rov")
        .then()
        .statusCode(400)
        .body("error", equalTo("give exactly one of prefix, asn"));
    given().when().get("/api/v1/rov?asn=AS1&limit=0").then().statusCode(400);
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      StateQueryGrpc.StateQueryBlockingStub stub =
          StateQueryGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS);
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> stub.getRov(GetRovRequest.newBuilder().setAsn(1).setLimit(20_000).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      e =
          assertThrows(
              StatusRuntimeException.class,
              () -> stub.getRov(GetRovRequest.newBuilder().setPrefix("192.0.2.0/24").build()));
      assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** GetOriginPrefixes (watch generate) is wired: no AS is refused, an unknown AS has none. */
  @Test
  void originPrefixesAreWired() throws InterruptedException {
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      StateQueryGrpc.StateQueryBlockingStub stub =
          StateQueryGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS);
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> stub.getOriginPrefixes(GetOriginPrefixesRequest.getDefaultInstance()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertEquals(
          0,
          stub.getOriginPrefixes(GetOriginPrefixesRequest.newBuilder().addAsns(64500).build())
              .getPrefixesCount());
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * SetWatchedSpace is wired: the space is taken, counted and kept in PostgreSQL (on a worker
   * thread: on the event loop the save was refused as a blocking call and only logged), a bad
   * prefix is refused naming it, and an empty request watches nothing again.
   */
  @Test
  void watchedSpaceIsWired() throws InterruptedException {
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      StateChangesGrpc.StateChangesBlockingStub stub =
          StateChangesGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS);
      Prefix p =
          Prefix.newBuilder()
              .setAfi(Afi.IPV4)
              .setAddress(ByteString.copyFrom(new byte[] {(byte) 198, 51, 100}))
              .setLength(24)
              .build();
      SetWatchedSpaceResponse r =
          stub.setWatchedSpace(
              SetWatchedSpaceRequest.newBuilder().addPrefixes(p).addAsns(64500).build());
      assertEquals(1, r.getPrefixes());
      assertEquals(1, r.getAsns());
      // kept in PostgreSQL: no save failure counted (the counter exists only once one happened;
      // read from /q/metrics, as this class also runs against the packaged jar, StateServiceIT)
      String failed =
          given()
              .when()
              .get("/q/metrics")
              .then()
              .statusCode(200)
              .extract()
              .asString()
              .lines()
              .filter(l -> l.startsWith("routewatch_state_watched_space_save_failures_total"))
              .filter(l -> !l.endsWith(" 0.0"))
              .findFirst()
              .orElse("");
      assertEquals("", failed, "the space kept in PostgreSQL");
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  stub.setWatchedSpace(
                      SetWatchedSpaceRequest.newBuilder()
                          .addPrefixes(p.toBuilder().setLength(40))
                          .build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertEquals(true, e.getStatus().getDescription().startsWith("prefixes[0]: "), e.toString());
      r = stub.setWatchedSpace(SetWatchedSpaceRequest.getDefaultInstance());
      assertEquals(0, r.getPrefixes() + r.getAsns() + r.getReported());
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Readiness follows the database: DOWN while PostgreSQL is stopped, UP again after, no restart.
   */
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
