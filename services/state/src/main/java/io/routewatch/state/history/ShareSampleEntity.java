package io.routewatch.state.history;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** The share of one upstream of one origin at one (event) time. */
@Entity
@Table(name = "share_sample")
public class ShareSampleEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "origin_asn", nullable = false)
  public long originAsn;

  @Column(name = "upstream_asn", nullable = false)
  public long upstreamAsn;

  @Column(name = "time_micros", nullable = false)
  public long timeMicros;

  @Column(name = "vp_share", nullable = false)
  public double vpShare;

  @Column(name = "address_share", nullable = false)
  public double addressShare;

  public static List<ShareSampleEntity> between(long origin, long from, long to) {
    return find(
            "originAsn = ?1 and timeMicros >= ?2 and timeMicros <= ?3 order by timeMicros, id",
            origin,
            from,
            to)
        .list();
  }

  /** The newest sample time of an origin at or before {@code at}, or null. */
  public static Long latestAtOrBefore(long origin, long at) {
    return getEntityManager()
        .createQuery(
            "select max(s.timeMicros) from ShareSampleEntity s where s.originAsn = ?1 and s.timeMicros <= ?2",
            Long.class)
        .setParameter(1, origin)
        .setParameter(2, at)
        .getSingleResult();
  }
}
