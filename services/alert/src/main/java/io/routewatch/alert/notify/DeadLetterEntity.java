package io.routewatch.alert.notify;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.routewatch.alert.pipeline.OutboxEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A notification an Alertmanager refused for good, or one for an Alertmanager no longer configured.
 */
@Entity
@Table(name = "notification_dead_letter")
public class DeadLetterEntity extends PanacheEntityBase {
  /** Bound of {@link #responseBody} (the column's size). */
  public static final int BODY_MAX = 1024;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "outbox_id", nullable = false)
  public long outboxId;

  @Column(name = "alert_id", nullable = false)
  public String alertId;

  /** Alertmanager base URL. */
  @Column(nullable = false)
  public String target;

  @Column(nullable = false)
  public String payload;

  @Column(nullable = false)
  public boolean resend;

  /** One of {@link DeadLetterReason}'s labels. */
  @Column(nullable = false)
  public String reason;

  /** HTTP status of the refusal; 0 when never sent. */
  @Column(name = "http_status", nullable = false)
  public int httpStatus;

  @Column(name = "response_body", nullable = false)
  public String responseBody = "";

  @Column(nullable = false)
  public int attempts;

  @Column(name = "queued_at", nullable = false)
  public OffsetDateTime queuedAt;

  @Column(name = "dead_lettered_at", nullable = false)
  public OffsetDateTime deadLetteredAt = OffsetDateTime.now();

  static DeadLetterEntity of(OutboxEntity o, DeadLetterReason reason, int status, String body) {
    DeadLetterEntity d = new DeadLetterEntity();
    d.outboxId = o.id;
    d.alertId = o.alertId;
    d.target = o.target;
    d.payload = o.payload;
    d.resend = o.resend;
    d.reason = reason.label;
    d.httpStatus = status;
    String b = body == null ? "" : body;
    d.responseBody = b.length() <= BODY_MAX ? b : b.substring(0, BODY_MAX);
    d.attempts = o.attempts;
    d.queuedAt = o.createdAt;
    return d;
  }
}
