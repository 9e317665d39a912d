package io.routewatch.collector.mrt;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.routewatch.proto.v1.CancelImportRequest;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportServiceGrpc;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.StartImportRequest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, collector: imports only under the import directories, speed in range, cancel, pruned
 * job list, and a decompression bomb that fails its job without hurting the import beside it. The
 * running app against a loopback state that acknowledges ({@link ImportSafetyResource}).
 */
@QuarkusTest
@QuarkusTestResource(value = ImportSafetyResource.class, restrictToAnnotatedClass = true)
class ImportSafetyTest {
  static final Path DATA = Path.of(ImportSafetyResource.data(), "mrt");

  /** 1121 records, 825 A / 2419 W / 93 STATE lines in its bgpdump -m reference. */
  static final Path SMALL = DATA.resolve("ripe-bgpdump/updates.20020722.2238.gz");

  /** 23,394 records over 899 s of archive time. */
  static final Path UPDATES = DATA.resolve("ripe-bgpdump/updates.20070211.0141.gz");

  @TestHTTPResource("/")
  URL base;

  @Inject ImportJobs jobs;

  ManagedChannel channel;

  @BeforeEach
  void open() {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  ImportServiceGrpc.ImportServiceBlockingStub stub() {
    return ImportServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  static JsonPath post(String path, double speed) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("path", path, "speed", speed))
        .when()
        .post("/api/v1/imports")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }

  ImportJobRun start(Path file, double speed) {
    String id = post(file.toString(), speed).getString("id");
    return jobs.get(id);
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  static List<RouteEventBatch> batches(String stream) {
    return ImportSafetyResource.state.applied().stream()
        .filter(b -> b.getStreamId().equals(stream))
        .toList();
  }

  static double metric(String line) {
    String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    return text.lines()
        .filter(l -> l.startsWith(line + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(line.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  static int idNumber(String id) {
    return Integer.parseInt(id.substring("imp-".length()));
  }

  // --- 1. import directories -----------------------------------------------------------------

  @Test
  void pathsOutsideTheImportDirsAreRefusedAndNoJobIsCreated() throws Exception {
    Path dir = ImportSafetyResource.DIR;
    Path link = dir.resolve("passwd-" + System.nanoTime() + ".gz");
    Files.createSymbolicLink(link, Path.of("/etc/passwd"));
    ImportJobRun before = start(SMALL, 0);
    double refused =
        metric("routewatch_collector_mrt_imports_refused_total{reason=\"outside_import_dirs\"}");
    List<String> paths =
        List.of(
            "/etc/passwd",
            "/proc/self/environ",
            link.toString(),
            dir + "/../../../../../../../../etc/passwd",
            DATA + "/../../../../../../etc/passwd",
            "/nonexistent/none.mrt");
    String realDir = dir.toRealPath().toString();
    for (String p : paths) {
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("path", p))
          .when()
          .post("/api/v1/imports")
          .then()
          .statusCode(403)
          .body("error", containsString("outside the import directories"))
          .body("error", containsString(realDir))
          .body("allowedDirs", hasItem(realDir));
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> stub().startImport(StartImportRequest.newBuilder().setPath(p).build()),
              p);
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), p);
      assertTrue(e.getStatus().getDescription().contains(realDir), e.getStatus().getDescription());
    }
    assertEquals(
        refused + 2 * paths.size(),
        metric("routewatch_collector_mrt_imports_refused_total{reason=\"outside_import_dirs\"}"));
    // No job was created for any of them: the next one gets the very next id.
    ImportJobRun after = start(SMALL, 0);
    assertEquals(idNumber(before.id()) + 1, idNumber(after.id()));
    await("both DONE", () -> before.finished() && after.finished());
    assertEquals(ImportState.DONE, after.state());
  }

  // --- 3. speed range, cancel, pruning -----------------------------------------------------

  @Test
  void speedOutOfRangeIsABadRequestNamingTheRange() throws Exception {
    for (double speed : new double[] {-1, 0.001, 0.0099, 1_000_001, 1e300}) {
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("path", SMALL.toString(), "speed", speed))
          .when()
          .post("/api/v1/imports")
          .then()
          .statusCode(400)
          .body("error", containsString("between 0.01 and 1000000"));
    }
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stub()
                    .startImport(
                        StartImportRequest.newBuilder()
                            .setPath(SMALL.toString())
                            .setSpeed(0.001)
                            .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("between 0.01 and 1000000"));
    // the bounds themselves are accepted
    ImportJobRun fastest = start(SMALL, 1e6);
    ImportJobRun slowest = start(SMALL, 0.01);
    await("the fastest DONE", fastest::finished);
    assertEquals(ImportState.DONE, fastest.state());
    given().when().delete("/api/v1/imports/" + slowest.id()).then().statusCode(200);
    assertEquals(ImportState.CANCELLED, slowest.state());
  }

