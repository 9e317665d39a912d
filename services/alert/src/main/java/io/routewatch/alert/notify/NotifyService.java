package io.routewatch.alert.notify;

import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.alert.AlertConfig;
import io.routewatch.alert.metrics.AlertMetrics;
import io.routewatch.alert.pipeline.AlertStateMachine;
import io.routewatch.alert.pipeline.AlertView;
import io.routewatch.alert.pipeline.NotificationOutbox;
import io.routewatch.alert.pipeline.OutboxEntity;
import io.routewatch.alert.pipeline.OutboxSignal;
import io.routewatch.servicekit.log.LogText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox to every Alertmanager, in order per Alertmanager, with exponential backoff
 * while one is unreachable (the others carry on), and re-sends all firing alerts every {@code
 * resend-interval} so Alertmanager never times them out (its resolve_timeout). One worker thread
 * does both, so a re-send can never overtake a queued transition. A notification that Alertmanager
 * refuses for good goes to the dead-letter table instead of blocking the queue.
 */
@ApplicationScoped
public class NotifyService {
  private static final Logger LOG = Logger.getLogger(NotifyService.class);
  private static final int BATCH = 200;

  @Inject AlertConfig config;
  @Inject NotificationOutbox outbox;
  @Inject OutboxSignal signal;
  @Inject AlertmanagerClient client;
  @Inject AlertStateMachine machine;
  @Inject AlertMetrics metrics;
  @Inject io.routewatch.alert.pipeline.PipelineLock lock;

  private volatile Thread worker;
  private volatile boolean running;
  private long nextResendMillis;
  private long nextPruneMillis;
  private Timer notified;
  private Timer alertmanager;

  void onStart(@Observes StartupEvent ev) {
    // every delivery series at 0 from the start: each configured target, each dead-letter reason
    for (String target : outbox.targets()) {
      metrics.target(target);
    }
    for (DeadLetterReason r : DeadLetterReason.values()) {
      metrics.deadLettered(r.label, 0);
    }
    notified = metrics.stage("notified");
    alertmanager = metrics.stage("alertmanager");
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
    boolean orphansPruned = false;
    while (running) {
      try {
        if (!orphansPruned) {
          // once per start, on the worker: retried here until the database answers
          pruneUnconfigured();
          orphansPruned = true;
        }
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
        signal.await(poll); // a commit to the outbox wakes it at once
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Sends the oldest undelivered notifications of one Alertmanager, unless it is backing off.
   *
   * <p>A refusal that a retry cannot change (a 4xx other than 408/429, see {@link
   * DeadLetterReason}) must not block the queue: a refused batch of several alerts is split in
   * halves, in order, until each refused alert stands alone, and that one goes to the dead-letter
   * table while the others are delivered. Alertmanager itself stores the valid alerts of a batch it
   * answers 400 to, so re-sending them in a half is harmless (it deduplicates by labels). A refusal
   * about the endpoint rather than the alert (401/403/407, 404/405/410) is the same for every
   * alert: the slice is dead-lettered whole without splitting. A transient failure (5xx, 408, 429,
   * no connection) stops the pass: what was done stays done, the rest is retried with backoff from
   * its oldest notification, so order per Alertmanager is kept.
   */
  void deliver(String target) {
    List<OutboxEntity> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    OutboxEntity.<OutboxEntity>find(
                            "target = ?1 and deliveredAt is null order by id", target)
                        .page(0, BATCH)
                        .list());
    if (rows.isEmpty() || rows.get(0).nextAttempt.isAfter(OffsetDateTime.now())) {
      return;
    }
    Deque<List<OutboxEntity>> todo = new ArrayDeque<>();
    todo.push(rows);
    while (!todo.isEmpty()) {
      List<OutboxEntity> slice = todo.pop();
      try {
        long posted = System.nanoTime();
        try {
          client.post(target, slice.stream().map(r -> r.payload).toList());
        } finally {
          if (alertmanager != null) {
            alertmanager.record(System.nanoTime() - posted, TimeUnit.NANOSECONDS);
          }
        }
        delivered(target, slice);
      } catch (AlertmanagerRefusal r) {
        DeadLetterReason reason = r.permanent();
        if (reason == null) {
          retryLater(target, slice.get(0), remaining(slice, todo), r);
          return;
        }
        if (slice.size() > 1 && splittable(reason)) {
          int mid = slice.size() / 2;
          todo.push(slice.subList(mid, slice.size()));
          todo.push(slice.subList(0, mid));
        } else {
          deadLetter(target, slice, reason, r);
        }
      } catch (IOException | RuntimeException e) {
        retryLater(target, slice.get(0), remaining(slice, todo), e);
        return;
      }
    }
  }

  /** A refusal about the alert (not the endpoint): another alert may be accepted. */
  private static boolean splittable(DeadLetterReason r) {
    return r != DeadLetterReason.UNAUTHORIZED && r != DeadLetterReason.NOT_FOUND;
  }

  private static int remaining(List<OutboxEntity> slice, Deque<List<OutboxEntity>> todo) {
    return slice.size() + todo.stream().mapToInt(List::size).sum();
  }

  private void delivered(String target, List<OutboxEntity> slice) {
    List<Long> ids = slice.stream().map(r -> r.id).toList();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              OutboxEntity.delete("id in ?1 and resend = true", ids);
              OutboxEntity.update("deliveredAt = ?1 where id in ?2", OffsetDateTime.now(), ids);
            });
    metrics.sent(target, (int) slice.stream().filter(r -> !r.resend).count());
    if (notified != null) {
      // transition committed to the outbox → accepted by this Alertmanager (re-sends not timed)
      OffsetDateTime now = OffsetDateTime.now();
      for (OutboxEntity r : slice) {
        if (!r.resend && r.createdAt != null) {
          long nanos = Duration.between(r.createdAt, now).toNanos();
          if (nanos >= 0 && nanos < AlertMetrics.LIVE_MICROS * 1000) {
            notified.record(nanos, TimeUnit.NANOSECONDS);
          }
        }
      }
    }
  }

