package io.routewatch.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.routewatch.alert.pipeline.AlertConfig;
import io.routewatch.alert.pipeline.AlertView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Writes notifications into the outbox in the caller's transaction (the one that changed the
 * alert and, for change-driven transitions, advanced the cursor): a transition is either
 * committed with its notifications or not at all, so a crash can neither lose nor repeat one.
 */
@ApplicationScoped
public class NotificationOutbox {
  @Inject AlertConfig config;
  @Inject ObjectMapper json;

  public List<String> targets() {
    return config.alertmanager().urls().orElse(List.of()).stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
        .toList();
  }

  /** One row per Alertmanager. */
  public void enqueue(AlertView a) {
    String payload = AlertmanagerPayload.json(json, a);
    for (String t : targets()) {
      OutboxEntity o = new OutboxEntity();
      o.alertId = a.id();
      o.target = t;
      o.payload = payload;
      o.nextAttempt = OffsetDateTime.now();
      o.persist();
    }
  }

  public long pending() {
    return OutboxEntity.count("deliveredAt is null");
  }
}
