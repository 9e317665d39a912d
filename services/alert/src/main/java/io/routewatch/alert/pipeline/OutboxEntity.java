package io.routewatch.alert.pipeline;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One notification for one Alertmanager, kept until delivered. */
@Entity
@Table(name = "notification_outbox")
public class OutboxEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "alert_id", nullable = false)
  public String alertId;

  /** Alertmanager base URL. */
  @Column(nullable = false)
  public String target;

  /** JSON of one alert (an element of the POST /api/v2/alerts array). */
  @Column(nullable = false)
  public String payload;

  /** A periodic re-send of a firing alert rather than a transition: deleted once delivered. */
  @Column(nullable = false)
  public boolean resend;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt = OffsetDateTime.now();

  @Column(nullable = false)
  public int attempts;

  @Column(name = "next_attempt", nullable = false)
  public OffsetDateTime nextAttempt = OffsetDateTime.now();

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "delivered_at")
  public OffsetDateTime deliveredAt;
}
