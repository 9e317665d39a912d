package io.routewatch.collector.publish;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.collector.CollectorConfig;
import io.smallrye.config.SmallRyeConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Started {@link StateLink}s for tests outside this package (fields are package-private). */
public final class TestLinks {
  private TestLinks() {}

  /** The collector's configuration over these properties (test defaults for the rest). */
  public static SmallRyeConfig config(Map<String, String> props) {
    return StateLinkShardingTest.config(props);
  }

  /** One unsharded link to a loopback state; what to close goes on {@code closing}. */
  public static StateLink unsharded(SmallRyeConfig cfg, int port, List<AutoCloseable> closing) {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    closing.add(() -> ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    StateLink link = new StateLink();
    link.config = cfg.getConfigMapping(CollectorConfig.class);
    link.registry = new SimpleMeterRegistry();
    link.channel = ch;
    link.start(cfg);
    closing.add(() -> link.onStop(null));
    return link;
  }

  public static SimpleMeterRegistry registry(StateLink link) {
    return (SimpleMeterRegistry) link.registry;
  }
}
