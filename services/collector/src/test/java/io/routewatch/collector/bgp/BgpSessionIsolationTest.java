package io.routewatch.collector.bgp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 6 of issue 7: a peer that sends garbage, one that stops talking, one that exceeds
 * max-prefix (close and warn) and an unconfigured address each end only their own session, each
 * counted in its metric, while a well-behaved peer stays Established and keeps delivering.
 */
@QuarkusTest
@TestProfile(BgpSessionIsolationTest.Neighbours.class)
class BgpSessionIsolationTest {
  public static class Neighbours implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "routewatch.collector.bgp.neighbors",
          "address=127.0.0.2;asn=65002;name=good,"
              + "address=127.0.0.3;asn=65003;name=garbage,"
              + "address=127.0.0.4;asn=65004;name=silent,"
              + "address=127.0.0.5;asn=65005;name=greedy;max-prefix=2;max-prefix-action=close,"
              + "address=127.0.0.6;asn=65006;name=noisy;max-prefix=2;max-prefix-action=warn");
    }
  }

  @Inject BgpListener listener;
  @Inject MeterRegistry registry;

  double count(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  double gauge(String name, String... tags) {
    var g = registry.find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void badPeersNeverAffectOthers() throws Exception {
    int port = listener.port();
    try (TestSpeaker good = new TestSpeaker("127.0.0.2", port).establish(65002, 30)) {
      good.announce(65002, 1, 0);
      awaitCount("routewatch_collector_bgp_messages_total", 1, "peer", "good", "type", "update");

      // Garbage: a header whose marker is not all ones -> NOTIFICATION 1/1 (RFC 4271 §6.1).
      try (TestSpeaker g = new TestSpeaker("127.0.0.3", port).establish(65003, 30)) {
        g.send(new byte[19]);
        assertArrayEquals(new int[] {1, 1}, g.awaitNotification());
      }
      awaitCount(
          "routewatch_collector_bgp_session_downs_total",
          1,
          "peer",
          "garbage",
          "reason",
          "malformed_message");

      // RFC 7606 §7.1: a bad ORIGIN value is treat-as-withdraw; the session stays up.
      good.announce(65002, 2, 7);
      awaitCount(
          "routewatch_collector_bgp_rfc7606_total",
          1,
          "peer",
          "good",
          "action",
          "treat_as_withdraw");

      // Silent: hold time 3 s and then nothing -> NOTIFICATION 4/0 after 3 s.
      try (TestSpeaker s = new TestSpeaker("127.0.0.4", port).establish(65004, 3)) {
        long t0 = System.nanoTime();
        int[] n = s.awaitNotification();
        assertArrayEquals(new int[] {4, 0}, n);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(secs >= 2.0 && secs < 6, "hold expiry after " + secs + " s");
      }
      awaitCount(
          "routewatch_collector_bgp_session_downs_total",
          1,
          "peer",
          "silent",
          "reason",
          "hold_timer_expired");
      good.keepalive();

      // Max-prefix close: the third route -> Cease/1 (RFC 4486).
      try (TestSpeaker m = new TestSpeaker("127.0.0.5", port).establish(65005, 30)) {
        for (int i = 0; i < 3; i++) {
          m.announce(65005, i, 0);
        }
        assertArrayEquals(new int[] {6, 1}, m.awaitNotification());
      }
      awaitCount(
          "routewatch_collector_bgp_max_prefix_exceeded_total",
          1,
          "peer",
          "greedy",
          "action",
          "close");

      // Max-prefix warn: counted once, the session stays up.
      try (TestSpeaker w = new TestSpeaker("127.0.0.6", port).establish(65006, 30)) {
        for (int i = 0; i < 4; i++) {
          w.announce(65006, i, 0);
        }
        awaitCount(
            "routewatch_collector_bgp_max_prefix_exceeded_total",
            1,
            "peer",
            "noisy",
            "action",
            "warn");
        assertEquals(
            6.0,
            gauge("routewatch_collector_feed_session_state", "source", "bgp", "peer", "noisy"));
      }

      // Unconfigured address: refused before any OPEN.
      try (TestSpeaker u = new TestSpeaker("127.0.0.9", port)) {
        assertEquals(-1, u.readType());
      }
      awaitCount("routewatch_collector_bgp_connections_refused_total", 1, "reason", "unconfigured");

      // Through all of it the good session stayed up and still delivers.
      good.keepalive();
      good.announce(65002, 3, 0);
      awaitCount("routewatch_collector_bgp_messages_total", 3, "peer", "good", "type", "update");
      assertEquals(
          6.0, gauge("routewatch_collector_feed_session_state", "source", "bgp", "peer", "good"));
      assertEquals(0.0, count("routewatch_collector_bgp_session_downs_total", "peer", "good"));
    }
  }

  private void awaitCount(String name, double atLeast, String... tags)
      throws InterruptedException, IOException {
    for (int i = 0; i < 100 && count(name, tags) < atLeast; i++) {
      Thread.sleep(50);
    }
    assertEquals(atLeast, count(name, tags), name + " " + String.join(",", tags));
  }
}
