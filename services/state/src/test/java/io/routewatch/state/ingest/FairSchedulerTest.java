package io.routewatch.state.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 "state ingest limits": the scheduler alone. A stream is asked for one message at a time
 * while both budgets have room for the largest message, so bytes in flight never pass the budgets;
 * the writer's turns go by bytes, so a stream flooding 4 MiB batches gets the writer as often (in
 * bytes) as a collector sending 128 KiB ones.
 */
class FairSchedulerTest {
  static final long KIB = 1024;
  static final long MIB = 1024 * KIB;

  /** A stream that sends whenever it is asked, as a flooding client does. */
  static final class Stream {
    final AtomicInteger asked = new AtomicInteger();
    FairScheduler.Lane lane;

    void open(FairScheduler<String> s) {
      lane = s.open(asked::incrementAndGet);
    }

    /** Sends one message of {@code bytes} per outstanding request; how many it sent. */
    int sendAll(FairScheduler<String> s, String name, long bytes) {
      int sent = 0;
      while (asked.get() > 0) {
        asked.decrementAndGet();
        s.offer(lane, name, bytes);
        sent++;
      }
      return sent;
    }
  }

  @Test
  void oneStreamNeverHoldsMoreThanItsBudget() throws Exception {
    FairScheduler<String> s = new FairScheduler<>(8 * MIB, 64 * MIB, 4 * MIB, 64 * KIB, 16);
    Stream greedy = new Stream();
    greedy.open(s);
    assertEquals(1, greedy.asked.get(), "asked for its first message at once");
    // 4 MiB messages: after the first it is asked for one more, then its 8 MiB are full
    assertEquals(2, greedy.sendAll(s, "g", 4 * MIB));
    assertEquals(0, greedy.asked.get(), "budget full: not asked again");
    assertEquals(8 * MIB, s.reserved(greedy.lane));
    assertEquals(8 * MIB, s.bytesInFlight());
    // the writer applies one: it may send one more
    s.done(s.poll(1, TimeUnit.SECONDS));
    assertEquals(1, greedy.asked.get());
    assertTrue(s.reserved(greedy.lane) <= 8 * MIB);
  }

  @Test
  void theGlobalBudgetHoldsAcrossStreamsAndWaitersAreServedInTurn() throws Exception {
    // 4 streams could hold 8 MiB each, the service only 12 MiB
    FairScheduler<String> s = new FairScheduler<>(8 * MIB, 12 * MIB, 4 * MIB, 64 * KIB, 16);
    Stream[] streams = new Stream[4];
    for (int i = 0; i < 4; i++) {
      streams[i] = new Stream();
      streams[i].open(s);
    }
    // 12 MiB holds three 4 MiB reservations: the 4th stream waits
    assertEquals(1, streams[0].asked.get());
    assertEquals(1, streams[1].asked.get());
    assertEquals(1, streams[2].asked.get());
    assertEquals(0, streams[3].asked.get(), "no room left for the 4th stream's first message");
    int[] applied = new int[4];
    for (int round = 0; round < 60; round++) {
      for (int i = 0; i < 4; i++) {
        streams[i].sendAll(s, Integer.toString(i), 4 * MIB);
      }
      assertTrue(s.bytesInFlight() <= 12 * MIB, "bytes in flight " + s.bytesInFlight());
      FairScheduler.Entry<String> e = s.poll(1, TimeUnit.SECONDS);
      applied[Integer.parseInt(e.item())]++;
      s.done(e);
    }
    // every stream got its turns, the one that had to wait first included
    for (int i = 0; i < 4; i++) {
      assertTrue(applied[i] >= 12, "stream " + i + " applied " + applied[i] + " of 60");
    }
  }

  @Test
  void theWriterIsSharedByBytesNotByMessages() throws Exception {
    FairScheduler<String> s = new FairScheduler<>(64 * MIB, 256 * MIB, 4 * MIB, 64 * KIB, 16);
    FairScheduler.Lane greedy = s.open(() -> {});
    FairScheduler.Lane collector = s.open(() -> {});
    // both have more queued than the writer takes below (flow control aside)
    for (int i = 0; i < 12; i++) {
      s.offer(greedy, "greedy", 4 * MIB);
    }
    for (int i = 0; i < 400; i++) {
      s.offer(collector, "collector", 128 * KIB);
    }
    long greedyBytes = 0;
    long collectorBytes = 0;
    int collectorBatches = 0;
    for (int i = 0; i < 200; i++) {
      FairScheduler.Entry<String> e = s.poll(1, TimeUnit.SECONDS);
      if (e.item().equals("greedy")) {
        greedyBytes += e.bytes();
      } else {
        collectorBytes += e.bytes();
        collectorBatches++;
      }
      s.done(e);
    }
    System.out.printf(
        "writer share over 200 turns: greedy %d MiB, collector %d MiB (%d batches)%n",
        greedyBytes / MIB, collectorBytes / MIB, collectorBatches);
    // a FIFO would have handed the greedy stream's 48 MiB first; by bytes, each gets about half
    assertTrue(collectorBatches >= 150, "collector batches applied: " + collectorBatches);
    assertTrue(
        Math.abs(greedyBytes - collectorBytes) <= 4 * MIB,
        "greedy " + greedyBytes + " vs collector " + collectorBytes);
  }

  @Test
  void maxStreamsRefusesOneMoreAndAClosedStreamFreesItsPlace() throws Exception {
    FairScheduler<String> s = new FairScheduler<>(8 * MIB, 64 * MIB, 4 * MIB, 64 * KIB, 2);
    FairScheduler.Lane a = s.open(() -> {});
    assertNotNull(s.open(() -> {}));
    assertNull(s.open(() -> {}), "a 3rd stream beyond max-streams 2");
    assertEquals(8 * MIB, s.bytesInFlight(), "two outstanding requests reserved");
    s.offer(a, "a", 1 * MIB);
    s.close(a);
    assertNotNull(s.open(() -> {}), "the closed stream's place is free");
    // what the closed stream sent is still applied, then its bytes are free
    FairScheduler.Entry<String> e = s.poll(1, TimeUnit.SECONDS);
    assertEquals("a", e.item());
    s.done(e);
    assertEquals(8 * MIB, s.bytesInFlight(), "the two open streams' requests only");
    assertNull(s.poll(10, TimeUnit.MILLISECONDS));
  }

  @Test
  void budgetsMustHoldTheLargestMessage() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new FairScheduler<>(2 * MIB, 64 * MIB, 4 * MIB, KIB, 16));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FairScheduler<>(8 * MIB, 4 * MIB, 4 * MIB, KIB, 16));
  }
}
