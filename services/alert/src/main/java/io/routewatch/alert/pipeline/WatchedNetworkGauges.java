package io.routewatch.alert.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.alert.rule.AlertType;
import io.routewatch.alert.watch.WatchService;
import io.routewatch.servicekit.metrics.Gauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Gauges of the watched networks, refreshed from the alert service's network view every few
 * seconds: upstream count, share per upstream, visibility. Labels are the watched ASN or country
 * and the upstream ASN only (bounded by the watch list), never a prefix or a path.
 */
@ApplicationScoped
public class WatchedNetworkGauges {
  private static final Logger LOG = Logger.getLogger(WatchedNetworkGauges.class);

  @Inject MeterRegistry registry;
  @Inject WatchService watch;
  @Inject NotificationOutbox outbox;

  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();
  private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
  private ScheduledExecutorService exec;

  void onStart(@Observes StartupEvent ev) {
    Gauges.gauge(
        registry, "routewatch_alert_watched_networks", Tags.empty(), watch, w -> w.list().size());
    for (AlertType t : AlertType.values()) {
      set("routewatch_alert_alerts_firing", Tags.of("type", t.alertname()), 0);
    }
    set("routewatch_alert_outbox_pending_notifications", Tags.empty(), 0);
    exec =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "alert-gauges");
              t.setDaemon(true);
              return t;
            });
    exec.scheduleWithFixedDelay(this::safeRefresh, 0, 2, TimeUnit.SECONDS);
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (exec != null) {
      exec.shutdownNow();
    }
  }

  private void safeRefresh() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.debugf("gauge refresh failed: %s", e.toString());
    }
  }

  /** Re-reads the view; series of upstreams that vanished are removed. */
  public synchronized void refresh() {
    Set<String> live = new HashSet<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Map<String, Integer> counts = new HashMap<>();
              for (NetworkUpstreamEntity u :
                  NetworkUpstreamEntity.<NetworkUpstreamEntity>list("present", true)) {
                counts.merge(u.target, 1, Integer::sum);
                live.add(
                    set(
                        "routewatch_alert_watched_upstream_share_ratio",
                        network(u.target).and("upstream", "AS" + u.upstream),
                        u.share));
              }
              for (NetworkTargetEntity t : NetworkTargetEntity.<NetworkTargetEntity>listAll()) {
                live.add(
                    set(
                        "routewatch_alert_watched_upstreams",
                        network(t.target),
                        counts.getOrDefault(t.target, 0)));
                if (t.visibility != null) {
                  live.add(
                      set(
                          "routewatch_alert_watched_visibility_ratio",
                          network(t.target),
                          t.visibility));
                }
              }
              for (AlertType type : AlertType.values()) {
                set(
                    "routewatch_alert_alerts_firing",
                    Tags.of("type", type.alertname()),
                    AlertEntity.count(
                        "type = ?1 and state = ?2", type.alertname(), AlertEntity.FIRING));
              }
              set("routewatch_alert_outbox_pending_notifications", Tags.empty(), outbox.pending());
            });
    for (String k : Set.copyOf(gauges.keySet())) {
      if (k.startsWith("routewatch_alert_watched_") && !live.contains(k)) {
        registry.remove(gauges.remove(k));
        values.remove(k);
      }
    }
  }

  /** asn="AS131279",country="" or asn="",country="KP": same label keys on every series. */
  private static Tags network(String target) {
    return target.startsWith("AS")
        ? Tags.of("asn", target, "country", "")
        : Tags.of("asn", "", "country", target);
  }

  private String set(String name, Tags tags, double v) {
    String key = name + tags;
    AtomicReference<Double> ref = values.computeIfAbsent(key, k -> new AtomicReference<>(0.0));
    ref.set(v);
    gauges.computeIfAbsent(
        key, k -> Gauge.builder(name, ref, AtomicReference::get).tags(tags).register(registry));
    return key;
  }
}
