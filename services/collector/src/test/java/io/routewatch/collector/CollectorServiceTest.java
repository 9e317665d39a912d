package io.routewatch.collector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.collector.mrt.ImportSafetyResource;
import io.routewatch.proto.v1.ImportServiceGrpc;
import io.routewatch.proto.v1.ListImportsRequest;
import io.routewatch.proto.v1.ListJournalFilesRequest;
import io.routewatch.proto.v1.StartImportRequest;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collector as a running app: health, metrics, and its gRPC API on the HTTP port. */
@QuarkusTest
class CollectorServiceTest {
  @TestHTTPResource("/")
  URL base;

  ManagedChannel channel;

  @BeforeEach
  void open() {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void livenessIsUp() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void notReadyWithoutState() {
    // The test profile points the state link at port 1, where nothing listens.
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'state-link' }.status", equalTo("DOWN"));
  }

  @Test
  void metricsArePrometheusText() {
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("routewatch_collector_state_link_connected 0.0"))
        .body(containsString("routewatch_collector_events_sent_total"));
  }

  @Test
  void importApiAnswersOverGrpc() {
    // a deadline per call: withDeadlineAfter on a kept stub is one deadline for all calls
    java.util.function.Supplier<ImportServiceGrpc.ImportServiceBlockingStub> stub =
        () -> ImportServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertEquals(0, stub.get().listImports(ListImportsRequest.getDefaultInstance()).getJobsCount());
    // %test allows the shared corpus: a missing file there is a bad argument...
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stub.get()
                    .startImport(
                        StartImportRequest.newBuilder()
                            .setPath(ImportSafetyResource.data() + "/mrt/none.mrt")
                            .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    // ...one outside every import directory is refused, whether it exists or not.
    e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stub.get()
                    .startImport(
                        StartImportRequest.newBuilder().setPath("/nonexistent.mrt").build()));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertEquals(0, stub.get().listImports(ListImportsRequest.getDefaultInstance()).getJobsCount());
  }

  @Test
  void journalListingSaysTheJournalIsOff() {
    // no routewatch.collector.journal.dir here: gRPC and REST say so, naming the key
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                ImportServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listJournalFiles(ListJournalFilesRequest.getDefaultInstance()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(
        e.getStatus().getDescription().contains("routewatch.collector.journal.dir"),
        e.getStatus().getDescription());
    given()
        .when()
        .get("/api/v1/journal/files")
        .then()
        .statusCode(409)
        .body("error", containsString("routewatch.collector.journal.dir"));
  }
}
