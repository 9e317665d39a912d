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

  /**
   * Country its alerts carry (sticky, so a firing alert keeps its labels); null until known: an ASN
   * seeded from state's GetUpstreams, which names no country for an ASN.
   */
  @Column(name = "country")
  public String country;

  /** {@link #FROM_CHANGE} or {@link #FROM_STATE} (seeded from GetUpstreams). */
  @Column(name = "seeded_from", nullable = false)
  public String seededFrom = FROM_CHANGE;

  public static final String FROM_CHANGE = "change";
  public static final String FROM_STATE = "state";
}
