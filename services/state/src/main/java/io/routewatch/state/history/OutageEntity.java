package io.routewatch.state.history;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** One outage interval of a prefix, origin or country (µs since epoch). */
@Entity
@Table(name = "outage")
public class OutageEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, length = 16)
  public String scope;

  @Column(nullable = false, length = 64)
  public String subject;

  @Column(name = "start_micros", nullable = false)
  public long startMicros;

  @Column(name = "end_micros")
  public Long endMicros;

  @Column(nullable = false)
  public double depth;

  public static List<OutageEntity> of(String scope, String subject, long since) {
    return find(
            "scope = ?1 and subject = ?2 and (endMicros is null or endMicros >= ?3) order by startMicros",
            scope,
            subject,
            since)
        .list();
  }

  public static OutageEntity open(String scope, String subject, long start) {
    return find(
            "scope = ?1 and subject = ?2 and startMicros = ?3 order by id desc",
            scope,
            subject,
            start)
        .firstResult();
  }
}
