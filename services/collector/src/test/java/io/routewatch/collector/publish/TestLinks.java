package io.routewatch.collector.publish;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.collector.CollectorConfig;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
    return started(cfg, ch, closing);
  }

  /** A started link over {@code ch} (null: sharded, the link builds its channels). */
  static StateLink started(SmallRyeConfig cfg, ManagedChannel ch, List<AutoCloseable> closing) {
    StateLink link = new StateLink();
    link.config = cfg.getConfigMapping(CollectorConfig.class);
    link.registry = new SimpleMeterRegistry();
    link.channel = ch;
    link.start(cfg);
    closing.add(() -> link.onStop(null));
    return link;
  }

  /**
   * Polls {@code done} every 10 ms until it holds; fails naming {@code what} after {@code timeout}.
   */
  public static void await(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(10);
    }
  }

  public static SimpleMeterRegistry registry(StateLink link) {
    return (SimpleMeterRegistry) link.registry;
  }
}
