package io.routewatch.alert.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.alert.rule.AlertType;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of the alert pipeline, every label combination registered at start with 0 so rate() and
 * absent() work from the first scrape. Label values are bounded: alert types, suppression reasons,
 * configured Alertmanager URLs.
 */
@ApplicationScoped
public class AlertMetrics {
  static final List<String> REASONS = List.of("peers", "share", "disabled");

  @Inject MeterRegistry registry;

  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  /**
   * Stages of {@code routewatch_alert_stage_seconds}: {@code received} (a change's event time, the
   * collector's arrival stamp, → the handler takes it), {@code decided} (event time → its batch's
   * rules decided and committed with the outbox), {@code notified} (a transition committed → an
   * Alertmanager accepted it) and {@code alertmanager} (one POST's round trip).
   */
  public static final List<String> STAGES =
      List.of("received", "decided", "notified", "alertmanager");

  /** Changes older than this are a replay or a catch-up, not live: not timed. */
  public static final long LIVE_MICROS = 3_600_000_000L;

  private final Map<String, Timer> stages = new ConcurrentHashMap<>();

  void onStart(@Observes @Priority(5) StartupEvent ev) {
    STAGES.forEach(this::stage);
    for (AlertType t : AlertType.values()) {
      fired(t, 0);
      resolved(t, 0);
      for (String r : REASONS) {
        counter(
            "routewatch_alert_signals_suppressed",
            "Firing signals dropped by the noise filter",
            "type",
            t.alertname(),
            "reason",
            r);
      }
    }
  }

  /**
   * Registers an Alertmanager's delivery counters at 0 (the notifier calls it for each configured
   * target at start, so a target without traffic still shows its series).
   */
  public void target(String am) {
    sent(am, 0);
    failed(am, 0);
    resent(am, 0);
  }

  /** The timer of one latency stage (see {@link #STAGES}). */
  public Timer stage(String stage) {
    return stages.computeIfAbsent(
        stage,
        s ->
            Timer.builder("routewatch_alert_stage")
                .description(
                    "Live alert latency by stage: received and decided from the change's event"
                        + " time, notified from the commit, alertmanager = one POST")
                .tag("stage", s)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry));
  }

  public void fired(AlertType t, int n) {
    counter("routewatch_alert_alerts_fired", "Alerts that started firing", "type", t.alertname())
        .increment(n);
  }

  public void resolved(AlertType t, int n) {
    counter("routewatch_alert_alerts_resolved", "Alerts that resolved", "type", t.alertname())
        .increment(n);
  }

  public void suppressed(AlertType t, String reason) {
    counter(
            "routewatch_alert_signals_suppressed",
            "Firing signals dropped by the noise filter",
            "type",
            t.alertname(),
            "reason",
            reason)
        .increment();
  }

  public void sent(String am, int n) {
    counter(
            "routewatch_alert_notifications_sent",
            "Notifications (alert transitions) accepted by an Alertmanager",
            "alertmanager",
            am)
        .increment(n);
  }

  public void failed(String am, int n) {
    counter(
            "routewatch_alert_notifications_failed",
            "Notifications waiting behind a POST that failed transiently (no connection, 5xx, 408, 429; retried)",
            "alertmanager",
            am)
        .increment(n);
  }

  public void resent(String am, int n) {
    counter(
            "routewatch_alert_notifications_resent",
            "Firing alerts re-sent to keep them active",
            "alertmanager",
            am)
        .increment(n);
  }

  /** Not labelled by Alertmanager: a removed one's URL is not a configured (bounded) value. */
  public void deadLettered(String reason, int n) {
    counter(
            "routewatch_alert_deliveries_dead_lettered",
            "Notifications an Alertmanager refused for good (4xx other than 408/429) or queued for one no longer configured, moved to notification_dead_letter",
            "reason",
            reason)
        .increment(n);
  }

  private Counter counter(String name, String help, String... tags) {
    String key = name + String.join("\u0000", tags);
    return counters.computeIfAbsent(
        key, k -> Counter.builder(name).description(help).tags(tags).register(registry));
  }
}
