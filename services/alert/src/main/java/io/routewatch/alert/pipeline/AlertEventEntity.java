package io.routewatch.alert.pipeline;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One fire or resolve transition (the history ListAlerts answers from). */
@Entity
@Table(name = "alert_event")
public class AlertEventEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "alert_id", nullable = false)
  public String alertId;

  @Column(nullable = false)
  public String type;

  @Column(nullable = false)
  public String state;

  @Column(nullable = false)
  public String severity;

  @Column(nullable = false)
  public long asn;

  @Column(nullable = false)
  public String country = "";

  @Column(nullable = false)
  public String labels;

  @Column(nullable = false)
  public String summary;

  @Column(nullable = false)
  public String description;

  @Column(name = "generator_url", nullable = false)
  public String generatorUrl = "";

  @Column(name = "starts_at", nullable = false)
  public long startsAt;

  @Column(name = "ends_at")
  public Long endsAt;

  @Column(name = "at_micros", nullable = false)
  public long atMicros;
}
