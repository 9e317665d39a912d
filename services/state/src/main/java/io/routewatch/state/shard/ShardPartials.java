package io.routewatch.state.shard;

import com.google.protobuf.ByteString;
import io.routewatch.proto.v1.GetVantagePointCountsResponse;
import io.routewatch.proto.v1.GetVisibilityPartialRequest;
import io.routewatch.proto.v1.Subject;
import io.routewatch.proto.v1.UpstreamCounts;
import io.routewatch.proto.v1.UpstreamPartial;
import io.routewatch.proto.v1.VantagePoint;
import io.routewatch.proto.v1.VantagePointCount;
import io.routewatch.proto.v1.VisibilityPartial;
import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.request.Subjects;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.rib.ShardCounts;
import io.routewatch.state.rib.VantagePointKey;
import io.routewatch.state.route.Prefix;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** This shard's raw counts as the shard-to-shard messages carry them (served and used locally). */
@ApplicationScoped
public class ShardPartials {
  @Inject RoutingEngine engine;
  @Inject CountryRegistry countries;
  @Inject ShardPeers peers;

  public GetVantagePointCountsResponse vantagePoints() {
    return vantagePoints(engine, peers.self());
  }

  public UpstreamPartial upstreams(Subject s) {
    return upstreams(engine, countries, peers.self(), s);
  }

  public VisibilityPartial visibility(GetVisibilityPartialRequest req) {
    return visibility(engine, countries, peers.self(), req);
  }

  /**
   * The routes this shard holds for a prefix (none unless it owns it) and its more-specifics here.
   */
  public io.routewatch.proto.v1.GetPrefixResponse prefix(String prefix) {
    return localPrefix(engine, Subjects.prefix(prefix));
  }

  /** The routes this instance holds for a prefix (its shard's part when sharded). */
  public static io.routewatch.proto.v1.GetPrefixResponse localPrefix(
      RoutingEngine engine, Prefix p) {
    io.routewatch.proto.v1.GetPrefixResponse.Builder b =
        io.routewatch.proto.v1.GetPrefixResponse.newBuilder().setPrefix(p.toString());
    for (io.routewatch.state.rib.RouteView r : engine.prefix(p)) {
      long up = io.routewatch.state.upstream.UpstreamRule.analyze(r.asPath()).upstream();
      b.addRoutes(
          io.routewatch.proto.v1.VantagePointRoute.newBuilder()
              .setCollector(r.vantagePoint().collector())
              .setPeerAddress(Prefix.formatAddress(r.vantagePoint().peerAddress()))
              .setPeerAsn((int) r.vantagePoint().peerAsn())
              .setPathId((int) r.pathId())
              .setAsPath(r.asPath().toString())
              .setUpstream(up < 0 ? 0 : (int) up)
              .setBest(r.best())
              .setNextHop(
                  r.attributes().nextHop() == null
                      ? ""
                      : Prefix.formatAddress(r.attributes().nextHop())));
    }
    sortRoutes(b);
    io.routewatch.state.visibility.PrefixView v = engine.visibility(p);
    if (v == null) {
      return b.addAllMoreSpecifics(engine.moreSpecifics(p))
          .build(); // never seen: no routes, no origin
    }
    for (long o : v.origins()) {
      b.addOrigins((int) o);
    }
    b.addAllMoreSpecifics(v.moreSpecifics());
    return b.build();
  }

  /**
   * Routes in a stable order, the same on one instance and merged over shards: by VP, then path-id.
   */
  public static void sortRoutes(io.routewatch.proto.v1.GetPrefixResponse.Builder b) {
    List<io.routewatch.proto.v1.VantagePointRoute> routes =
        new java.util.ArrayList<>(b.getRoutesList());
    routes.sort(
        java.util.Comparator.comparing(io.routewatch.proto.v1.VantagePointRoute::getCollector)
            .thenComparingLong(r -> Integer.toUnsignedLong(r.getPeerAsn()))
            .thenComparing(io.routewatch.proto.v1.VantagePointRoute::getPeerAddress)
            .thenComparingLong(r -> Integer.toUnsignedLong(r.getPathId())));
    b.clearRoutes().addAllRoutes(routes);
  }

