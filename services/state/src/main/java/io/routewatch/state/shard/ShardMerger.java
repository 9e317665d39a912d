package io.routewatch.state.shard;

import io.routewatch.proto.v1.GetPrefixResponse;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.GetVantagePointCountsResponse;
import io.routewatch.proto.v1.GetVisibilityResponse;
import io.routewatch.proto.v1.Subject;
import io.routewatch.proto.v1.Upstream;
import io.routewatch.proto.v1.UpstreamCounts;
import io.routewatch.proto.v1.UpstreamPartial;
import io.routewatch.proto.v1.VantagePointCount;
import io.routewatch.proto.v1.VisibilityPartial;
import io.routewatch.state.rib.VantagePointKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Merges the shards' raw counts into the answer one instance holding every route would give. Every
 * figure is a sum, a union, a minimum or a maximum of per-shard figures, so the merge is exact —
 * with one documented exception: an upstream's {@code since} (start of its current continuous
 * presence) is the earliest start among the shards where it is present now, which is later than one
 * instance's when the upstream's presence passed from one shard to another without a gap.
 */
public final class ShardMerger {
  private ShardMerger() {}

  /** The VPs that are full-feed over all shards (summed prefix counts against the thresholds). */
  public static Set<VantagePointKey> fullFeed(
      List<GetVantagePointCountsResponse> shards, int v4, int v6) {
    Map<VantagePointKey, long[]> sums = sums(shards);
    Set<VantagePointKey> out = new HashSet<>();
    sums.forEach(
        (k, c) -> {
          if (c[0] >= v4 || c[1] >= v6) {
            out.add(k);
          }
        });
    return out;
  }

  /** The VPs with at least one route on some shard (the denominator while none is full-feed). */
  public static Set<VantagePointKey> active(List<GetVantagePointCountsResponse> shards) {
    Set<VantagePointKey> out = new HashSet<>();
    sums(shards)
        .forEach(
            (k, c) -> {
              if (c[0] + c[1] > 0) {
                out.add(k);
              }
            });
    return out;
  }

  private static Map<VantagePointKey, long[]> sums(List<GetVantagePointCountsResponse> shards) {
    Map<VantagePointKey, long[]> sums = new HashMap<>();
    for (GetVantagePointCountsResponse r : shards) {
      for (VantagePointCount c : r.getCountsList()) {
        long[] s =
            sums.computeIfAbsent(ShardPartials.fromProto(c.getVantagePoint()), k -> new long[2]);
        s[0] += c.getV4Prefixes();
        s[1] += c.getV6Prefixes();
      }
    }
    return sums;
  }

  private static final class Acc {
    long paths;
    long v4;
    double v6;
    final Set<VantagePointKey> vps = new LinkedHashSet<>();
    long first;
    long since;
    long last;
  }

