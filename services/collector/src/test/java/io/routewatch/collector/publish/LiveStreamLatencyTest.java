package io.routewatch.collector.publish;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.bgp.nlri.Prefix;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.VantagePoint;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A live stream does not hold an event back for its batch to fill when nothing is in flight to
 * state: with {@code linger-max} at a minute, an event on a quiet link still reaches state (a
 * loopback {@link FakeState}) at once; events that come while batches are in flight still share
 * batches.
 */
class LiveStreamLatencyTest {
  static final Duration LINGER = Duration.ofMinutes(1);

  final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  static final VantagePoint VP =
      VantagePoint.newBuilder()
          .setCollector("c")
          .setPeerAddress(ByteString.copyFrom(new byte[] {(byte) 198, 18, 0, 1}))
          .setPeerAsn(64500)
          .setPeerBgpId(1)
          .build();

  static int events(List<RouteEventBatch> batches) {
    return batches.stream().mapToInt(RouteEventBatch::getEventsCount).sum();
  }

  @Test
  void anEventOnAQuietLinkIsSentWithoutWaitingForTheLinger() throws Exception {
    FakeState state = new FakeState("state-0");
    closing.add(state);
    SmallRyeConfig cfg = TestLinks.config(Map.of());
    StateLink link = TestLinks.unsharded(cfg, state.port(), closing);
    TestLinks.await("link connected", Duration.ofSeconds(20), link::idle);
    LiveStream stream =
        new LiveStream(
            link,
            new SimpleMeterRegistry(),
            "c",
            "bgp/test/1",
            FeedKind.BGP,
            10_000,
            1 << 20,
            LINGER,
            50_000,
            Duration.ofSeconds(1));
    closing.add(() -> stream.close(Duration.ofSeconds(5)));

    stream.offer(LiveEvent.withdraw(VP, LiveEvent.nowMicros(), Prefix.parse("198.51.100.0/24")));
    // a minute of linger would time this out: the batch left because the link was idle
    TestLinks.await(
        "the withdrawal at state", Duration.ofSeconds(20), () -> events(state.applied()) == 1);

    // a burst: the first events go alone, the rest gather while batches are in flight
    int burst = 20_000;
    for (int i = 0; i < burst; i++) {
      Prefix p = Prefix.parse("10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".0/24");
      assertTrue(stream.offer(LiveEvent.withdraw(VP, LiveEvent.nowMicros(), p)));
    }
    TestLinks.await(
        "the burst at state", Duration.ofSeconds(30), () -> events(state.applied()) == 1 + burst);
    int batches = state.applied().size() - 1;
    System.out.printf("%d events in %d batches%n", burst, batches);
    assertTrue(batches < burst / 10, burst + " events in " + batches + " batches");
  }
}
