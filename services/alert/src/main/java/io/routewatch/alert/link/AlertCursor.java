package io.routewatch.alert.link;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The last change sequence the alert service fully handled (its resume point). */
@Entity
@Table(name = "alert_cursor")
public class AlertCursor extends PanacheEntityBase {
  @Id
  @Column(length = 64)
  public String subscriber;

  @Column(nullable = false)
  public long sequence;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
