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
        .body(
            "checks.find { it.name.contains('datasource') || it.name.contains('Database') }.status",
            equalTo("UP"));
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
  void watchListOverRestSaysWhatIsWrong() {
    given()
        .contentType("application/json")
        .body("{\"kind\":\"ASX\",\"value\":\"AS1\"}")
        .post("/api/v1/watch")
        .then()
        .statusCode(400)
        .body("error", equalTo("kind 'ASX' must be ASN, PREFIX or COUNTRY"));
    given()
        .contentType("application/json")
        .body("{\"kind\":\"PREFIX\",\"value\":\"175.45.176.1/22\"}")
        .post("/api/v1/watch")
        .then()
        .statusCode(400)
        .body("error", equalTo("prefix '175.45.176.1/22' has host bits set"));
    given()
        .contentType("application/json")
        .body(
            "{\"kind\":\"ASN\",\"value\":\"AS131279\",\"overrides\":{\"new-upstream.hodl\":\"30s\"}}")
        .post("/api/v1/watch")
        .then()
        .statusCode(400)
        .body("error", containsString("override 'new-upstream.hodl': unknown setting 'hodl'"));
    given()
        .contentType("application/json")
        .body(
            "{\"kind\":\"asn\",\"value\":\"131279\",\"overrides\":{\"NewUpstream.hold\":\"30s\"}}")
        .post("/api/v1/watch")
        .then()
        .statusCode(200)
        .body("value", equalTo("AS131279"))
        .body("overrides.'new-upstream.hold'", equalTo("30s"));
    given()
        .get("/api/v1/watch")
        .then()
        .statusCode(200)
        .body("value", org.hamcrest.Matchers.hasItem("AS131279"));
    given().delete("/api/v1/watch?kind=ASN&value=AS131279").then().statusCode(204);
    given().delete("/api/v1/watch?kind=ASN&value=AS131279").then().statusCode(404);
    given()
        .get("/api/v1/alerts?from=2017-10-02T00:00:00Z&to=2017-10-01T00:00:00Z")
        .then()
        .statusCode(400)
        .body("error", containsString("must be after from"));
    given()
        .get("/api/v1/alerts?type=Nope")
        .then()
        .statusCode(400)
        .body("error", containsString("unknown alert type 'Nope'"));
    given().get("/api/v1/alerts/active").then().statusCode(200);
  }

  /**
   * Issue 18 item 4: a 50k-prefix list (the size of a large BGPalerter prefixes.yml) imported in
   * request-sized batches; each batch all or nothing; the list then matches changes. Elapsed time
   * printed, not asserted (make bench measures).
   */
  @Test
  void importWatchStoresLargeListsAllOrNothing() throws InterruptedException {
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      var stub = AlertServiceGrpc.newBlockingStub(ch);
      var bad = io.routewatch.proto.v1.ImportWatchRequest.newBuilder().setSource("bgpalerter");
      bad.addEntries(
          io.routewatch.proto.v1.WatchEntry.newBuilder()
              .setKind(io.routewatch.proto.v1.WatchKind.PREFIX)
              .setValue("10.99.0.0/16"));
      bad.addEntries(
          io.routewatch.proto.v1.WatchEntry.newBuilder()
              .setKind(io.routewatch.proto.v1.WatchKind.PREFIX)
              .setValue("10.99.1.1/24"));
      var e =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.grpc.StatusRuntimeException.class,
              () -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).importWatch(bad.build()));
      org.junit.jupiter.api.Assertions.assertEquals(
          io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      org.junit.jupiter.api.Assertions.assertEquals(
          "entries[1] (PREFIX 10.99.1.1/24): prefix '10.99.1.1/24' has host bits set",
          e.getStatus().getDescription());
      given()
          .get("/api/v1/watch")
          .then()
          .statusCode(200)
          .body("value", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("10.99.0.0/16")));

      long t0 = System.nanoTime();
      int added = 0;
      int batch = 2_000; // ~60 kB per request, under the 256 KiB message limit
      for (int from = 0; from < 50_000; from += batch) {
        var req = io.routewatch.proto.v1.ImportWatchRequest.newBuilder().setSource("bgpalerter");
        for (int i = from; i < from + batch; i++) {
          req.addEntries(
              io.routewatch.proto.v1.WatchEntry.newBuilder()
                  .setKind(io.routewatch.proto.v1.WatchKind.PREFIX)
                  .setValue(
                      "100." + (64 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256) + "/32")
                  .putOverrides("origins", Integer.toString(64512 + i % 1000))
                  .setDescription("generated " + i));
        }
        added += stub.withDeadlineAfter(60, TimeUnit.SECONDS).importWatch(req.build()).getAdded();
      }
      System.out.printf("ImportWatch: 50000 prefixes in %.2f s%n", (System.nanoTime() - t0) / 1e9);
      org.junit.jupiter.api.Assertions.assertEquals(50_000, added);
      // again: all replaced, none added
      var again = io.routewatch.proto.v1.ImportWatchRequest.newBuilder().setSource("artemis");
      again.addEntries(
          io.routewatch.proto.v1.WatchEntry.newBuilder()
              .setKind(io.routewatch.proto.v1.WatchKind.PREFIX)
              .setValue("100.64.0.7/32")
              .setDescription("replaced"));
      var r = stub.withDeadlineAfter(10, TimeUnit.SECONDS).importWatch(again.build());
      org.junit.jupiter.api.Assertions.assertEquals(0, r.getAdded());
      org.junit.jupiter.api.Assertions.assertEquals(1, r.getUpdated());
      var list =
          stub.withDeadlineAfter(30, TimeUnit.SECONDS)
              .listWatch(io.routewatch.proto.v1.ListWatchRequest.getDefaultInstance());
      var seven =
          list.getEntriesList().stream()
              .filter(w -> w.getValue().equals("100.64.0.7/32"))
              .findFirst()
              .orElseThrow();
      org.junit.jupiter.api.Assertions.assertEquals("replaced", seven.getDescription());
      org.junit.jupiter.api.Assertions.assertEquals("artemis", seven.getSource());
    } finally {
      // the entries stay (this class's database; no other test here reads them): the class also
      // runs as AlertServiceIT against the packaged app, where nothing can be injected
      ch.shutdownNow();
      ch.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void grpcArgumentsAreChecked() throws InterruptedException {
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      // a deadline per call: withDeadlineAfter on a kept stub is one deadline for all calls
      java.util.function.Supplier<AlertServiceGrpc.AlertServiceBlockingStub> stub =
          () -> AlertServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
      var e =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.grpc.StatusRuntimeException.class,
              () ->
                  stub.get()
                      .listAlerts(
                          io.routewatch.proto.v1.ListAlertsRequest.newBuilder()
                              .setFromMicros(10)
                              .setToMicros(5)
                              .build()));
      org.junit.jupiter.api.Assertions.assertEquals(
          io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      org.junit.jupiter.api.Assertions.assertEquals(
          "to (5) must be after from (10)", e.getStatus().getDescription());
      var s =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.grpc.StatusRuntimeException.class,
              () ->
                  AlertServiceGrpc.newBlockingStub(ch)
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .streamAlerts(
                          io.routewatch.proto.v1.StreamAlertsRequest.newBuilder()
                              .addTypes("Nope")
                              .build())
                      .hasNext());
      org.junit.jupiter.api.Assertions.assertEquals(
          io.grpc.Status.Code.INVALID_ARGUMENT, s.getStatus().getCode());
      var w =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.grpc.StatusRuntimeException.class,
              () ->
                  stub.get()
                      .removeWatch(
                          io.routewatch.proto.v1.RemoveWatchRequest.newBuilder()
                              .setKind(io.routewatch.proto.v1.WatchKind.COUNTRY)
                              .setValue("ZZ")
                              .build()));
      org.junit.jupiter.api.Assertions.assertEquals(
          io.grpc.Status.Code.NOT_FOUND, w.getStatus().getCode());
      var added =
          stub.get()
              .addWatch(
                  io.routewatch.proto.v1.AddWatchRequest.newBuilder()
                      .setEntry(
                          io.routewatch.proto.v1.WatchEntry.newBuilder()
                              .setKind(io.routewatch.proto.v1.WatchKind.COUNTRY)
                              .setValue("kp"))
                      .build());
      org.junit.jupiter.api.Assertions.assertEquals("KP", added.getValue());
      stub.get()
          .removeWatch(
              io.routewatch.proto.v1.RemoveWatchRequest.newBuilder()
                  .setKind(io.routewatch.proto.v1.WatchKind.COUNTRY)
                  .setValue("KP")
                  .build());
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void statusOverGrpc() throws InterruptedException {
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
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