  @Test
  void cancelStopsARunningAndAQueuedJobAndTheFileCanBeImportedAgain() throws Exception {
    double cancelled = metric("routewatch_collector_mrt_imports_cancelled_total");
    ImportJobRun running = start(UPDATES, 2); // paced: 899 s of archive in ~450 s
    ImportJobRun queued = start(SMALL, 0);
    await("the running job's first batches", () -> batches(running.streamId()).size() >= 2);
    assertEquals(ImportState.QUEUED, queued.state());

    given()
        .when()
        .delete("/api/v1/imports/" + queued.id())
        .then()
        .statusCode(200)
        .body("state", equalTo("CANCELLED"));
    given()
        .when()
        .delete("/api/v1/imports/" + running.id())
        .then()
        .statusCode(200)
        .body("state", equalTo("CANCELLED"));
    int sent = batches(running.streamId()).size();
    Thread.sleep(1500);
    assertEquals(sent, batches(running.streamId()).size(), "batches after the cancel");
    assertFalse(batches(running.streamId()).stream().anyMatch(RouteEventBatch::getEndOfStream));
    assertEquals(0, batches(queued.streamId()).size(), "a cancelled queued job sent nothing");
    assertEquals(ImportState.CANCELLED, queued.state());
    assertTrue(
        running.toProto().getErrorsList().stream()
            .anyMatch(x -> x.getMessage().startsWith("cancelled")));

    // cancelling again changes nothing; an unknown id is 404
    given()
        .when()
        .delete("/api/v1/imports/" + running.id())
        .then()
        .statusCode(200)
        .body("state", equalTo("CANCELLED"));
    given().when().delete("/api/v1/imports/imp-999999").then().statusCode(404);

    // gRPC CancelImport: the same
    ImportJob paced =
        stub()
            .startImport(
                StartImportRequest.newBuilder().setPath(UPDATES.toString()).setSpeed(2).build());
    await(
        "the gRPC-started job running",
        () -> jobs.get(paced.getId()).state() == ImportState.RUNNING);
    ImportJob stopped =
        stub().cancelImport(CancelImportRequest.newBuilder().setId(paced.getId()).build());
    assertEquals(ImportState.CANCELLED, stopped.getState());
    StatusRuntimeException nf =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stub().cancelImport(CancelImportRequest.newBuilder().setId("imp-999999").build()));
    assertEquals(Status.Code.NOT_FOUND, nf.getStatus().getCode());
    assertEquals(cancelled + 3, metric("routewatch_collector_mrt_imports_cancelled_total"));

