package io.routewatch.collector.rislive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.proto.v1.EventKind;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A message over max-message-size (sent in 60,000-byte fragments, RFC 6455 §5.4) is dropped as it
 * arrives and counted (reason too_large); the next message on the same connection is mapped.
 */
class RisLiveOversizeTest {
  @Test
  void oversizeMessageIsDroppedAndTheNextOneApplied() throws Exception {
    String update = Files.readAllLines(RisLiveClientTest.sample()).get(0);
    String big = "{\"type\":\"ris_message\",\"data\":{\"x\":\"" + "a".repeat(300_000) + "\"}}";
    try (MiniWebSocketServer server =
        new MiniWebSocketServer(n -> new MiniWebSocketServer.Script(List.of(big, update), false))) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      FeedHealth.Feed health = new FeedHealth(registry).feed("rislive", "rislive");
      List<LiveEvent> events = new CopyOnWriteArrayList<>();
      RisLiveSettings s =
          new RisLiveSettings(
              URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws/"),
              Optional.empty(),
              Optional.empty(),
              true,
              false,
              Optional.empty(),
              Optional.empty(),
              Duration.ofSeconds(30),
              Duration.ofSeconds(30),
              Duration.ofMillis(100),
              Duration.ofSeconds(2),
              100_000);
      try (RisLiveClient c = new RisLiveClient(s, events::add, registry, health)) {
        c.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (events.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      }
      assertEquals(
          1.0,
          registry
              .counter("routewatch_collector_rislive_errors_total", "reason", "too_large")
              .count());
      assertEquals(1, events.size(), events.toString());
      assertEquals(EventKind.ANNOUNCE, events.get(0).kind());
      assertEquals(1, server.connections.get(), "one connection: it went on after the drop");
    }
  }
}
