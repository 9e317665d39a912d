package io.routewatch.alert.pipeline;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
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

  /** False once state reported it removed; the row is kept as the upstream's memory. */
  @Column(nullable = false)
  public boolean present = true;

  /** Change time it was removed (null while present). */
  @Column(name = "removed_at")
  public Long removedAt;

  /** Comma-separated peer ASNs that saw it at any time during its current (or last) presence. */
  @Column(name = "seen_by", nullable = false)
  public String seenBy = "";

  /** Highest share and VP count during its current (or last) presence. */
  @Column(name = "peak_share", nullable = false)
  public double peakShare;

  @Column(name = "peak_vps", nullable = false)
  public int peakVps;

  /** The share shifts are measured against (null: take the current share). */
  @Column(name = "ref_share")
  public Double refShare;

  /** Comma-separated peer ASNs that saw it when {@link #refShare} was taken. */
  @Column(name = "ref_peers", nullable = false)
  public String refPeers = "";

  /** It disappeared because the whole network did (an outage), not because the link went. */
  @Column(name = "dark_loss", nullable = false)
  public boolean darkLoss;

  /** {@link #peerAsns} parsed, for the text it was parsed from (a view is built per change). */
  @Transient private String parsedFrom;

  @Transient private long[] parsed;

  /** The peer ASNs as numbers (a copy). */
  long[] peers() {
    String p = peerAsns;
    if (parsed == null || p != parsedFrom) {
      parsed =
          p.isEmpty()
              ? new long[0]
              : java.util.Arrays.stream(p.split(",")).mapToLong(Long::parseLong).toArray();
      parsedFrom = p;
    }
    return parsed.clone();
  }

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