  public static GetVantagePointCountsResponse vantagePoints(RoutingEngine engine, String self) {
    GetVantagePointCountsResponse.Builder b =
        GetVantagePointCountsResponse.newBuilder().setShard(self);
    for (ShardCounts.VpCount c : engine.vantagePointCounts()) {
      b.addCounts(
          VantagePointCount.newBuilder()
              .setVantagePoint(toProto(c.key()))
              .setV4Prefixes(c.v4Prefixes())
              .setV6Prefixes(c.v6Prefixes()));
    }
    return b.build();
  }

  public static UpstreamPartial upstreams(
      RoutingEngine engine, CountryRegistry countries, String self, Subject s) {
    List<ShardCounts.Pair> pairs;
    UpstreamPartial.Builder b = UpstreamPartial.newBuilder().setShard(self);
    switch (s.getTargetCase()) {
      case ASN -> pairs = engine.upstreamPairs(Integer.toUnsignedLong(s.getAsn()));
      case COUNTRY -> {
        String cc = Subjects.knownCountry(countries, s.getCountry());
        pairs = engine.upstreamPairs(cc);
        b.setLabel(cc);
      }
      default -> throw new IllegalArgumentException("upstreams need an ASN or a country");
    }
    Map<VantagePointKey, Integer> refs = new HashMap<>();
    for (ShardCounts.Pair p : pairs) {
      if (p.upstream() < 0) {
        b.setTotalPaths(p.paths()).setTotalV4Addresses(p.v4()).setTotalV6Units(p.v6());
        continue;
      }
      UpstreamCounts.Builder u =
          UpstreamCounts.newBuilder()
              .setAsn((int) p.upstream())
              .setPaths(p.paths())
              .setV4Addresses(p.v4())
              .setV6Units(p.v6())
              .setFirstSeenMicros(p.first())
              .setSinceMicros(p.since())
              .setLastSeenMicros(p.last());
      for (VantagePointKey k : p.vps()) {
        Integer ref = refs.get(k);
        if (ref == null) {
          ref = refs.size();
          refs.put(k, ref);
          b.addVantagePoints(toProto(k));
        }
        u.addVpRefs(ref);
      }
      b.addUpstreams(u);
    }
    return b.build();
  }

  public static VisibilityPartial visibility(
      RoutingEngine engine,
      CountryRegistry countries,
      String self,
      GetVisibilityPartialRequest req) {
    Set<VantagePointKey> denominator = new HashSet<>();
    for (VantagePoint v :
        req.getFullFeedCount() > 0 ? req.getFullFeedList() : req.getActiveList()) {
      denominator.add(fromProto(v));
    }
    Subject s = req.getSubject();
    ShardCounts.Visibility v =
        switch (s.getTargetCase()) {
          case PREFIX -> engine.prefixVisibility(Subjects.prefix(s.getPrefix()), denominator);
          case ASN ->
              engine.originVisibility(
                  Integer.toUnsignedLong(s.getAsn()), denominator, denominator.size());
          case COUNTRY -> {
            yield engine.countryVisibility(
                Subjects.knownCountry(countries, s.getCountry()), denominator, denominator.size());
          }
          default ->
              throw new IllegalArgumentException("visibility needs a prefix, an ASN or a country");
        };
    VisibilityPartial.Builder b =
        VisibilityPartial.newBuilder()
            .setShard(self)
            .setHoldsPrefix(v.holdsPrefix())
            .setVpsWithRoute(v.vpsWithRoute())
            .setDenominatorVpsWithRoute(v.denominatorVpsWithRoute())
            .addAllMoreSpecifics(v.moreSpecifics())
            .setKnownPrefixes(v.knownPrefixes())
            .setVisiblePrefixes(v.visiblePrefixes());
    for (long o : v.origins()) {
      b.addOrigins((int) o);
    }
    return b.build();
  }

  public static VantagePoint toProto(VantagePointKey k) {
    return VantagePoint.newBuilder()
        .setCollector(k.collector())
        .setPeerAddress(ByteString.copyFrom(k.peerAddress()))
        .setPeerAsn((int) k.peerAsn())
        .setPeerBgpId(k.peerBgpId())
        .build();
  }

  public static VantagePointKey fromProto(VantagePoint v) {
    return new VantagePointKey(
        v.getCollector(),
        v.getPeerAddress().toByteArray(),
        Integer.toUnsignedLong(v.getPeerAsn()),
        v.getPeerBgpId());
  }
}
