package io.routewatch.collector.publish;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts three {@link FakeState}s before the app and lists them as its state shards.
 *
 * <p>Sharded, the state-link metrics carry a {@code shard} tag; unsharded they carry none, and
 * Prometheus refuses one name with two tag-key sets. An app has one or the other, but Quarkus test
 * apps of one JVM share Micrometer's global composite registry, whose meters outlive an app and are
 * copied into the next app's Prometheus registry. So its meters are cleared before and after this
 * app.
 */
public class ShardedStatesResource implements QuarkusTestResourceLifecycleManager {
  static final String TOKEN = "shard-test-token";
  static List<FakeState> states = List.of();

  @Override
  public Map<String, String> start() {
    List<FakeState> started = new ArrayList<>();
    StringBuilder shards = new StringBuilder();
    try {
      for (int i = 0; i < 3; i++) {
        FakeState s = new FakeState("state-" + i);
        started.add(s);
        shards.append(i == 0 ? "" : ",").append(s.name).append("=127.0.0.1:").append(s.port());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    states = List.copyOf(started);
    Metrics.globalRegistry.clear();
    return Map.of(
        "routewatch.collector.state-shards",
        shards.toString(),
        "routewatch.security.api-token",
        TOKEN,
        "routewatch.collector.publish.reconnect-max",
        "200ms");
  }

  @Override
  public void stop() {
    Metrics.globalRegistry.clear();
    for (FakeState s : states) {
      try {
        s.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
