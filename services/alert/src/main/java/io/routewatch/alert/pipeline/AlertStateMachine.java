package io.routewatch.alert.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routewatch.alert.rule.ActiveAlert;
import io.routewatch.alert.rule.AlertRule;
import io.routewatch.alert.rule.AlertType;
import io.routewatch.alert.rule.Annotations;
import io.routewatch.alert.rule.Signal;
import io.routewatch.alert.rule.Thresholds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alert states in PostgreSQL: a firing signal starts the hold time (PENDING), which becomes FIRING
 * once it has held; a recovery signal starts the clear time, after which the alert is RESOLVED with
 * endsAt = when recovery began. A recovery during hold drops the alert unsent; a relapse during
 * clear keeps it firing (no flapping notifications). Every method runs in the caller's transaction;
 * each FIRING/RESOLVED transition writes history and the outbox there.
 */
@ApplicationScoped
public class AlertStateMachine {
  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  @Inject ObjectMapper json;
  @Inject Instance<AlertRule> ruleBeans;
  @Inject NotificationOutbox outbox;
  @Inject Event<AlertView> transitions;
  @Inject TxCache cache;

  private final Map<AlertType, AlertRule> rules = new EnumMap<>(AlertType.class);

  AlertRule rule(AlertType t) {
    if (rules.isEmpty()) {
      synchronized (rules) {
        ruleBeans.forEach(r -> rules.put(r.type(), r));
      }
    }
    return rules.get(t);
  }

  /** Applies one signal that passed the noise filter, as of now. */
  public void apply(Signal s, Thresholds th, String generatorUrl, long now) {
    apply(s, th, generatorUrl, now, now);
  }

  /**
   * Applies one signal that passed the noise filter.
   *
   * @param now the alert clock
   * @param since when the condition (or the recovery) began, at most {@code now}: hold and clear
   *     times count from it, so the time a change spent in the pipeline is not added to them
   */
  public void apply(Signal s, Thresholds th, String generatorUrl, long now, long since) {
    apply(s, th, generatorUrl, now, since, now);
  }

  /**
   * As above, with timers due only up to {@code dueBy} (at most {@code now}): the time up to which
   * the change stream is handled. A timer that is already past {@code now} but not past {@code
   * dueBy} (a backlog) waits for the tick that sees the stream caught up.
   */
  public void apply(
      Signal s, Thresholds th, String generatorUrl, long now, long since, long dueBy) {
    since = Math.min(since, now);
    dueBy = Math.min(dueBy, now);
    TxCache.Tx tx = cache.current();
    // a recovery only concerns an unresolved alert: known without a query
    AlertEntity a = s.fire() ? tx.alert(s.key()) : tx.unresolved(s.key());
    if (s.fire()) {
      if (a == null || AlertEntity.RESOLVED.equals(a.state)) {
        if (a == null) {
          a = new AlertEntity();
          a.id = s.key();
        }
        a.type = s.type().alertname();
        a.state = AlertEntity.PENDING;
        a.pendingSince = since;
        a.fireAt = since + th.holdMicros();
        a.startsAt = null;
        a.endsAt = null;
        a.clearingSince = null;
        a.resolveAt = null;
        a.autoResolveAt = null;
      } else if (a.clearingSince != null) {
        a.clearingSince = null; // relapse during clear time: it never stopped
        a.resolveAt = null;
      }
      if (!AlertEntity.FIRING.equals(a.state)) {
        // labels (severity included) are the alert's identity in Alertmanager: a firing alert
        // keeps those it was sent with, only its annotations follow the condition
        String severity = s.severity() != null ? s.severity() : th.severity();
        a.severity = severity;
        Map<String, String> labels = new LinkedHashMap<>(s.labels());
        labels.put("severity", severity);
        a.labels = write(labels);
      }
      a.summary = s.summary();
      a.description = s.description();
      a.context = write(s.context());
      a.generatorUrl = generatorUrl;
      a.autoResolveMicros = th.autoResolveMicros();
      a.updatedAt = OffsetDateTime.now();
      tx.persist(a);
      if (AlertEntity.PENDING.equals(a.state) && a.fireAt <= Math.max(dueBy, since)) {
        fire(a, now);
      }
      return;
    }
    if (a == null || AlertEntity.RESOLVED.equals(a.state)) {
      return;
    }
    if (AlertEntity.PENDING.equals(a.state)) {
      tx.delete(a); // recovered within the hold time: never notified, nothing to resolve
      return;
    }
    if (a.clearingSince == null) {
      a.clearingSince = since;
      a.resolveAt = since + th.clearMicros();
      a.updatedAt = OffsetDateTime.now();
    }
    if (a.resolveAt <= Math.max(dueBy, since)) {
      resolve(a, a.clearingSince, now);
    }
  }