    // the same file again, in full
    ImportJobRun again = start(UPDATES, 0);
    await("the re-import DONE", again::finished);
    assertEquals(ImportState.DONE, again.state(), again.toProto().toString());
    assertEquals(23_394, again.toProto().getRecords());
  }

  @Test
  void finishedJobsBeyondKeepJobsAreForgottenButStayReadyForAReSend() throws Exception {
    int n = ImportSafetyResource.KEEP_JOBS + 2;
    ImportJobRun[] started = new ImportJobRun[n];
    for (int i = 0; i < n; i++) {
      started[i] = start(SMALL, 0);
    }
    await("all DONE", () -> java.util.Arrays.stream(started).allMatch(ImportJobRun::finished));
    List<String> listed =
        given()
            .when()
            .get("/api/v1/imports")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("jobs.id");
    assertTrue(listed.size() <= ImportSafetyResource.KEEP_JOBS, listed.toString());
    for (int i = 0; i < n; i++) {
      boolean newest = i >= n - ImportSafetyResource.KEEP_JOBS;
      given()
          .when()
          .get("/api/v1/imports/" + started[i].id())
          .then()
          .statusCode(newest ? 200 : 404);
      // keep-finished (re-send after a state restart) is separate from the listing
      assertTrue(jobs.keeps(started[i]), started[i].id());
    }
  }

  // --- 4. decompression bomb -----------------------------------------------------------------

  /** A BGP4MP header declaring 2 GiB - 32 bytes, then 512 MiB of zeros, gzipped (~0.5 MiB). */
  static Path bomb(Path dir) throws Exception {
    Path f = dir.resolve("bomb-" + System.nanoTime() + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
      ByteBuffer h = ByteBuffer.allocate(12);
      h.putInt(1_171_000_000)
          .putShort((short) 16)
          .putShort((short) 4)
          .putInt(Integer.MAX_VALUE - 32);
      out.write(h.array());
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 512; i++) {
        out.write(zeros);
      }
    }
    return f;
  }

  @Test
  void aDecompressionBombFailsItsJobAndTheImportBesideItCompletes() throws Exception {
    Path bomb = bomb(ImportSafetyResource.DIR);
    assertTrue(Files.size(bomb) < 1 << 20, "bomb is " + Files.size(bomb) + " bytes");
    double oversized = metric("routewatch_collector_mrt_oversized_records_total");

    ImportJobRun normal = start(UPDATES, 0);
    await("the normal import running", () -> normal.state() == ImportState.RUNNING);
    ImportJobRun bombJob = start(bomb, 0); // queued behind it on the import runner
    await("both finished", () -> normal.finished() && bombJob.finished());

    ImportJob b = bombJob.toProto();
    assertEquals(ImportState.FAILED, b.getState(), b.toString());
    assertEquals(0, b.getRecords());
    assertTrue(
        b.getErrorsList().stream()
            .anyMatch(
                e ->
                    e.getRecord() == 1
                        && e.getOffset() == 0
                        && e.getMessage().contains("beyond 16777216 bytes")),
        b.toString());
    assertTrue(
        b.getErrorsList().stream().anyMatch(e -> e.getMessage().contains("max-record-bytes")),
        b.toString());
    assertFalse(
        b.toString().contains(Long.toString(Integer.MAX_VALUE - 32)),
        "declared length quoted: " + b);
    assertEquals(oversized + 1, metric("routewatch_collector_mrt_oversized_records_total"));

    ImportJob n = normal.toProto();
    assertEquals(ImportState.DONE, n.getState(), n.toString());
    assertEquals(23_394, n.getRecords());
    Map<EventKind, Long> got = new EnumMap<>(EventKind.class);
    long events = 0;
    for (RouteEventBatch batch : batches(normal.streamId())) {
      for (RouteEvent e : batch.getEventsList()) {
        got.merge(e.getKind(), 1L, Long::sum);
        events++;
      }
    }
    Map<String, Long> want = referenceLines(UPDATES);
    assertEquals(
        want.getOrDefault("A", 0L), got.getOrDefault(EventKind.ANNOUNCE, 0L), "announcements");
    assertEquals(
        want.getOrDefault("W", 0L), got.getOrDefault(EventKind.WITHDRAW, 0L), "withdrawals");
    assertEquals(
        want.getOrDefault("STATE", 0L),
        got.getOrDefault(EventKind.PEER_STATE, 0L),
        "state changes");
    assertEquals(n.getEvents(), events);
  }

  /** Line counts per kind (A, W, STATE, B) in the file's bgpdump -m reference. */
  static Map<String, Long> referenceLines(Path mrt) throws Exception {
    Path ref = mrt.resolveSibling(mrt.getFileName() + ".bgpdump-m.txt.gz");
    Map<String, Long> counts = new java.util.HashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(ref)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        counts.merge(line.split("\\|", 4)[2], 1L, Long::sum);
      }
    }
    return counts;
  }
}
