package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.GetImportRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.StartImportRequest;
import io.routewatch.proto.v1.StateChangesGrpc;
import io.routewatch.proto.v1.SubscribeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
          stack.imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .startImport(StartImportRequest.newBuilder().setPath(FILE.toString()).setCollector("rrc-test").build());
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
      Thread.sleep(3000);
      long last = stack.stats(false).getLastChangeSequence();
      assertTrue(last > 0, "state reported no changes at all");
      sub.awaitSequence(last, Duration.ofSeconds(60));
      sub.stop();
      List<Long> seqs = sub.sequences();
      for (int i = 0; i < seqs.size(); i++) {
        assertEquals(i + 1, seqs.get(i), "change sequence " + (i + 1) + " missing or duplicated (resubscribed " + sub.resubscribes + "x)");
      }
      assertTrue(sub.resubscribes >= 1, "the subscriber never had to resume");

      // 2. Uninterrupted run on a fresh state (killed again, so its memory is empty).
      stack.killState();
      stack.startState();
      ImportJob clean = stack.importFile(FILE, "rrc-test", Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, clean.getState());
      GetStatsResponse uninterrupted = stack.stats(true);

      assertEquals(uninterrupted.getRoutes(), interrupted.getRoutes(), "routes");
      assertEquals(uninterrupted.getRouteDigest(), interrupted.getRouteDigest(), "route digest");
      assertEquals(577_737, uninterrupted.getAnnouncements(), "announcements (bgpdump: 577,737 A lines)");
    }
  }

  /** A change-stream subscriber that resumes after the last sequence it handled. */
  static final class Subscriber {
    private final Stack stack;
    private final List<Long> seqs = new ArrayList<>();
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
                        .subscribe(SubscribeRequest.newBuilder().setFromSequence(from).setSubscriber("e2e").build());
                while (!stop.get() && it.hasNext()) {
                  Change ch = it.next();
                  if (ch.getKind() != ChangeKind.HEARTBEAT) {
                    synchronized (seqs) {
                      seqs.add(ch.getSequence());
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
        while ((seqs.isEmpty() || seqs.get(seqs.size() - 1) < seq) && System.currentTimeMillis() < deadline) {
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

    List<Long> sequences() {
      synchronized (seqs) {
        return List.copyOf(seqs);
      }
    }
  }
}
