package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.ListImportsRequest;
import io.routewatch.proto.v1.StartImportRequest;
import io.routewatch.proto.v1.StateChangesGrpc;
import io.routewatch.proto.v1.SubscribeRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 acceptance 2 and issue 5 acceptance 3: {@code kill -9} state in the middle of an import,
 * start it again — the import completes, state holds exactly the routes of an uninterrupted run,
 * and a change subscriber that resumes from its last sequence sees no gap and no duplicate.
 */
class StateRestartIT {
  static final Path FILE = Stack.data().resolve("mrt/ripe-bgpdump/updates.et-header.2015.gz");

  @Test
  void killNineMidImportLosesNothing() throws Exception {
    // Snapshots off: this is the restart that rebuilds everything from the collector's re-send.
    try (Stack stack = new Stack(Map.of("ROUTEWATCH_STATE_SNAPSHOT_ENABLED", "false"))) {
      stack.startState();
      stack.startCollector();
      Subscriber sub = new Subscriber(stack);
      sub.start();

      // 1. Interrupted run: kill -9 state once a good part of the file is applied.
      ImportJob job =
          stack
              .imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .startImport(
                  StartImportRequest.newBuilder()
                      .setPath(FILE.toString())
                      .setCollector("rrc-test")
                      .build());
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (stack.stats(false).getEventsApplied() < 150_000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      long appliedBeforeKill = stack.stats(false).getEventsApplied();
      assertTrue(appliedBeforeKill >= 150_000, "import did not progress: " + appliedBeforeKill);
      stack.killState();
      Thread.sleep(500);
      stack.startState();
      ImportJob done = stack.awaitJob(job.getId(), Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, done.getState(), "import after kill -9: " + done);
      GetStatsResponse interrupted = stack.stats(true);

      // Changes: let the journal settle, then the subscriber must have 1..last with no gap/dup.
      long last = awaitQuietJournal(stack, Duration.ofSeconds(3), Duration.ofSeconds(60));
      assertTrue(last > 0, "state reported no changes at all");
      sub.awaitSequence(last, Duration.ofSeconds(60));
      sub.stop();
      List<Long> seqs = sub.sequences();
      for (int i = 0; i < seqs.size(); i++) {
        assertEquals(
            i + 1,
            seqs.get(i),
            "change sequence "
                + (i + 1)
                + " missing or duplicated (resubscribed "
                + sub.resubscribes
                + "x)");
      }
      assertTrue(sub.resubscribes >= 1, "the subscriber never had to resume");

      // 2. kill -9 state after the import finished: it comes back empty (snapshots off), holding
      //    none of the stream it had acknowledged. The collector still has the finished import as
      //    the stream's source: it re-reads the file and re-sends everything, as a job of its own.
      stack.killState();
      Thread.sleep(500);
      stack.startState();
      ImportJob resend = awaitResendOf(stack, done, Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, resend.getState(), "re-send after kill -9: " + resend);
      assertEquals(FILE.toString(), resend.getPath());
      GetStatsResponse resent = stack.stats(true);
      assertEquals(interrupted.getRoutes(), resent.getRoutes(), "routes after the re-send");
      assertEquals(
          interrupted.getRouteDigest(), resent.getRouteDigest(), "route digest after the re-send");
      assertEquals(
          interrupted.getAnnouncements(),
          resent.getAnnouncements(),
          "announcements after the re-send");

      // 3. Uninterrupted run: a fresh collector (no finished import to re-send) and a fresh state.
      stack.stopCollector();
      stack.killState();
      stack.startState();
      stack.startCollector();
      ImportJob clean = stack.importFile(FILE, "rrc-test", Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, clean.getState());
      GetStatsResponse uninterrupted = stack.stats(true);

      assertEquals(uninterrupted.getRoutes(), interrupted.getRoutes(), "routes");
      assertEquals(uninterrupted.getRouteDigest(), interrupted.getRouteDigest(), "route digest");
      assertEquals(
          577_737, uninterrupted.getAnnouncements(), "announcements (bgpdump: 577,737 A lines)");
      assertEquals(577_737, interrupted.getAnnouncements(), "announcements of the interrupted run");
    }
  }

  /** The collector's re-send of a finished import (same stream, a job of its own), once ended. */
  static ImportJob awaitResendOf(Stack stack, ImportJob done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ImportJob last = null;
    while (System.nanoTime() < deadline) {
      for (ImportJob j :
          stack
              .imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listImports(ListImportsRequest.getDefaultInstance())
              .getJobsList()) {
        if (j.getStreamId().equals(done.getStreamId()) && !j.getId().equals(done.getId())) {
          last = j;
          if (j.getState() == ImportState.DONE || j.getState() == ImportState.FAILED) {
            return j;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no finished re-send of "
            + done.getId()
            + " within "
            + timeout
            + " (last seen: "
            + last
            + ")");
  }

  /**
   * Issue 5 "after a restart, state ... tells subscribers nothing spurious". Settle and warm-up of
   * 2 s of event time make the import report changes as it goes (the file spans 37 s). Freeze the
   * collector mid-import once changes flow, let a snapshot cover all that state applied, let the
   * collector send on until more changes are journaled, freeze it again and {@code kill -9} state.
   * The restored state derives those changes again from the batches the collector re-sends; they
   * are not journaled a second time: the subscriber sees every change once, sequences without gap
   * or duplicate.
   */
  @Test
  void killNineAfterASnapshotTellsNothingTwice() throws Exception {
    Map<String, String> env =
        Map.of(
            "ROUTEWATCH_STATE_SNAPSHOT_INTERVAL", "4s",
            "ROUTEWATCH_STATE_ENGINE_SETTLE", "2s",
            "ROUTEWATCH_STATE_ENGINE_WARMUP", "2s");
    try (Stack stack = new Stack(env)) {
      HttpClient http = HttpClient.newHttpClient();
      stack.startState();
      stack.startCollector();
      Subscriber sub = new Subscriber(stack);
      sub.start();
      ImportJob job =
          stack
              .imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .startImport(
                  StartImportRequest.newBuilder()
                      .setPath(FILE.toString())
                      .setCollector("rrc-test")
                      .build());
      long snapSeq;
      long atKill;
      boolean frozen = false;
      try {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (stack.stats(false).getLastChangeSequence() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        stack.signalCollector("STOP");
        frozen = true;
        // state applies what it has; then a snapshot covers all of it and its changes
        long lastSeq = -1;
        snapSeq = -2;
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          lastSeq = stack.stats(false).getLastChangeSequence();
          snapSeq =
              (long) metric(http, stack.statePort, "routewatch_state_snapshot_journal_sequence");
          if (lastSeq > 0
              && snapSeq == lastSeq
              && metric(http, stack.statePort, "routewatch_state_ingest_queue_batches") == 0) {
            break;
          }
          Thread.sleep(50);
        }
        assertTrue(
            lastSeq > 0 && snapSeq == lastSeq,
            "no snapshot covering the changes so far: snapshot at "
                + snapSeq
                + ", journal at "
                + lastSeq);
        stack.signalCollector("CONT");
        frozen = false;
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stack.stats(false).getLastChangeSequence() <= snapSeq
            && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        stack.signalCollector("STOP");
        frozen = true;
        atKill = stack.stats(false).getLastChangeSequence();
        double snapAtKill =
            metric(http, stack.statePort, "routewatch_state_snapshot_journal_sequence");
        stack.killState();
        assertTrue(atKill > snapSeq, "no changes after the snapshot: " + snapSeq + " -> " + atKill);
        assertEquals(snapSeq, (long) snapAtKill, "a newer snapshot was taken before the kill");
        stack.startState();
      } finally {
        if (frozen) {
          stack.signalCollector("CONT");
        }
      }
      ImportJob done = stack.awaitJob(job.getId(), Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, done.getState(), "import after kill -9: " + done);

      // derivations settle after the last batch (timers): wait until the journal is quiet
      long last = awaitQuietJournal(stack, Duration.ofSeconds(3), Duration.ofSeconds(60));
      sub.awaitSequence(last, Duration.ofSeconds(60));
      sub.stop();
      long lastAfterStop = stack.stats(false).getLastChangeSequence();
      double suppressed =
          metric(http, stack.statePort, "routewatch_state_changes_replay_suppressed_total");
      assertTrue(
          suppressed > 0,
          "no re-derived change was recognised ("
              + suppressed
              + ", journal at "
              + atKill
              + " at the kill, snapshot at "
              + snapSeq
              + ")");

      List<Change> changes = sub.changes();
      for (int i = 0; i < changes.size(); i++) {
        assertEquals(
            i + 1,
            changes.get(i).getSequence(),
            "change sequence "
                + (i + 1)
                + " missing or duplicated (resubscribed "
                + sub.resubscribes
                + "x)");
      }
      assertTrue(
          changes.size() >= last && changes.size() <= lastAfterStop,
          "changes seen: "
              + changes.size()
              + ", journal at "
              + last
              + " when quiet, "
              + lastAfterStop
              + " at the end");
      assertTrue(sub.resubscribes >= 1, "the subscriber never had to resume");
      Map<String, Long> seen = new HashMap<>();
      for (Change c : changes) {
        Long before = seen.putIfAbsent(identity(c), c.getSequence());
        assertNull(
            before,
            "change "
                + c.getSequence()
                + " repeats change "
                + before
                + ": "
                + c.getDetail()
                + " ("
                + suppressed
                + " suppressed, snapshot at "
                + snapSeq
                + ", kill at "
                + atKill
                + ")");
      }
    }
  }

  /**
   * The journal's last sequence once it has not moved for {@code quiet} (bounded by {@code max}).
   */
  static long awaitQuietJournal(Stack stack, Duration quiet, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    long last = stack.stats(false).getLastChangeSequence();
    long since = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(200);
      long now = stack.stats(false).getLastChangeSequence();
      if (now != last) {
        last = now;
        since = System.nanoTime();
      } else if (System.nanoTime() - since >= quiet.toNanos()) {
        break;
      }
    }
    return last;
  }

  /** One unlabelled sample from state's Prometheus endpoint (NaN if absent). */
  static double metric(HttpClient http, int port, String name)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    for (String line : r.body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  /** What a subscriber takes for the same change: kind, subject, upstream and event time. */
  static String identity(Change c) {
    return c.getKind()
        + " AS"
        + Integer.toUnsignedString(c.getAsn())
        + " "
        + c.getCountry()
        + " "
        + (c.hasPrefix()
            ? HexFormat.of().formatHex(c.getPrefix().getAddress().toByteArray())
                + "/"
                + c.getPrefix().getLength()
            : "-")
        + " via "
        + Integer.toUnsignedString(c.getUpstream())
        + " @"
        + c.getTimeMicros();
  }

  /** A change-stream subscriber that resumes after the last sequence it handled. */
  static final class Subscriber {
    private final Stack stack;
    private final List<Long> seqs = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread thread;
    private volatile Context.CancellableContext ctx;
    volatile int resubscribes = -1;

    Subscriber(Stack stack) {
      this.stack = stack;
    }

    void start() {
      thread = new Thread(this::loop, "test-subscriber");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      while (!stop.get()) {
        resubscribes++;
        long from;
        synchronized (seqs) {
          from = seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
        }
        Context.CancellableContext c = Context.current().withCancellation();
        ctx = c;
        try {
          c.run(
              () -> {
                Iterator<Change> it =
                    StateChangesGrpc.newBlockingStub(stack.channel(stack.statePort))
                        .subscribe(
                            SubscribeRequest.newBuilder()
                                .setFromSequence(from)
                                .setSubscriber("e2e")
                                .build());
                while (!stop.get() && it.hasNext()) {
                  Change ch = it.next();
                  if (ch.getKind() != ChangeKind.HEARTBEAT) {
                    synchronized (seqs) {
                      seqs.add(ch.getSequence());
                      changes.add(ch);
                      seqs.notifyAll();
                    }
                  }
                }
              });
        } catch (StatusRuntimeException e) {
          // state went away: resume after the last sequence seen
        } finally {
          c.cancel(null);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void awaitSequence(long seq, Duration timeout) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      synchronized (seqs) {
        while ((seqs.isEmpty() || seqs.get(seqs.size() - 1) < seq)
            && System.currentTimeMillis() < deadline) {
          seqs.wait(500);
        }
      }
    }

    void stop() {
      stop.set(true);
      if (ctx != null) {
        ctx.cancel(null);
      }
    }

    List<Change> changes() {
      synchronized (seqs) {
        return List.copyOf(changes);
      }
    }

    List<Long> sequences() {
      synchronized (seqs) {
        return List.copyOf(seqs);
      }
    }
  }
}
