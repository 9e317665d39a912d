package io.routewatch.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.bgp.nlri.Prefix;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.VantagePoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The collector's stage timings ({@code routewatch_collector_stage_seconds{source,stage}}): a
 * partly filled batch is timed from its first event through the linger, a full one goes at once;
 * each batch handed to the link is counted once in {@code batched} and once in {@code sent}.
 */
class LiveStreamStagesTest {
  static final VantagePoint VP =
      VantagePoint.newBuilder()
          .setCollector("c")
          .setPeerAddress(ByteString.copyFrom(new byte[] {(byte) 192, 0, 2, 1}))
          .setPeerAsn(65001)
          .build();

  final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  static LiveEvent withdraw(int i) {
    return LiveEvent.withdraw(VP, LiveEvent.nowMicros(), Prefix.parse("198.51.100." + i + "/32"));
  }

  @Test
  void aPartBatchIsTimedThroughItsLingerAFullOneGoesAtOnce() throws Exception {
    FakeState state = new FakeState("state");
    closing.add(state);
    StateLink link = TestLinks.unsharded(TestLinks.config(Map.of()), state.port(), closing);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LiveStream s =
        new LiveStream(
            link,
            registry,
            "c",
            "ris-live-test",
            FeedKind.RIS_LIVE,
            4,
            1 << 20,
            Duration.ofMillis(300),
            64,
            Duration.ofSeconds(1));
    closing.add(s);
    Timer batched =
        registry
            .get("routewatch_collector_stage")
            .tags("source", "ris_live", "stage", "batched")
            .timer();
    Timer sent =
        registry
            .get("routewatch_collector_stage")
            .tags("source", "ris_live", "stage", "sent")
            .timer();

    s.offer(withdraw(1)); // alone in a quiet stream, nothing in flight: goes at once
    TestLinks.await(
        "the lone event applied",
        Duration.ofSeconds(10),
        () -> state.position("ris-live-test") == 1);
    assertEquals(1, batched.count());
    assertEquals(1, sent.count());
    double alone = batched.totalTime(TimeUnit.MILLISECONDS);
    assertTrue(alone < 300, "a quiet feed's update does not wait the 300 ms linger: " + alone);
    TestLinks.await(
        "the lone event acknowledged",
        Duration.ofSeconds(10),
        () -> link.acknowledged("ris-live-test") == 1);

    // state slow: a batch in flight, not answered; the next part batch waits its linger
    state.holdAcks();
    s.offer(withdraw(10));
    TestLinks.await(
        "the unanswered batch applied",
        Duration.ofSeconds(10),
        () -> state.position("ris-live-test") == 2);
    long t = System.nanoTime();
    s.offer(withdraw(11));
    TestLinks.await(
        "the lingered batch applied",
        Duration.ofSeconds(10),
        () -> state.position("ris-live-test") == 3);
    double lingered = (System.nanoTime() - t) / 1e6;
    assertTrue(
        lingered >= 290 && lingered < 5000,
        "with a batch in flight a part batch lingers 300 ms: " + lingered);
    state.releaseAcks();
    TestLinks.await(
        "the held acknowledgements",
        Duration.ofSeconds(10),
        () -> link.acknowledged("ris-live-test") == 3);
    assertEquals(3, batched.count());
    assertEquals(3, sent.count());

    // a full batch goes at once, in flight or not
    state.holdAcks();
    s.offer(withdraw(20)); // nothing in flight: at once, then unanswered
    TestLinks.await(
        "the unanswered batch applied",
        Duration.ofSeconds(10),
        () -> state.position("ris-live-test") == 4);
    t = System.nanoTime();
    for (int i = 21; i <= 24; i++) {
      s.offer(withdraw(i)); // 4 = batch-size
    }
    TestLinks.await(
        "the full batch applied",
        Duration.ofSeconds(10),
        () -> state.position("ris-live-test") == 5);
    double full = (System.nanoTime() - t) / 1e6;
    assertTrue(full < 290, "a full batch does not linger: " + full + " ms");
    assertEquals(4, state.applied().get(4).getEventsCount());
    state.releaseAcks();
    assertEquals(5, batched.count());
    assertEquals(5, sent.count());
  }
}
