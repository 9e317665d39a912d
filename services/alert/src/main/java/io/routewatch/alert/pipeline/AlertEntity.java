package io.routewatch.alert.pipeline;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One alert identity and where it stands (PENDING → FIRING → RESOLVED). */
@Entity
@Table(name = "alert")
public class AlertEntity extends PanacheEntityBase {
  public static final String PENDING = "PENDING";
  public static final String FIRING = "FIRING";
  public static final String RESOLVED = "RESOLVED";

  @Id public String id;

  @Column(nullable = false)
  public String type;

  @Column(nullable = false)
  public String state;

  @Column(nullable = false)
  public String severity;

  /** JSON object. */
  @Column(nullable = false)
  public String labels;

  @Column(nullable = false)
  public String summary;

  @Column(nullable = false)
  public String description;

  /** JSON object: what the rule saved for its resolve message. */
  @Column(nullable = false)
  public String context = "{}";

  @Column(name = "generator_url", nullable = false)
  public String generatorUrl = "";

  @Column(name = "pending_since", nullable = false)
  public long pendingSince;

  @Column(name = "fire_at")
  public Long fireAt;

  @Column(name = "starts_at")
  public Long startsAt;

  @Column(name = "clearing_since")
  public Long clearingSince;

  @Column(name = "resolve_at")
  public Long resolveAt;

  @Column(name = "auto_resolve_at")
  public Long autoResolveAt;

  /** Event-like alerts resolve this long after firing (0 = only on recovery). */
  @Column(name = "auto_resolve_micros", nullable = false)
  public long autoResolveMicros;

  @Column(name = "ends_at")
  public Long endsAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt = OffsetDateTime.now();
}
