package io.routewatch.state.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Writes to a change stream are made on the transport's own thread a turn at a time: at most {@link
 * ChangeSubscription#TURN} per task, the next turn queued behind whatever else waits for that
 * thread (here: a query's task), in order, stopping when the transport is not ready.
 */
class ChangeSubscriptionWriteTest {
  /** A transport whose thread is a task queue run by the test, like an event loop. */
  static class Loop implements ChangeSubscription.Sink {
    final Queue<Runnable> tasks = new ArrayDeque<>();
    final List<Long> written = new ArrayList<>();
    int window = Integer.MAX_VALUE;

    @Override
    public boolean ready() {
      return written.size() < window;
    }

    @Override
    public void send(Change c) {
      written.add(c.getSequence());
    }

    @Override
    public void fail(Status status) {}

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }
  }

  static List<Change> changes(long from, int n) {
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Change.newBuilder().setKind(ChangeKind.UPSTREAM_ADDED).setSequence(from + i).build());
    }
    return out;
  }

  @Test
  void aBatchIsWrittenInTurnsThatLetOtherTasksIn() {
    Loop loop = new Loop();
    ChangeSubscription s = new ChangeSubscription("t", 0, loop);
    s.turnNanos = 3_600_000_000_000L; // turns counted by writes alone (the time bound: below)
    AtomicInteger done = new AtomicInteger();
    s.write(changes(1, 50), done::incrementAndGet);
    assertEquals(1, loop.tasks.size(), "one turn queued, not one task per change");
    List<String> order = new ArrayList<>();
    loop.tasks.add(() -> order.add("query")); // arrives while the stream is being written
    int turns = 0;
    while (!loop.tasks.isEmpty()) {
      int before = loop.written.size();
      loop.tasks.poll().run();
      if (loop.written.size() > before) {
        order.add("turn");
        turns++;
        assertTrue(loop.written.size() - before <= ChangeSubscription.TURN);
        assertTrue(loop.tasks.size() <= 2, "at most one turn of this stream queued");
      }
    }
    assertEquals(
        List.of("turn", "query", "turn", "turn", "turn"),
        order,
        "the query waited for one turn, not for the whole batch");
    assertEquals(4, turns); // 16 + 16 + 16 + 2
    assertEquals(1, done.get());
    for (int i = 0; i < 50; i++) {
      assertEquals(i + 1, loop.written.get(i));
    }
    assertEquals(50, s.after);
  }

  @Test
  void aTurnEndsWhenItHasWrittenForItsTimeEvenBeforeItsCount() {
    Loop loop =
        new Loop() {
          @Override
          public void send(Change c) {
            super.send(c);
            long until = System.nanoTime() + ChangeSubscription.TURN_NANOS * 3 / 4;
            while (System.nanoTime() < until) {
              Thread.onSpinWait(); // a write that costs 3/4 of a turn's time
            }
          }
        };
    ChangeSubscription s = new ChangeSubscription("t", 0, loop);
    AtomicInteger done = new AtomicInteger();
    s.write(changes(1, 20), done::incrementAndGet);
    int turns = 0;
    while (!loop.tasks.isEmpty()) {
      int before = loop.written.size();
      loop.tasks.poll().run();
      int wrote = loop.written.size() - before;
      assertTrue(wrote >= 1 && wrote <= 2, "a turn wrote " + wrote + " changes");
      turns++;
    }
    // at most two such writes fit a turn (one when the thread was descheduled during the first)
    assertTrue(turns >= 10, turns + " turns");
    assertEquals(1, done.get());
    for (int i = 0; i < 20; i++) {
      assertEquals(i + 1, loop.written.get(i));
    }
  }

  @Test
  void aTransportThatFillsUpStopsTheTurnAndTheRestWaits() {
    Loop loop = new Loop();
    loop.window = 5;
    ChangeSubscription s = new ChangeSubscription("t", 0, loop);
    AtomicInteger done = new AtomicInteger();
    s.write(changes(1, 50), done::incrementAndGet);
    while (!loop.tasks.isEmpty()) {
      loop.tasks.poll().run();
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), loop.written);
    assertEquals(5, s.after, "the rest is written again from here when the transport is ready");
    assertEquals(1, done.get());
  }
}