  public static GetUpstreamsResponse upstreams(Subject subject, List<UpstreamPartial> shards) {
    long total = 0;
    long totalV4 = 0;
    double totalV6 = 0;
    String label = "";
    Map<Long, Acc> byUpstream = new HashMap<>();
    for (UpstreamPartial p : shards) {
      total += p.getTotalPaths();
      totalV4 += p.getTotalV4Addresses();
      totalV6 += p.getTotalV6Units();
      if (!p.getLabel().isEmpty()) {
        label = p.getLabel();
      }
      for (UpstreamCounts u : p.getUpstreamsList()) {
        Acc a = byUpstream.computeIfAbsent(Integer.toUnsignedLong(u.getAsn()), k -> new Acc());
        a.paths += u.getPaths();
        a.v4 += u.getV4Addresses();
        a.v6 += u.getV6Units();
        for (int ref : u.getVpRefsList()) {
          a.vps.add(ShardPartials.fromProto(p.getVantagePoints(ref)));
        }
        if (u.getFirstSeenMicros() != 0) {
          a.first =
              a.first == 0 ? u.getFirstSeenMicros() : Math.min(a.first, u.getFirstSeenMicros());
        }
        if (u.getPaths() > 0 && u.getSinceMicros() != 0) {
          a.since = a.since == 0 ? u.getSinceMicros() : Math.min(a.since, u.getSinceMicros());
        }
        a.last = Math.max(a.last, u.getLastSeenMicros());
      }
    }
    GetUpstreamsResponse.Builder b = GetUpstreamsResponse.newBuilder().setPathCount((int) total);
    if (subject.getTargetCase() == Subject.TargetCase.ASN) {
      b.setAsn(subject.getAsn());
    } else {
      b.setCountry(label.isEmpty() ? subject.getCountry().toUpperCase() : label);
    }
    List<Upstream> ups = new ArrayList<>();
    for (Map.Entry<Long, Acc> e : byUpstream.entrySet()) {
      Acc a = e.getValue();
      if (a.paths == 0) {
        continue;
      }
      long up = e.getKey();
      if (up == 0) {
        b.setPathsWithoutUpstream((int) a.paths);
        continue;
      }
      TreeSet<Long> peers = new TreeSet<>();
      int adjacent = 0;
      for (VantagePointKey k : a.vps) {
        peers.add(k.peerAsn());
        if (k.peerAsn() == up) {
          adjacent++;
        }
      }
      Upstream.Builder u =
          Upstream.newBuilder()
              .setAsn((int) up)
              .setVpShare((double) a.paths / total)
              .setAddressShare(totalV4 == 0 ? 0 : (double) a.v4 / totalV4)
              .setAddressShareV6(totalV6 == 0 ? 0 : a.v6 / totalV6)
              .setVpCount(a.vps.size())
              .setPeerAsnCount(peers.size())
              .setFirstSeenMicros(a.first)
              .setSinceMicros(a.since)
              .setLastSeenMicros(a.last)
              .setPrefixCount((int) a.paths)
              .setAdjacentVpCount(adjacent);
      for (long p : peers) {
        u.addPeerAsns((int) p);
      }
      ups.add(u.build());
    }
    ups.sort(
        Comparator.comparingInt(Upstream::getPrefixCount)
            .reversed()
            .thenComparingLong(u -> Integer.toUnsignedLong(u.getAsn())));
    return b.addAllUpstreams(ups).build();
  }

  /**
   * Visibility from the shards' counts: a prefix from the shard that holds it (more-specifics from
   * all), an origin or a country as visible known prefixes over known prefixes of all shards.
   */
  public static GetVisibilityResponse visibility(
      Subject subject, List<VisibilityPartial> shards, int denominator, double threshold) {
    GetVisibilityResponse.Builder b = GetVisibilityResponse.newBuilder();
    if (subject.getTargetCase() == Subject.TargetCase.PREFIX) {
      TreeSet<io.routewatch.state.route.Prefix> more = new TreeSet<>();
      VisibilityPartial holder = null;
      for (VisibilityPartial p : shards) {
        for (String m : p.getMoreSpecificsList()) {
          more.add(io.routewatch.state.route.Prefix.parse(m));
        }
        if (p.getHoldsPrefix()) {
          holder = p;
        }
      }
      for (io.routewatch.state.route.Prefix m : more) {
        b.addMoreSpecifics(m.toString());
      }
      if (holder != null) {
        double v =
            denominator == 0
                ? 0
                : Math.min(1.0, (double) holder.getDenominatorVpsWithRoute() / denominator);
        b.setVisibility(v)
            .setVisible(v > threshold)
            .setVpsWithRoute(holder.getVpsWithRoute())
            .setFullFeedVps(denominator)
            .addAllOrigins(holder.getOriginsList());
      }
      return b.build();
    }
    long known = 0;
    long visible = 0;
    for (VisibilityPartial p : shards) {
      known += p.getKnownPrefixes();
      visible += p.getVisiblePrefixes();
    }
    double v = known == 0 ? 0 : (double) visible / known;
    return b.setVisibility(v).setVisible(v > 0.5).build();
  }

  /**
   * A prefix's routes: all of them come from the shard that owns it (the others hold none), its
   * origins from that shard, its more-specifics from every shard, in address order.
   */
  public static GetPrefixResponse prefix(String prefix, List<GetPrefixResponse> shards) {
    GetPrefixResponse.Builder b = GetPrefixResponse.newBuilder().setPrefix(prefix);
    TreeSet<io.routewatch.state.route.Prefix> more = new TreeSet<>();
    for (GetPrefixResponse r : shards) {
      b.addAllRoutes(r.getRoutesList());
      if (b.getOriginsCount() == 0) {
        b.addAllOrigins(r.getOriginsList());
      }
      for (String m : r.getMoreSpecificsList()) {
        more.add(io.routewatch.state.route.Prefix.parse(m));
      }
    }
    for (io.routewatch.state.route.Prefix m : more) {
      b.addMoreSpecifics(m.toString());
    }
    ShardPartials.sortRoutes(b);
    return b.build();
  }
}
