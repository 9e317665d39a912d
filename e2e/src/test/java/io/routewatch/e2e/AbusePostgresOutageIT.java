package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.StartImportRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 "PostgreSQL outage bounded": PostgreSQL stopped for 2 minutes under a steady import. The
 * history rows and journal changes state cannot write are bounded (history max-pending is set to
 * 2,000 here, not the default 200,000, so that this one archive's rows reach the bound within the
 * outage: the file derives some thousands of history rows in all); at the bound ingest pauses
 * (back-pressure to the collector, nothing dropped), state's heap stays bounded, and once
 * PostgreSQL is back the import completes with the reference counts and the change journal has no
 * gap.
 *
 * <p>No Prometheus runs in e2e: the rules on these metrics ({@code RoutewatchHistoryBacklog},
 * {@code RoutewatchStateIngestPaused}) are shown firing by promtool's rule unit tests
 * (services/alert); here the metrics they read are asserted.
 */
class AbusePostgresOutageIT {
  static final Path FILE = Stack.data().resolve("mrt/ripe-bgpdump/updates.et-header.2015.gz");
  static final int HISTORY_MAX_PENDING = 2000;
  static final Duration OUTAGE = Duration.ofMinutes(2);

  @Test
  void aTwoMinuteOutageIsBoundedAndLosesNothing() throws Exception {
    Reference.Counts want = Reference.counts(FILE);
    Map<String, String> env =
        Map.of(
            "ROUTEWATCH_STATE_HISTORY_MAX_PENDING", Integer.toString(HISTORY_MAX_PENDING),
            // changes (and so history rows) from the first seconds of the archive on
            "ROUTEWATCH_STATE_ENGINE_SETTLE", "2s",
            "ROUTEWATCH_STATE_ENGINE_WARMUP", "2s",
            "ROUTEWATCH_STATE_SNAPSHOT_ENABLED", "false");
    try (Stack stack = new Stack(env)) {
      stack.startState();
      stack.startCollector();
      StateRestartIT.Subscriber sub = new StateRestartIT.Subscriber(stack);
      sub.start();
      GetStatsResponse before = stack.stats(false);
      double heapBefore = heap(stack);

      // at full speed (about 20 s alone): the outage starts at the first derived change, and
      // back-pressure holds the rest of the import for its 2 minutes
      ImportJob job =
          stack
              .imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .startImport(
                  StartImportRequest.newBuilder()
                      .setPath(FILE.toString())
                      .setCollector("e2e-outage")
                      .build());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (stack.stats(false).getLastChangeSequence() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(
          stack.stats(false).getLastChangeSequence() > 0, "no change derived before the outage");

      // a real Prometheus with the shipped rules, scraping state every second
      Prometheus prometheus =
          new Prometheus(
              stack.logs.resolve("prometheus"),
              stack.root.resolve("services/alert/src/main/resources/routewatch.rules.yml"),
              "routewatch-state",
              stack.statePort);
      double firedAfter = -1;
      stack.pg.stopServer();
      long outageStart = System.nanoTime();
      double maxHistory = 0;
      double maxJournal = 0;
      double maxHeap = 0;
      double maxInFlight = 0;
      boolean paused = false;
      long appliedAtPause = -1;
      try {
        while (System.nanoTime() - outageStart < OUTAGE.toNanos()) {
          String m = Metrics.scrape(stack.statePort);
          double history = Metrics.sum(m, "routewatch_state_history_pending");
          double journal = Metrics.sum(m, "routewatch_state_journal_pending");
          double heapNow = Metrics.sum(m, "jvm_memory_used_bytes", "area=\"heap\"");
          maxHistory = Math.max(maxHistory, history);
          maxJournal = Math.max(maxJournal, journal);
          maxHeap = Math.max(maxHeap, heapNow);
          maxInFlight =
              Math.max(maxInFlight, Metrics.sum(m, "routewatch_state_ingest_bytes_in_flight"));
          if (Metrics.sum(m, "routewatch_state_ingest_paused") == 1 && !paused) {
            paused = true;
            appliedAtPause = (long) Metrics.sum(m, "routewatch_state_events_applied_total");
            System.out.printf(
                "ingest paused %.0f s into the outage: history pending %.0f, journal pending %.0f%n",
                (System.nanoTime() - outageStart) / 1e9, history, journal);
          }
          {
            System.out.printf(
                "  t+%3.0f s heap %5.0f MiB history pending %5.0f journal pending %5.0f paused %.0f%n",
                (System.nanoTime() - outageStart) / 1e9,
                heapNow / (1 << 20),
                history,
                journal,
                Metrics.sum(m, "routewatch_state_ingest_paused"));
          }
          if (firedAfter < 0 && prometheus.firing("RoutewatchStateIngestPaused")) {
            firedAfter = (System.nanoTime() - outageStart) / 1e9;
            System.out.printf(
                "Prometheus: RoutewatchStateIngestPaused firing %.0f s into the outage%n",
                firedAfter);
          }
          Thread.sleep(firedAfter < 0 && paused ? 2_000 : 10_000);
        }
      } finally {
        stack.pg.restart();
        prometheus.close();
      }
      assertTrue(
          firedAfter > 0,
          "RoutewatchStateIngestPaused did not fire in Prometheus during the outage");
      String atEnd = Metrics.scrape(stack.statePort);
      long appliedAtEnd = (long) Metrics.sum(atEnd, "routewatch_state_events_applied_total");

      ImportJob done = stack.awaitJob(job.getId(), Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, done.getState(), "import after the outage: " + done);
      long last =
          StateRestartIT.awaitQuietJournal(stack, Duration.ofSeconds(3), Duration.ofSeconds(90));
      sub.awaitSequence(last, Duration.ofSeconds(60));
      sub.stop();
      // the archive's end settles every VP at once: its burst of history rows drains after it
      String m = Metrics.scrape(stack.statePort);
      long drainBy = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while ((Metrics.sum(m, "routewatch_state_history_pending") > 0
              || Metrics.sum(m, "routewatch_state_journal_pending") > 0)
          && System.nanoTime() < drainBy) {
        Thread.sleep(1000);
        m = Metrics.scrape(stack.statePort);
      }
      GetStatsResponse after = stack.stats(false);
      double heapAfter = heap(stack);
      System.out.printf(
          "PostgreSQL down %d s under an import: history pending max %.0f (limit %d), journal pending"
              + " max %.0f, bytes in flight max %.0f; paused %s (events applied at pause %d, at the"
              + " outage's end %d); heap before %.0f MiB, during max %.0f MiB, after %.0f MiB;"
              + " after: %,d announcements applied (reference %,d), journal 1..%d, history pending"
              + " %.0f%n",
          OUTAGE.toSeconds(),
          maxHistory,
          HISTORY_MAX_PENDING,
          maxJournal,
          maxInFlight,
          paused,
          appliedAtPause,
          appliedAtEnd,
          heapBefore / (1 << 20),
          maxHeap / (1 << 20),
          heapAfter / (1 << 20),
          after.getAnnouncements() - before.getAnnouncements(),
          want.announcements(),
          last,
          Metrics.sum(m, "routewatch_state_history_pending"));

      assertTrue(paused, "ingest never paused: history pending max " + maxHistory);
      assertTrue(maxHistory >= HISTORY_MAX_PENDING, "the bound was not reached: " + maxHistory);
      // soft by one batch's rows (a 2,048-event batch derives at most a few hundred changes)
      assertTrue(
          maxHistory < 2 * HISTORY_MAX_PENDING, "history pending beyond its bound: " + maxHistory);
      assertEquals(appliedAtPause, appliedAtEnd, "events applied while paused");
      assertTrue(maxHeap < 1024.0 * (1 << 20), "heap " + maxHeap);
      assertEquals(
          want.announcements(),
          after.getAnnouncements() - before.getAnnouncements(),
          "announcements");
      assertEquals(
          want.withdrawals(), after.getWithdrawals() - before.getWithdrawals(), "withdrawals");
      assertEquals(0.0, Metrics.sum(m, "routewatch_state_history_pending"), "history written");
      assertEquals(0.0, Metrics.sum(m, "routewatch_state_journal_pending"), "journal written");
      assertEquals(0.0, Metrics.sum(m, "routewatch_state_ingest_paused"));
      List<Long> seqs = sub.sequences();
      assertEquals(last, seqs.size(), "changes seen by the subscriber");
      for (int i = 0; i < seqs.size(); i++) {
        assertEquals(i + 1, seqs.get(i), "change sequence " + (i + 1) + " missing or duplicated");
      }
    }
  }

  static double heap(Stack stack) throws Exception {
    return Metrics.sum(Metrics.scrape(stack.statePort), "jvm_memory_used_bytes", "area=\"heap\"");
  }
}
