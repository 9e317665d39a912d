package io.routewatch.collector.rislive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.proto.v1.EventKind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 5 of issue 7: a local WebSocket server replays the real RIS Live sample
 * (ris-live-stream.json, 7 frames, line 7 malformed). The first connection gets lines 1–3 and is
 * dropped mid-stream; the client reconnects (backoff) and gets lines 4–7.
 */
class RisLiveClientTest {
  static Path sample() {
    String p = System.getProperty("routewatch.data");
    Path root =
        Path.of(p != null && !p.isBlank() && !p.contains("${") ? p : "../../../shared/data");
    return root.resolve("rislive/ris-live-stream.json");
  }

  @Test
  void replayWithDropIsReconnectedAndEveryValidMessageMapped() throws Exception {
    List<String> lines = Files.readAllLines(sample());
    assertEquals(7, lines.size());
    try (MiniWebSocketServer server =
        new MiniWebSocketServer(
            n ->
                n == 1
                    ? new MiniWebSocketServer.Script(lines.subList(0, 3), true)
                    : new MiniWebSocketServer.Script(lines.subList(3, 7), false))) {
      check(server, lines);
    }
  }

  private void check(MiniWebSocketServer server, List<String> lines) throws Exception {
    AtomicInteger connections = server.connections;
    List<String> subscriptions = server.received;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FeedHealth.Feed health = new FeedHealth(registry).feed("rislive", "rislive");
    List<LiveEvent> events = new CopyOnWriteArrayList<>();
    RisLiveSettings s =
        new RisLiveSettings(
            URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws/"),
            Optional.of("rrc00"),
            Optional.of("45.161.192.0/22"),
            true,
            false,
            Optional.empty(),
            Optional.empty(),
            Duration.ofMillis(200),
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            1 << 20);
    try (RisLiveClient c = new RisLiveClient(s, events::add, registry, health)) {
      c.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((health.messages() < 7
              || registry
                      .counter(
                          "routewatch_collector_rislive_errors_total", "reason", "malformed_json")
                      .count()
                  < 1)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    assertEquals(2, connections.get(), "connections");
    assertEquals(7, health.messages(), "frames received");
    assertEquals(1.0, health.reconnects(), "reconnects in feed health");
    assertTrue(
        subscriptions.get(0).contains("\"prefix\":\"45.161.192.0/22\""), subscriptions.get(0));
    assertTrue(subscriptions.get(0).contains("\"host\":\"rrc00\""));
    assertEquals(
        1.0,
        registry
            .counter("routewatch_collector_rislive_errors_total", "reason", "malformed_json")
            .count());
    assertEquals(
        1.0,
        registry
            .counter("routewatch_collector_rislive_errors_total", "reason", "ris_error")
            .count());
    for (String t : List.of("update", "ris_peer_state", "open", "notification", "keepalive")) {
      assertEquals(
          1.0,
          registry.counter("routewatch_collector_rislive_messages_total", "type", t).count(),
          t);
    }
    // Line 1: one announcement of 45.161.192.0/23 by 72.22.223.9 AS11708; line 2: peer down.
    assertEquals(2, events.size(), events.toString());
    LiveEvent a = events.get(0);
    assertEquals(EventKind.ANNOUNCE, a.kind());
    assertEquals("45.161.192.0/23", a.prefix().toString());
    assertEquals(11708, a.vp().getPeerAsn());
    assertEquals("rrc00", a.vp().getCollector());
    assertEquals(
        List.of(
            11708, 32097, 1299, 52320, 263009, 263009, 263009, 263009, 263009, 52993, 268481,
            268481),
        a.protoPath().getSegments(0).getAsnsList());
    assertEquals(EventKind.PEER_DOWN, events.get(1).kind());
    assertEquals(24931, events.get(1).vp().getPeerAsn());
  }
}
