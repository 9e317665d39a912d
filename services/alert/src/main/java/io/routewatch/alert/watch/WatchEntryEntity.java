package io.routewatch.alert.watch;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One row of the watch list. */
@Entity
@Table(name = "watch_entry")
public class WatchEntryEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public String kind;

  @Column(nullable = false)
  public String value;

  /** JSON object of overrides. */
  @Column(nullable = false)
  public String overrides = "{}";

  @Column(nullable = false)
  public String description = "";

  @Column(nullable = false)
  public String source = "api";

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt = OffsetDateTime.now();
}