  /** Fires what has held, resolves what has cleared or aged out. Returns transitions made. */
  public int tick(long now) {
    return tick(now, now);
  }

  /**
   * As {@link #tick(long)}, with timers due only up to {@code dueBy} (at most {@code now}): the
   * time up to which the change stream is handled.
   */
  public int tick(long now, long dueBy) {
    int n = 0;
    for (AlertEntity a :
        AlertEntity.<AlertEntity>list("state = ?1 and fireAt <= ?2", AlertEntity.PENDING, dueBy)) {
      fire(a, now);
      n++;
    }
    for (AlertEntity a :
        AlertEntity.<AlertEntity>list(
            "state = ?1 and (resolveAt <= ?2 or autoResolveAt <= ?2)", AlertEntity.FIRING, dueBy)) {
      boolean cleared = a.resolveAt != null && a.resolveAt <= dueBy;
      resolve(a, cleared ? a.clearingSince : now, now);
      n++;
    }
    return n;
  }

  public Optional<ActiveAlert> active(String key) {
    AlertEntity a = cache.current().unresolved(key);
    return a == null ? Optional.empty() : Optional.of(active(a));
  }

  public List<ActiveAlert> activeWithPrefix(String prefix) {
    return cache.current().unresolvedWithPrefix(prefix).stream().map(this::active).toList();
  }

  public List<AlertView> firing() {
    return AlertEntity.<AlertEntity>list("state", AlertEntity.FIRING).stream()
        .map(a -> view(a, 0))
        .toList();
  }

  private void fire(AlertEntity a, long now) {
    a.state = AlertEntity.FIRING;
    a.startsAt = a.pendingSince;
    if (a.autoResolveMicros > 0) {
      a.autoResolveAt = now + a.autoResolveMicros;
    }
    a.updatedAt = OffsetDateTime.now();
    record(a, now);
  }

  private void resolve(AlertEntity a, long endsAt, long now) {
    AlertRule r = rule(AlertType.parse(a.type).orElseThrow());
    Annotations ann = r.resolved(active(a), endsAt);
    a.state = AlertEntity.RESOLVED;
    // changes from different VPs carry their own times, not always in order: a recovery stamped
    // before the alert's start ends it at its start (Alertmanager refuses endsAt < startsAt)
    long started = a.startsAt == null ? a.pendingSince : a.startsAt;
    a.endsAt = Math.max(endsAt, started);
    a.summary = ann.summary();
    a.description = ann.description();
    a.updatedAt = OffsetDateTime.now();
    record(a, now);
  }

  private void record(AlertEntity a, long now) {
    AlertView v = view(a, now);
    AlertEventEntity e = new AlertEventEntity();
    e.alertId = a.id;
    e.type = a.type;
    e.state = a.state;
    e.severity = a.severity;
    e.asn = v.asn();
    e.country = v.country();
    e.labels = a.labels;
    e.summary = a.summary;
    e.description = a.description;
    e.generatorUrl = a.generatorUrl;
    e.startsAt = a.startsAt;
    e.endsAt = a.endsAt;
    e.atMicros = now;
    e.persist();
    outbox.enqueue(v);
    transitions.fire(v); // observers act after commit (stream, metrics)
  }

  AlertView view(AlertEntity a, long at) {
    return new AlertView(
        a.id,
        AlertType.parse(a.type).orElseThrow(),
        a.state,
        a.severity,
        read(a.labels),
        a.summary,
        a.description,
        a.startsAt == null ? a.pendingSince : a.startsAt,
        a.endsAt == null ? 0 : a.endsAt,
        a.generatorUrl,
        at);
  }

  private ActiveAlert active(AlertEntity a) {
    return new ActiveAlert(
        a.id,
        AlertType.parse(a.type).orElseThrow(),
        AlertEntity.FIRING.equals(a.state),
        read(a.labels),
        a.summary,
        a.description,
        read(a.context),
        a.startsAt == null ? a.pendingSince : a.startsAt);
  }

  private String write(Map<String, String> m) {
    try {
      return json.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  Map<String, String> read(String s) {
    try {
      return json.readValue(s, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
