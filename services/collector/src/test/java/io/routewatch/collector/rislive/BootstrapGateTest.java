package io.routewatch.collector.rislive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.VantagePoint;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 20, bootstrap: live messages wait for the RIB dump, then go on from the dump's time. */
class BootstrapGateTest {
  static final VantagePoint VP = VantagePoint.newBuilder().setCollector("rrc00").build();

  static LiveEvent at(long micros) {
    return LiveEvent.of(EventKind.PEER_STATE, VP, micros);
  }

  @Test
  void heldUntilOpenThenOlderThanTheDumpDroppedAndTheRestInOrder() throws Exception {
    List<Long> out = new CopyOnWriteArrayList<>();
    BootstrapGate gate = new BootstrapGate(1_000, 10, e -> out.add(e.timestampMicros()));
    for (long t : new long[] {900, 1_000, 999, 1_500, 1_200}) {
      gate.offer(at(t));
    }
    assertTrue(out.isEmpty(), "nothing passes while the dump is imported");
    assertFalse(gate.isOpen());
    gate.open();
    assertEquals(List.of(1_000L, 1_500L, 1_200L), out, "arrival order, from the dump's time");
    assertEquals(2, gate.skipped());
    gate.offer(at(2_000));
    gate.offer(at(500)); // still older than the dump: it would roll state back
    assertEquals(List.of(1_000L, 1_500L, 1_200L, 2_000L), out);
    assertEquals(3, gate.skipped());
    assertEquals(5, gate.heldMax());
  }

  @Test
  void aFullHoldStopsTheFeedUntilOpenNothingLost() throws Exception {
    List<Long> out = new CopyOnWriteArrayList<>();
    BootstrapGate gate = new BootstrapGate(0, 3, e -> out.add(e.timestampMicros()));
    Thread feed =
        new Thread(
            () -> {
              try {
                for (long t = 1; t <= 6; t++) {
                  gate.offer(at(t));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    feed.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (gate.waits() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, gate.waits(), "the feed waits at the cap");
    assertTrue(feed.isAlive());
    assertEquals(3, gate.heldMax());
    gate.open();
    feed.join(10_000);
    assertFalse(feed.isAlive());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), out);
  }

  @Test
  void aZeroCapIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BootstrapGate(0, 0, e -> {}));
  }
}
