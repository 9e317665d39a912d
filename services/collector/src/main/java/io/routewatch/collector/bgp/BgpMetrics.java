package io.routewatch.collector.bgp;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * BGP session counters ({@code routewatch_collector_bgp_*}). The {@code peer} label is a configured
 * neighbour's name, so it stays bounded.
 */
final class BgpMetrics {
  private final MeterRegistry r;

  BgpMetrics(MeterRegistry r) {
    this.r = r;
  }

  void refused(String reason) {
    r.counter("routewatch_collector_bgp_connections_refused_total", "reason", reason).increment();
  }

  void message(String peer, int type) {
    r.counter("routewatch_collector_bgp_messages_total", "peer", peer, "type", typeName(type))
        .increment();
  }

  /** UPDATEs decoded on an Established session (what replays and tests compare with tshark). */
  /** A tick the session did not read its socket: the journal is at its disk quota. */
  void heldBack(String peer) {
    r.counter("routewatch_collector_bgp_held_back_ticks_total", "peer", peer).increment();
  }

  void decoded(String peer) {
    r.counter("routewatch_collector_bgp_updates_decoded_total", "peer", peer).increment();
  }

  void down(String peer, String reason) {
    r.counter("routewatch_collector_bgp_session_downs_total", "peer", peer, "reason", reason)
        .increment();
  }

  void rfc7606(String peer, String action) {
    r.counter(
            "routewatch_collector_bgp_rfc7606_total",
            "peer",
            peer,
            "action",
            action.toLowerCase(Locale.ROOT))
        .increment();
  }

  void maxPrefix(String peer, String action) {
    r.counter("routewatch_collector_bgp_max_prefix_exceeded_total", "peer", peer, "action", action)
        .increment();
  }

  void notificationSent(String peer, int code) {
    r.counter(
            "routewatch_collector_bgp_notifications_sent_total",
            "peer",
            peer,
            "code",
            Integer.toString(code))
        .increment();
  }

  void events(long n) {
    r.counter("routewatch_collector_events_read_total", "source", "bgp").increment(n);
  }

  static String typeName(int type) {
    return switch (type) {
      case 1 -> "open";
      case 2 -> "update";
      case 3 -> "notification";
      case 4 -> "keepalive";
      case 5 -> "route_refresh";
      default -> "unknown";
    };
  }
}
