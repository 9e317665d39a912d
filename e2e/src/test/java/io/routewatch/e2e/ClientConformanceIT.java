package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ImportState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a client in another language, from the servers' reflection descriptors only (Debian's
 * python3-grpcio, no .proto files, no generated code): {@code src/test/python/conformance.py} lists
 * the services of all three ports, queries state, subscribes to the change stream and resumes it
 * without gap or duplicate, checks that heartbeats carry the journal's head, streams an alert while
 * it adds the watch entry that makes it, and makes 100 consecutive calls to each port after idle
 * spells (the alert port once failed about half of them with UNAVAILABLE). Every check is a line of
 * the script's output; the test fails on any FAIL line.
 */
class ClientConformanceIT {
  @Test
  void pythonClientFromReflectionOnly() throws Exception {
    Path script =
        Path.of(System.getProperty("routewatch.root", "."))
            .resolve("e2e/src/test/python/conformance.py");
    assertTrue(Files.isRegularFile(script), script + " missing");
    Map<String, String> env =
        Map.of(
            // the archive has one VP: one peer AS is all the evidence there is
            "ROUTEWATCH_ALERT_RULES_DEFAULTS_MIN_PEER_ASNS", "1",
            // the test is about the contract, not about holds: the alert comes within seconds
            "ROUTEWATCH_ALERT_RULES_SINGLE_HOMED_HOLD", "PT1S",
            "ROUTEWATCH_ALERT_TICK_INTERVAL", "PT0.2S",
            // changes are reported once the archive's VP has settled, seconds into the import
            "ROUTEWATCH_STATE_ENGINE_SETTLE", "2s",
            "ROUTEWATCH_STATE_ENGINE_WARMUP", "2s");
    try (Stack stack = new Stack(env)) {
      stack.startState();
      stack.startCollector();
      stack.startAlert();
      // the 2015 archive: AS131279 behind AS4837 only, and a journal of changes to page through
      assertEquals(
          ImportState.DONE,
          stack
              .importFile(
                  Stack.data().resolve("mrt/ripe-bgpdump/updates.et-header.2015.gz"),
                  "rrc-py",
                  Duration.ofMinutes(5))
              .getState());
      // The client checks the head of the journal and an alert made by its own AddWatch: both
      // need the import's changes written (state journals them after the import is DONE) and
      // handled by the alert service first. Bounded; the figures are printed.
      long t0 = System.nanoTime();
      long head = -1;
      long stableSince = System.nanoTime();
      while (System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(5)) {
        long h = stack.stats(false).getLastChangeSequence();
        if (h != head) {
          head = h;
          stableSince = System.nanoTime();
        } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(3)) {
          break;
        }
        Thread.sleep(250);
      }
      double journalQuiet = (System.nanoTime() - t0) / 1e9;
      io.grpc.ManagedChannel ach = stack.channel(stack.alertPort);
      long handled = 0;
      try {
        var alert = io.routewatch.proto.v1.AlertServiceGrpc.newBlockingStub(ach);
        while (System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(8)) {
          handled =
              alert
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .getStatus(io.routewatch.proto.v1.GetStatusRequest.getDefaultInstance())
                  .getLastChangeSequence();
          if (handled >= head) {
            break;
          }
          Thread.sleep(250);
        }
      } finally {
        ach.shutdownNow();
      }
      System.out.printf(
          "ClientConformanceIT: journal quiet at %d changes %.1f s after the import; the alert"
              + " service handled them %.1f s after the import%n",
          head, journalQuiet, (System.nanoTime() - t0) / 1e9);
      assertTrue(handled >= head, "alert service handled " + handled + " of " + head + " changes");
      List<String> cmd =
          List.of(
              "/usr/bin/python3",
              script.toString(),
              "--state",
              "127.0.0.1:" + stack.statePort,
              "--alert",
              "127.0.0.1:" + stack.alertPort,
              "--collector",
              "127.0.0.1:" + stack.collectorPort,
              "--asn",
              "131279",
              "--upstream",
              "4837",
              "--watch-asn",
              "131279",
              "--idle-spells",
              "2",
              "--idle-seconds",
              "20");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      List<String> out = new ArrayList<>();
      try (var r = p.inputReader(StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("py: " + line);
          out.add(line);
        }
      }
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "conformance.py did not finish");
      List<String> failed = out.stream().filter(l -> l.startsWith("FAIL")).toList();
      assertTrue(
          failed.isEmpty() && p.exitValue() == 0,
          "conformance.py exit " + p.exitValue() + ": " + String.join("\n", failed));
      assertTrue(out.stream().anyMatch(l -> l.startsWith("conformance: 0 failed")), "no summary");
    }
  }
}