  /**
   * Moves refused notifications to the dead-letter table (out of the queue). A periodic re-send of
   * an alert already dead-lettered at this Alertmanager is only counted: it would add one identical
   * row per re-send interval.
   */
  private void deadLetter(
      String target, List<OutboxEntity> slice, DeadLetterReason reason, AlertmanagerRefusal r) {
    int stored =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  int n = 0;
                  for (OutboxEntity o : slice) {
                    boolean repeat =
                        o.resend
                            && DeadLetterEntity.count(
                                    "alertId = ?1 and target = ?2", o.alertId, o.target)
                                > 0;
                    if (!repeat) {
                      DeadLetterEntity.of(o, reason, r.status, r.body).persist();
                      n++;
                    }
                  }
                  OutboxEntity.delete("id in ?1", slice.stream().map(o -> o.id).toList());
                  return n;
                });
    metrics.deadLettered(reason.label, slice.size());
    LOG.warnf(
        "Alertmanager %s refused %d notification(s) for good (HTTP %d, %s), dead-lettered %d"
            + " (first alert %s): %s",
        target,
        slice.size(),
        r.status,
        reason.label,
        stored,
        LogText.safe(slice.get(0).alertId),
        LogText.safe(r.body, 300));
  }

  private void retryLater(String target, OutboxEntity first, int waiting, Exception e) {
    int attempts = first.attempts + 1;
    long delay =
        Math.min(
            config.alertmanager().retryMax().toMillis(),
            config.alertmanager().retryInitial().toMillis() << Math.min(20, attempts - 1));
    String err = e.getMessage() == null ? e.toString() : e.getMessage();
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                OutboxEntity.update(
                    "attempts = ?1, nextAttempt = ?2, lastError = ?3 where id = ?4",
                    attempts,
                    OffsetDateTime.now().plusNanos(delay * 1_000_000),
                    err.substring(0, Math.min(300, err.length())),
                    first.id));
    metrics.failed(target, waiting);
    LOG.warnf(
        "Alertmanager %s: delivery failed (%d notifications waiting, attempt %d, next in %d ms): %s",
        target, waiting, attempts, delay, LogText.safe(err, 300));
  }

  /**
   * Notifications queued for an Alertmanager URL that is no longer configured would wait forever
   * (and count as backlog): at start, its transitions move to the dead-letter table (reason
   * target_removed), its periodic re-sends and delivered rows are deleted. Counted and logged once
   * per URL. Returns the number of notifications dead-lettered.
   */
  int pruneUnconfigured() {
    List<String> configured = outbox.targets();
    Map<String, Long> byTarget = new TreeMap<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              EntityManager em = OutboxEntity.getEntityManager();
              String orphan = configured.isEmpty() ? "1 = 1" : "o.target not in (:configured)";
              var counts =
                  em.createQuery(
                      "select o.target, count(o) from OutboxEntity o where o.deliveredAt is null"
                          + " and o.resend = false and "
                          + orphan
                          + " group by o.target",
                      Object[].class);
              var move =
                  em.createNativeQuery(
                      "insert into notification_dead_letter (outbox_id, alert_id, target, payload,"
                          + " resend, reason, http_status, response_body, attempts, queued_at)"
                          + " select id, alert_id, target, payload, resend, :reason, 0, '',"
                          + " attempts, created_at from notification_outbox o where delivered_at"
                          + " is null and resend = false and "
                          + orphan);
              var drop = em.createQuery("delete from OutboxEntity o where " + orphan);
              if (!configured.isEmpty()) {
                counts.setParameter("configured", configured);
                move.setParameter("configured", configured);
                drop.setParameter("configured", configured);
              }
              for (Object[] row : counts.getResultList()) {
                byTarget.put((String) row[0], (Long) row[1]);
              }
              move.setParameter("reason", DeadLetterReason.TARGET_REMOVED.label).executeUpdate();
              drop.executeUpdate();
            });
    int total = 0;
    for (Map.Entry<String, Long> e : byTarget.entrySet()) {
      total += e.getValue().intValue();
      LOG.warnf(
          "Alertmanager %s is no longer configured: %d queued notification(s) moved to"
              + " notification_dead_letter (reason target_removed)",
          LogText.safe(e.getKey()), e.getValue());
    }
    metrics.deadLettered(DeadLetterReason.TARGET_REMOVED.label, total);
    return total;
  }

  /**
   * Queues a re-send of every firing alert for each Alertmanager with no backlog (one that is down
   * gets the transitions first and the re-send after). Queued through the outbox under the pipeline
   * lock, so it is ordered with transitions: a stale "firing" can never overtake the "resolved"
   * that followed it.
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
    OffsetDateTime dead = OffsetDateTime.now().minus(config.alertmanager().deadLetterRetention());
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              OutboxEntity.delete("deliveredAt < ?1", cut);
              DeadLetterEntity.delete("deadLetteredAt < ?1", dead);
            });
  }
}
