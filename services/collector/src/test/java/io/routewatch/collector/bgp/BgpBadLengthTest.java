package io.routewatch.collector.bgp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RFC 4271 §6.1: a header whose Length is below 19 or above 4096 (no RFC 8654 extended messages
 * negotiated) is answered with NOTIFICATION 1/2 (Bad Message Length) whose Data is the erroneous
 * Length field, before any body is read or allocated; a neighbour on another session stays up.
 */
@QuarkusTest
@TestProfile(BgpBadLengthTest.Neighbours.class)
class BgpBadLengthTest {
  public static class Neighbours implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "routewatch.collector.bgp.neighbors",
          "address=127.0.0.2;asn=65002;name=good,address=127.0.0.7;asn=65007;name=liar");
    }
  }

  @Inject BgpListener listener;
  @Inject MeterRegistry registry;

  @Test
  void badLengthIsRefusedWithTheLengthInTheNotification() throws Exception {
    int port = listener.port();
    try (TestSpeaker good = new TestSpeaker("127.0.0.2", port).establish(65002, 30)) {
      int[] lengths = {4097, 65535, 18, 0};
      for (int i = 0; i < lengths.length; i++) {
        int length = lengths[i];
        try (TestSpeaker liar = establishLiar(port)) {
          byte[] header = TestSpeaker.message(4, ""); // a KEEPALIVE header …
          header[16] = (byte) (length >>> 8); // … declaring a length it does not have
          header[17] = (byte) length;
          liar.send(header);
          assertArrayEquals(new int[] {1, 2}, liar.awaitNotification(), "length " + length);
          assertArrayEquals(
              new byte[] {(byte) (length >>> 8), (byte) length},
              java.util.Arrays.copyOfRange(liar.lastBody, 2, liar.lastBody.length),
              "NOTIFICATION data for length " + length);
        }
        // the next connection from this neighbour only once this session is gone
        for (int t = 0; t < 100 && downs() < i + 1; t++) {
          Thread.sleep(50);
        }
        assertEquals(i + 1.0, downs(), "session downs of the liar, reason malformed_message");
      }
      good.keepalive();
      good.announce(65002, 1, 0);
      for (int i = 0; i < 100 && state("good") != 6.0; i++) {
        Thread.sleep(50);
      }
      assertEquals(6.0, state("good"), "the good neighbour stays Established");
    }
  }

  /**
   * A new session of the liar; the listener may still hold the last one for a moment (a second
   * connection is then refused as a collision, RFC 4271 §6.8), so it tries again, at most 20 times.
   */
  private static TestSpeaker establishLiar(int port) throws Exception {
    for (int attempt = 1; ; attempt++) {
      TestSpeaker s = new TestSpeaker("127.0.0.7", port);
      try {
        return s.establish(65007, 30);
      } catch (java.io.IOException e) {
        s.close();
        if (attempt == 20) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private double downs() {
    var c =
        registry
            .find("routewatch_collector_bgp_session_downs_total")
            .tags("peer", "liar", "reason", "malformed_message")
            .counter();
    return c == null ? 0 : c.count();
  }

  private double state(String peer) {
    var g =
        registry
            .find("routewatch_collector_feed_session_state")
            .tags("source", "bgp", "peer", peer)
            .gauge();
    return g == null ? Double.NaN : g.value();
  }
}
