package io.routewatch.alert.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.routewatch.alert.AlertConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Writes notifications into the outbox in the caller's transaction (the one that changed the alert
 * and, for change-driven transitions, advanced the cursor): a transition is either committed with
 * its notifications or not at all, so a crash can neither lose nor repeat one.
 */
@ApplicationScoped
public class NotificationOutbox {
  @Inject AlertConfig config;
  @Inject ObjectMapper json;
  @Inject OutboxSignal signal;
  @Inject TransactionSynchronizationRegistry transactions;

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
      insert(a.id(), t, payload, false);
    }
    signalAfterCommit();
  }

  /** Wakes the notify worker once the caller's transaction has committed (once per transaction). */
  private void signalAfterCommit() {
    if (transactions.getTransactionKey() == null) {
      signal.signal();
      return;
    }
    if (transactions.getResource(OutboxSignal.class) != null) {
      return;
    }
    transactions.putResource(OutboxSignal.class, Boolean.TRUE);
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              signal.signal();
            }
          }
        });
  }

  /**
   * Queues a re-send of each firing alert for one Alertmanager. Must run under the pipeline lock
   * (see NotifyService): then no transition can commit between reading "firing" and queueing, and
   * outbox ids follow commit order, so a re-send is never delivered after a newer resolve.
   */
  public void enqueueResend(String target, List<AlertView> firing) {
    for (AlertView a : firing) {
      insert(a.id(), target, AlertmanagerPayload.json(json, a), true);
    }
  }

  public long backlog(String target) {
    return OutboxEntity.count("target = ?1 and deliveredAt is null", target);
  }

  private static void insert(String alertId, String target, String payload, boolean resend) {
    OutboxEntity o = new OutboxEntity();
    o.alertId = alertId;
    o.target = target;
    o.payload = payload;
    o.resend = resend;
    o.nextAttempt = OffsetDateTime.now();
    o.persist();
  }

  public long pending() {
    return OutboxEntity.count("deliveredAt is null");
  }
}
