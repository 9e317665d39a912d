package io.routewatch.alert.notify;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.alert.metrics.AlertMetrics;
import io.routewatch.alert.pipeline.AlertConfig;
import io.routewatch.alert.pipeline.AlertStateMachine;
import io.routewatch.alert.pipeline.AlertView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox to every Alertmanager, in order per Alertmanager, with exponential backoff
 * while one is unreachable (the others carry on), and re-sends all firing alerts every
 * {@code resend-interval} so Alertmanager never times them out (its resolve_timeout). One worker
 * thread does both, so a re-send can never overtake a queued transition.
 */
@ApplicationScoped
public class NotifyService {
  private static final Logger LOG = Logger.getLogger(NotifyService.class);
  private static final int BATCH = 200;

  @Inject AlertConfig config;
  @Inject NotificationOutbox outbox;
  @Inject AlertmanagerClient client;
  @Inject AlertStateMachine machine;
  @Inject AlertMetrics metrics;
  @Inject io.routewatch.alert.pipeline.PipelineLock lock;

  private volatile Thread worker;
  private volatile boolean running;
  private long nextResendMillis;
  private long nextPruneMillis;

  void onStart(@Observes StartupEvent ev) {
    start();
  }

  void onStop(@Observes ShutdownEvent ev) {
    stop();
  }

  /** Starts the worker (idempotent). */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    nextResendMillis = System.currentTimeMillis(); // after a restart, re-assert what is firing
    worker = new Thread(this::loop, "alert-notify");
    worker.setDaemon(true);
    worker.start();
  }

  /** Stops the worker and waits for it (bounded); the outbox keeps everything undelivered. */
  public synchronized void stop() {
    running = false;
    Thread w = worker;
    if (w != null) {
      w.interrupt();
      try {
        w.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    worker = null;
  }

  private void loop() {
    long poll = Math.max(10, config.alertmanager().pollInterval().toMillis());
    while (running) {
      try {
        for (String target : outbox.targets()) {
          deliver(target);
        }
        long now = System.currentTimeMillis();
        if (now >= nextResendMillis) {
          resendFiring();
          nextResendMillis = now + config.alertmanager().resendInterval().toMillis();
        }
        if (now >= nextPruneMillis) {
          prune();
          nextPruneMillis = now + 60_000;
        }
      } catch (RuntimeException e) {
        if (running) {
          LOG.warnf("notify loop: %s", e.toString());
        }
      }
      try {
        Thread.sleep(poll);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends the oldest undelivered notifications of one Alertmanager, unless it is backing off. */
  void deliver(String target) {
    List<OutboxEntity> rows =
        QuarkusTransaction.requiringNew()
            .call(() -> OutboxEntity.<OutboxEntity>find("target = ?1 and deliveredAt is null order by id", target).page(0, BATCH).list());
    if (rows.isEmpty() || rows.get(0).nextAttempt.isAfter(OffsetDateTime.now())) {
      return;
    }
    List<Long> ids = rows.stream().map(r -> r.id).toList();
    try {
      client.post(target, rows.stream().map(r -> r.payload).toList());
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                OutboxEntity.delete("id in ?1 and resend = true", ids);
                OutboxEntity.update("deliveredAt = ?1 where id in ?2", OffsetDateTime.now(), ids);
              });
      metrics.sent(target, (int) rows.stream().filter(r -> !r.resend).count());
    } catch (IOException | RuntimeException e) {
      OutboxEntity first = rows.get(0);
      int attempts = first.attempts + 1;
      long delay =
          Math.min(
              config.alertmanager().retryMax().toMillis(),
              config.alertmanager().retryInitial().toMillis() << Math.min(20, attempts - 1));
      String err = String.valueOf(e.getMessage());
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  OutboxEntity.update(
                      "attempts = ?1, nextAttempt = ?2, lastError = ?3 where id = ?4",
                      attempts,
                      OffsetDateTime.now().plusNanos(delay * 1_000_000),
                      err.substring(0, Math.min(300, err.length())),
                      first.id));
      metrics.failed(target, rows.size());
      LOG.warnf("Alertmanager %s unreachable (%d notifications waiting, attempt %d, next in %d ms): %s",
          target, rows.size(), attempts, delay, err);
    }
  }

  /**
   * Queues a re-send of every firing alert for each Alertmanager with no backlog (one that is
   * down gets the transitions first and the re-send after). Queued through the outbox under
   * the pipeline lock, so it is ordered with transitions: a stale "firing" can never overtake
   * the "resolved" that followed it.
   */
  void resendFiring() {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              lock.lock();
              List<AlertView> firing = machine.firing();
              if (firing.isEmpty()) {
                return;
              }
              for (String target : outbox.targets()) {
                if (outbox.backlog(target) == 0) {
                  outbox.enqueueResend(target, firing);
                  metrics.resent(target, firing.size());
                }
              }
            });
  }

  private void prune() {
    OffsetDateTime cut = OffsetDateTime.now().minus(config.alertmanager().retention());
    QuarkusTransaction.requiringNew().run(() -> OutboxEntity.delete("deliveredAt < ?1", cut));
  }
}
