package io.routewatch.collector.bmp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.bgp.bmp.BmpStat;
import io.routewatch.bgp.bmp.PeerKey;
import io.routewatch.bgp.bmp.StatisticsReport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BMP station metrics ({@code routewatch_collector_bmp_*}). {@code router} is a configured router's
 * name or {@code other}; {@code type} and {@code stat} come from fixed tables, so every label is
 * bounded. Statistics Reports become gauges: per router and stat type, the sum over monitored peers
 * of each peer's latest reported value.
 */
final class BmpMetrics {
  private final MeterRegistry r;

  /** (peer, AFI/SAFI) values kept per router label and stat: beyond, new ones are ignored. */
  static final int MAX_STAT_KEYS = 65_536;

  /** router label → stat name → (peer, afi/safi) → latest value. */
  private final Map<String, Map<String, Map<String, Long>>> stats = new ConcurrentHashMap<>();

  BmpMetrics(MeterRegistry r) {
    this.r = r;
    for (String reason : new String[] {"not_allowed", "limit"}) {
      refused(reason, 0); // pre-initialised: an alert on rate() sees 0, not absence
    }
  }

  /**
   * A connection closed at once: {@code not_allowed} (source) or {@code limit} (max-connections).
   */
  void refused(String reason) {
    refused(reason, 1);
  }

  private void refused(String reason, int n) {
    r.counter("routewatch_collector_bmp_connections_refused_total", "reason", reason).increment(n);
  }

  /** Counters of a router label at 0 (an alert on rate() sees 0, not absence). */
  void router(String router) {
    r.counter("routewatch_collector_bmp_peers_refused_total", "router", router);
    r.counter("routewatch_collector_bmp_peers_evicted_total", "router", router);
  }

  /** A Peer Up, Route Monitoring or Statistics Report ignored: its peer or view is over the cap. */
  void peerRefused(String router) {
    r.counter("routewatch_collector_bmp_peers_refused_total", "router", router).increment();
  }

  /** A down peer forgotten to make room for a new one (max-peers-per-router). */
  void peerEvicted(String router) {
    r.counter("routewatch_collector_bmp_peers_evicted_total", "router", router).increment();
  }

  /** A connection closed after idle-timeout without a message. */
  void idleClosed(String router) {
    r.counter("routewatch_collector_bmp_idle_closed_total", "router", router).increment();
  }

  void message(String router, int type) {
    r.counter("routewatch_collector_bmp_messages_total", "router", router, "type", typeName(type))
        .increment();
  }

  void decodeError(String router) {
    r.counter("routewatch_collector_bmp_decode_errors_total", "router", router).increment();
  }

  void framingError(String router) {
    r.counter("routewatch_collector_bmp_framing_errors_total", "router", router).increment();
  }

  void updateError(String router) {
    r.counter("routewatch_collector_bmp_update_errors_total", "router", router).increment();
  }

  void asWidthRetried(String router) {
    r.counter("routewatch_collector_bmp_as_width_retries_total", "router", router).increment();
  }

  void mirroring(String router) {
    r.counter("routewatch_collector_bmp_route_mirroring_total", "router", router).increment();
  }

  void events(long n) {
    r.counter("routewatch_collector_events_read_total", "source", "bmp").increment(n);
  }

  void stats(String router, StatisticsReport report) {
    PeerKey k = report.peer().key();
    for (BmpStat s : report.stats()) {
      long v = s.longValue();
      if (v < 0) {
        continue;
      }
      String name = statName(s.type());
      Map<String, Long> perPeer =
          stats
              .computeIfAbsent(router, x -> new ConcurrentHashMap<>())
              .computeIfAbsent(name, x -> register(router, x));
      String key = k + "/" + s.afi() + "/" + s.safi();
      if (perPeer.size() < MAX_STAT_KEYS || perPeer.containsKey(key)) {
        perPeer.put(key, v); // AFI/SAFI come from the router too: the map stays bounded
      }
    }
  }

  private Map<String, Long> register(String router, String stat) {
    Map<String, Long> m = new ConcurrentHashMap<>();
    Gauge.builder(
            "routewatch_collector_bmp_stat",
            m,
            x -> x.values().stream().mapToLong(Long::longValue).sum())
        .tag("router", router)
        .tag("stat", stat)
        .description(
            "BMP Statistics Report value, summed over the router's monitored peers (latest per peer)")
        .register(r);
    return m;
  }

  static String typeName(int type) {
    return switch (type) {
      case 0 -> "route_monitoring";
      case 1 -> "statistics_report";
      case 2 -> "peer_down";
      case 3 -> "peer_up";
      case 4 -> "initiation";
      case 5 -> "termination";
      case 6 -> "route_mirroring";
      default -> "unknown";
    };
  }

  /** RFC 7854 §4.8 and RFC 8671 §6 stat types. */
  static String statName(int type) {
    return switch (type) {
      case 0 -> "rejected_prefixes";
      case 1 -> "duplicate_prefix_advertisements";
      case 2 -> "duplicate_withdraws";
      case 3 -> "invalid_cluster_list_loop";
      case 4 -> "invalid_as_path_loop";
      case 5 -> "invalid_originator_id";
      case 6 -> "invalid_as_confed_loop";
      case 7 -> "adj_rib_in_routes";
      case 8 -> "loc_rib_routes";
      case 9 -> "adj_rib_in_routes_per_afi_safi";
      case 10 -> "loc_rib_routes_per_afi_safi";
      case 11 -> "updates_treat_as_withdraw";
      case 12 -> "prefixes_treat_as_withdraw";
      case 13 -> "duplicate_updates";
      case 14 -> "adj_rib_out_pre_routes";
      case 15 -> "adj_rib_out_post_routes";
      case 16 -> "adj_rib_out_pre_routes_per_afi_safi";
      case 17 -> "adj_rib_out_post_routes_per_afi_safi";
      default -> "other";
    };
  }
}
