package io.routewatch.state.history;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** (origin, upstream) seen from first_seen until last_seen (null while ongoing); µs since epoch. */
@Entity
@Table(name = "upstream_episode")
public class UpstreamEpisodeEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "origin_asn", nullable = false)
  public long originAsn;

  @Column(name = "upstream_asn", nullable = false)
  public long upstreamAsn;

  @Column(name = "first_seen", nullable = false)
  public long firstSeen;

  @Column(name = "last_seen")
  public Long lastSeen;

  /** Episodes of an origin overlapping [from, to]. */
  public static List<UpstreamEpisodeEntity> overlapping(long origin, long from, long to) {
    return find(
            "originAsn = ?1 and firstSeen <= ?3 and (lastSeen is null or lastSeen >= ?2) order by firstSeen",
            origin,
            from,
            to)
        .list();
  }

  public static UpstreamEpisodeEntity open(long origin, long upstream) {
    return find(
            "originAsn = ?1 and upstreamAsn = ?2 and lastSeen is null order by firstSeen desc",
            origin,
            upstream)
        .firstResult();
  }
}
