package io.routewatch.alert.pipeline;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** One upstream of a watched network (target "AS131279" or "KP"). */
@Entity
@Table(name = "network_upstream")
@IdClass(NetworkUpstreamEntity.Key.class)
public class NetworkUpstreamEntity extends PanacheEntityBase {
  @Id public String target;
  @Id public long upstream;

  @Column(nullable = false)
  public double share;

  @Column(name = "vp_count", nullable = false)
  public int vpCount;

  /** Comma-separated peer ASNs. */
  @Column(name = "peer_asns", nullable = false)
  public String peerAsns = "";

  @Column(nullable = false)
  public long since;

  @Column(nullable = false)
  public boolean baseline;

  /** Composite key. */
  public static class Key implements Serializable {
    public String target;
    public long upstream;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.upstream == upstream && Objects.equals(k.target, target);
    }

    @Override
    public int hashCode() {
      return Objects.hash(target, upstream);
    }
  }
}
