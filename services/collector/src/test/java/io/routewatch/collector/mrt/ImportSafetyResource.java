package io.routewatch.collector.mrt;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.routewatch.collector.publish.FakeState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * A loopback {@link FakeState} that acknowledges what it applies (so imports end DONE), a private
 * import directory under target/, the shared corpus as the other import directory, and small
 * numbers so pruning and cancelling show within seconds.
 */
public class ImportSafetyResource implements QuarkusTestResourceLifecycleManager {
  static final Path DIR =
      Paths.get("target", "import-safety-" + ProcessHandle.current().pid()).toAbsolutePath();
  static final int KEEP_JOBS = 4;
  static FakeState state;

  /** The corpus as the %test profile's import-dirs names it (this JVM or the packaged app's). */
  public static String data() {
    String p = System.getProperty("routewatch.data");
    return Path.of(p != null && !p.isBlank() && !p.contains("${") ? p : "../../../shared/data")
        .toAbsolutePath()
        .normalize()
        .toString();
  }

  @Override
  public Map<String, String> start() {
    try {
      Files.createDirectories(DIR);
      state = new FakeState("state-0");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Sharded, the link's meters carry a shard tag; Quarkus test apps of one JVM share Micrometer's
    // global registry, and Prometheus refuses one name with two tag-key sets
    // (ShardedStatesResource)
    Metrics.globalRegistry.clear();
    return Map.of(
        // One shard: the link builds its own channel (as ShardedStateAppTest; the state client's
        // port from a test resource did not reach the link)
        "routewatch.collector.state-shards",
        "state-0=127.0.0.1:" + state.port(),
        "%test.routewatch.collector.mrt.import-dirs",
        ImportSafetyResource.data() + "," + DIR,
        "routewatch.collector.mrt.keep-jobs",
        Integer.toString(KEEP_JOBS),
        "routewatch.collector.publish.batch-size",
        "200",
        "routewatch.collector.publish.reconnect-max",
        "200ms");
  }

  @Override
  public void stop() {
    Metrics.globalRegistry.clear();
    try {
      state.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
