package io.routewatch.alert.pipeline;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A watched network the alert service has heard of: baseline start and last visibility. */
@Entity
@Table(name = "network_target")
public class NetworkTargetEntity extends PanacheEntityBase {
  @Id public String target;

  @Column(name = "first_seen", nullable = false)
  public long firstSeen;

  @Column(name = "visibility")
  public Double visibility;

  /** Change time an upstream last appeared or vanished (null: never since watched). */
  @Column(name = "set_changed_at")
  public Long setChangedAt;
}
