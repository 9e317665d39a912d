package io.routewatch.alert.pipeline;

import io.routewatch.alert.rule.Target;
import io.routewatch.alert.rule.UpstreamView;
import io.routewatch.proto.v1.Change;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the alert service knows of each watched network, kept in PostgreSQL in the same
 * transaction as the cursor so it survives restarts exactly as far as the changes handled.
 */
@ApplicationScoped
public class NetworkViewRepository {
  @Inject AlertConfig config;

  /** The network's upstreams after the change, and whether the change is part of its baseline. */
  public record View(SortedMap<Long, UpstreamView> upstreams, boolean baseline) {}

  /** Applies an upstream or visibility change of an ASN/COUNTRY target; call inside a transaction. */
  public View apply(Change c, Target t) {
    if (t.kind() != Target.Kind.ASN && t.kind() != Target.Kind.COUNTRY) {
      return new View(new TreeMap<>(), false);
    }
    String key = t.value();
    NetworkTargetEntity nt = NetworkTargetEntity.findById(key);
    if (nt == null) {
      nt = new NetworkTargetEntity();
      nt.target = key;
      nt.firstSeen = c.getTimeMicros();
      nt.persist();
    }
    boolean baseline = c.getTimeMicros() - nt.firstSeen <= config.baselinePeriod().toNanos() / 1000;
    long up = c.getUpstream() & 0xffffffffL;
    switch (c.getKind()) {
      case UPSTREAM_ADDED, SHARE_MOVED -> {
        if (up != 0) {
          NetworkUpstreamEntity row = find(key, up);
          if (row == null) {
            row = new NetworkUpstreamEntity();
            row.target = key;
            row.upstream = up;
            row.since = c.getTimeMicros();
            row.baseline = baseline;
          }
          row.share = c.getShareAfter();
          row.vpCount = c.getVpCount();
          row.peerAsns =
              c.getPeerAsnsList().stream().map(a -> Long.toString(a & 0xffffffffL)).collect(Collectors.joining(","));
          row.persist();
        }
      }
      case UPSTREAM_REMOVED -> {
        if (up != 0) {
          NetworkUpstreamEntity.delete("target = ?1 and upstream = ?2", key, up);
        }
      }
      case VISIBILITY_CROSSED, OUTAGE_OPENED, OUTAGE_CLOSED -> {
        if (!c.hasPrefix()) {
          nt.visibility = c.getVisibility();
        }
      }
      default -> {}
    }
    NetworkUpstreamEntity.flush();
    return new View(upstreams(key), baseline);
  }

  public SortedMap<Long, UpstreamView> upstreams(String target) {
    SortedMap<Long, UpstreamView> out = new TreeMap<>();
    for (NetworkUpstreamEntity r : NetworkUpstreamEntity.<NetworkUpstreamEntity>list("target", target)) {
      out.put(r.upstream, view(r));
    }
    return out;
  }

  public List<NetworkUpstreamEntity> allUpstreams() {
    return NetworkUpstreamEntity.listAll();
  }

  public List<NetworkTargetEntity> allTargets() {
    return NetworkTargetEntity.listAll();
  }

  static UpstreamView view(NetworkUpstreamEntity r) {
    long[] peers =
        r.peerAsns.isEmpty() ? new long[0] : Arrays.stream(r.peerAsns.split(",")).mapToLong(Long::parseLong).toArray();
    return new UpstreamView(r.upstream, r.share, r.vpCount, peers, r.since, r.baseline);
  }

  private static NetworkUpstreamEntity find(String target, long up) {
    return NetworkUpstreamEntity.find("target = ?1 and upstream = ?2", target, up).firstResult();
  }
}
