package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.GetStreamPositionsRequest;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.IngestServiceGrpc;
import io.routewatch.proto.v1.StartImportRequest;
import io.routewatch.proto.v1.StreamPosition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 "Restart" with a RIB snapshot: import a RIB, freeze the collector mid-import (SIGSTOP),
 * wait for a snapshot that covers every applied batch, {@code kill -9} state and start it again.
 * Before the collector can re-send anything, the new state is ready with the same route digest,
 * counters and stream positions; once the collector runs again it re-sends only the tail (no rewind
 * of the file), and the end result equals an uninterrupted import on a fresh state.
 */
class SnapshotRestartIT {
  static final Path FILE = Stack.data().resolve("mrt/pyasn/rib.20140523.0600_firstMB.bz2");

  @Test
  void restartFromSnapshotResendsOnlyTheTail() throws Exception {
    try (Stack stack = new Stack(Map.of("ROUTEWATCH_STATE_SNAPSHOT_INTERVAL", "1s"))) {
      stack.startState();
      stack.startCollector();
      ImportJob job =
          stack
              .imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .startImport(
                  StartImportRequest.newBuilder()
                      .setPath(FILE.toString())
                      .setCollector("rv2-test")
                      .build());
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (stack.stats(false).getEventsApplied() < 40_000 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      stack.signalCollector("STOP");
      // The collector is frozen: state drains its queue, then a snapshot covers every batch.
      long covered = -1;
      Map<String, Long> positions = Map.of();
      deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        positions = positions(stack);
        long sum = positions.values().stream().mapToLong(Long::longValue).sum();
        covered = (long) metric(stack.statePort, "routewatch_state_snapshot_batches");
        if (covered == sum && sum > 0 && positions.equals(positions(stack))) {
          break;
        }
        Thread.sleep(200);
      }
      GetStatsResponse before = stack.stats(true);
      assertEquals(
          positions.values().stream().mapToLong(Long::longValue).sum(),
          covered,
          "snapshot covers all");
      assertTrue(
          before.getRibEntries() < 270_005,
          "import finished before the freeze: " + before.getRibEntries());
      assertTrue(Files.list(stack.snapshotDir()).anyMatch(p -> p.toString().endsWith(".snap")));

      stack.killState();
      long t0 = System.nanoTime();
      stack.startState();
      double restartSeconds = (System.nanoTime() - t0) / 1e9;
      GetStatsResponse after = stack.stats(true);
      assertEquals(before.getRouteDigest(), after.getRouteDigest(), "route digest after restart");
      assertEquals(before.getRoutes(), after.getRoutes(), "routes");
      assertEquals(before.getVantagePoints(), after.getVantagePoints(), "VPs");
      assertEquals(before.getEventsApplied(), after.getEventsApplied(), "events applied");
      assertEquals(before.getRibEntries(), after.getRibEntries(), "RIB entries");
      assertEquals(before.getLastChangeSequence(), after.getLastChangeSequence(), "journal");
      assertEquals(positions, positions(stack), "stream positions come from the snapshot");
      assertEquals(
          0.0,
          metric(stack.statePort, "routewatch_state_batches_applied_total"),
          "nothing re-sent yet");
      System.out.printf(
          "SnapshotRestartIT: %d routes, %d batches in the snapshot, restart to ready %.1f s%n",
          after.getRoutes(), covered, restartSeconds);

      stack.signalCollector("CONT");
      ImportJob done = stack.awaitJob(job.getId(), Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, done.getState(), "import after the restart: " + done);
      long total = positions(stack).values().stream().mapToLong(Long::longValue).sum();
      double applied = metric(stack.statePort, "routewatch_state_batches_applied_total");
      double dup = metric(stack.statePort, "routewatch_state_batches_duplicate_total");
      assertTrue(total > covered, "there was a tail to send");
      assertEquals(total - covered, (long) applied, "the new state applied exactly the tail");
      assertTrue(
          dup <= 64, "re-sent batches already held (at most the collector's window): " + dup);
      assertFalse(stack.log("collector").contains("re-reading"), "the collector rewound its file");
      GetStatsResponse resumed = stack.stats(true);
      assertEquals(270_005, resumed.getRibEntries(), "RIB entries (bgpdump: 270,005 B lines)");

      // An uninterrupted import into a fresh, empty state gives the same table. A fresh collector
      // too: this one would re-send its finished import to the empty state (StateRestartIT).
      stack.stopCollector();
      stack.killState();
      try (var files = Files.walk(stack.snapshotDir())) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      stack.startState();
      stack.startCollector();
      assertEquals(0, stack.stats(false).getRoutes(), "fresh state is empty");
      ImportJob clean = stack.importFile(FILE, "rv2-test", Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, clean.getState());
      GetStatsResponse uninterrupted = stack.stats(true);
      assertEquals(uninterrupted.getRoutes(), resumed.getRoutes(), "routes");
      assertEquals(uninterrupted.getRouteDigest(), resumed.getRouteDigest(), "route digest");
    }
  }

  static Map<String, Long> positions(Stack stack) {
    Map<String, Long> out = new TreeMap<>();
    for (StreamPosition p :
        IngestServiceGrpc.newBlockingStub(stack.channel(stack.statePort))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .getStreamPositions(GetStreamPositionsRequest.getDefaultInstance())
            .getPositionsList()) {
      out.put(p.getStreamId(), p.getSequence());
    }
    return out;
  }

  /** One unlabelled sample from state's Prometheus endpoint (NaN if absent). */
  static double metric(int port, String name) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (String line : r.body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }
}
