package io.routewatch.state.query;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.routewatch.proto.v1.GetHistoryResponse;
import io.routewatch.proto.v1.GetOutagesResponse;
import io.routewatch.proto.v1.GetPrefixResponse;
import io.routewatch.proto.v1.GetResilienceResponse;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.GetVantagePointCountsResponse;
import io.routewatch.proto.v1.GetVisibilityPartialRequest;
import io.routewatch.proto.v1.GetVisibilityResponse;
import io.routewatch.proto.v1.ShareSample;
import io.routewatch.proto.v1.Subject;
import io.routewatch.proto.v1.Upstream;
import io.routewatch.proto.v1.UpstreamEpisode;
import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.history.OutageEntity;
import io.routewatch.state.history.ShareSampleEntity;
import io.routewatch.state.history.UpstreamEpisodeEntity;
import io.routewatch.state.outage.Outage;
import io.routewatch.state.request.Subjects;
import io.routewatch.state.resilience.Resilience;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.rib.VantagePointKey;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.shard.ShardMerger;
import io.routewatch.state.shard.ShardPartials;
import io.routewatch.state.shard.ShardPeers;
import io.routewatch.state.upstream.UpstreamShare;
import io.routewatch.state.upstream.UpstreamView;
import io.routewatch.state.visibility.PrefixView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;

/**
 * The answers state gives, shared by the gRPC and REST faces. Arguments are validated here; an
 * {@link IllegalArgumentException} becomes INVALID_ARGUMENT / 400 with its message.
 */
@ApplicationScoped
public class StateQueryService {
  @Inject RoutingEngine engine;
  @Inject CountryRegistry countries;
  @Inject ShardPeers shards;

  /** An origin's or a country's upstreams; an origin's answer names its registered country. */
  public GetUpstreamsResponse upstreams(Subject s, long atMicros) {
    Subjects.micros("at_micros", atMicros);
    if (s.getTargetCase() == Subject.TargetCase.ASN) {
      Subjects.origin(s.getAsn());
    }
    GetUpstreamsResponse r = upstreamsOf(s, atMicros);
    if (s.getTargetCase() == Subject.TargetCase.ASN && r.getCountry().isEmpty()) {
      int cc = countries.countryOfAsn(Integer.toUnsignedLong(s.getAsn()));
      if (cc >= 0) {
        r = r.toBuilder().setCountry(countries.code(cc)).build();
      }
    }
    return r;
  }

  private GetUpstreamsResponse upstreamsOf(Subject s, long atMicros) {
    if (atMicros > 0) {
      if (s.getTargetCase() != Subject.TargetCase.ASN) {
        throw new IllegalArgumentException(
            "time travel (--at) is answered for an ASN, not " + s.getTargetCase());
      }
      return upstreamsAt(Integer.toUnsignedLong(s.getAsn()), atMicros);
    }
    if (shards.enabled()) {
      if (s.getTargetCase() == Subject.TargetCase.COUNTRY) {
        s = Subject.newBuilder().setCountry(knownCountry(s.getCountry())).build();
      } else if (s.getTargetCase() != Subject.TargetCase.ASN) {
        throw new IllegalArgumentException("upstreams need an ASN or a country");
      }
      return ShardMerger.upstreams(s, shards.upstreams(s));
    }
    UpstreamView v =
        switch (s.getTargetCase()) {
          case ASN -> engine.upstreams(Integer.toUnsignedLong(s.getAsn()));
          case COUNTRY -> engine.upstreams(knownCountry(s.getCountry()));
          default -> throw new IllegalArgumentException("upstreams need an ASN or a country");
        };
    return upstreamsResponse(s, v);
  }

  /** One instance's answer from its engine's view of the subject's upstreams. */
  public static GetUpstreamsResponse upstreamsResponse(Subject s, UpstreamView v) {
    GetUpstreamsResponse.Builder b =
        GetUpstreamsResponse.newBuilder()
            .setPathCount(v.totalPaths())
            .setPathsWithoutUpstream(v.pathsWithoutUpstream());
    if (s.getTargetCase() == Subject.TargetCase.ASN) {
      b.setAsn(s.getAsn());
    } else {
      b.setCountry(v.subject());
    }
    for (UpstreamShare u : v.upstreams()) {
      Upstream.Builder ub =
          Upstream.newBuilder()
              .setAsn((int) u.upstreamAsn())
              .setVpShare(u.vpShare())
              .setAddressShare(nanToZero(u.addressShareV4()))
              .setAddressShareV6(nanToZero(u.addressShareV6()))
              .setVpCount(u.vpCount())
              .setPeerAsnCount(u.peerAsnCount())
              .setFirstSeenMicros(u.firstSeenMicros())
              .setSinceMicros(u.sinceMicros())
              .setLastSeenMicros(u.lastSeenMicros())
              .setPrefixCount(u.paths())
              .setAdjacentVpCount(u.adjacentVpCount());
      for (long p : u.peerAsns()) {
        ub.addPeerAsns((int) p);
      }
      b.addUpstreams(ub);
    }
    return b.build();
  }

  /** Upstreams of an origin at a past time: episodes open at T, shares of the last sample ≤ T. */
  GetUpstreamsResponse upstreamsAt(long asn, long at) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              GetUpstreamsResponse.Builder b =
                  GetUpstreamsResponse.newBuilder().setAsn((int) asn).setAtMicros(at);
              Long sampleTime = ShareSampleEntity.latestAtOrBefore(asn, at);
              List<ShareSampleEntity> samples =
                  sampleTime == null
                      ? List.of()
                      : ShareSampleEntity.between(asn, sampleTime, sampleTime);
              for (UpstreamEpisodeEntity e : UpstreamEpisodeEntity.overlapping(asn, at, at)) {
                if (e.lastSeen != null && e.lastSeen <= at) {
                  continue;
                }
                Upstream.Builder u =
                    Upstream.newBuilder()
                        .setAsn((int) e.upstreamAsn)
                        .setFirstSeenMicros(e.firstSeen)
                        .setSinceMicros(e.firstSeen);
                for (ShareSampleEntity s : samples) {
                  if (s.upstreamAsn == e.upstreamAsn) {
                    u.setVpShare(s.vpShare).setAddressShare(s.addressShare);
                  }
                }
                b.addUpstreams(u);
              }
              return b.build();
            });
  }

  public GetPrefixResponse prefix(String text) {
    Prefix p = Subjects.prefix(text);
    if (shards.enabled()) {
      return ShardMerger.prefix(p.toString(), shards.prefix(p.toString()));
    }
    return localPrefix(p);
  }

  /** The routes this instance holds for a prefix (its shard's part when sharded). */
  public GetPrefixResponse localPrefix(Prefix p) {
    return ShardPartials.localPrefix(engine, p);
  }

  public GetVisibilityResponse visibility(Subject s) {
    if (shards.enabled()) {
      return shardedVisibility(s);
    }
    GetVisibilityResponse.Builder b = GetVisibilityResponse.newBuilder();
    switch (s.getTargetCase()) {
      case PREFIX -> {
        Prefix prefix = Subjects.prefix(s.getPrefix());
        PrefixView v = engine.visibility(prefix);
        if (v == null) {
          return b.addAllMoreSpecifics(engine.moreSpecifics(prefix)).build();
        }
        b.setVisibility(v.visibility())
            .setVisible(v.visible())
            .setVpsWithRoute(v.vpsWithRoute())
            .setFullFeedVps(v.denominator())
            .addAllMoreSpecifics(v.moreSpecifics());
        for (long o : v.origins()) {
          b.addOrigins((int) o);
        }
      }
      case ASN -> {
        double v = engine.originVisibility(Subjects.origin(s.getAsn()));
        b.setVisibility(nanToZero(v)).setVisible(v > 0.5);
      }
      case COUNTRY -> {
        double v = engine.countryVisibility(knownCountry(s.getCountry()));
        b.setVisibility(nanToZero(v)).setVisible(v > 0.5);
      }
      default ->
          throw new IllegalArgumentException("visibility needs a prefix, an ASN or a country");
    }
    return b.build();
  }

  /**
   * Visibility when state is sharded: the global full-feed (or, while there is none, active) VPs
   * from every shard's per-VP counts, then every shard's counts against that denominator.
   */
  private GetVisibilityResponse shardedVisibility(Subject s) {
    switch (s.getTargetCase()) {
      case PREFIX ->
          s = Subject.newBuilder().setPrefix(Subjects.prefix(s.getPrefix()).toString()).build();
      case ASN -> Subjects.origin(s.getAsn());
      case COUNTRY -> s = Subject.newBuilder().setCountry(knownCountry(s.getCountry())).build();
      default ->
          throw new IllegalArgumentException("visibility needs a prefix, an ASN or a country");
    }
    List<GetVantagePointCountsResponse> counts = shards.vantagePoints();
    Set<VantagePointKey> full =
        ShardMerger.fullFeed(counts, engine.fullFeedV4(), engine.fullFeedV6());
    GetVisibilityPartialRequest.Builder req =
        GetVisibilityPartialRequest.newBuilder().setSubject(s);
    int denominator;
    if (full.isEmpty()) {
      Set<VantagePointKey> active = ShardMerger.active(counts);
      active.forEach(k -> req.addActive(ShardPartials.toProto(k)));
      denominator = active.size();
    } else {
      full.forEach(k -> req.addFullFeed(ShardPartials.toProto(k)));
      denominator = full.size();
    }
    return ShardMerger.visibility(
        s, shards.visibility(req.build()), denominator, engine.visibleThreshold());
  }

  public GetOutagesResponse outages(Subject s, long since) {
    Subjects.micros("since_micros", since);
    List<Outage> list =
        switch (s.getTargetCase()) {
          case PREFIX -> engine.outages(Subjects.prefix(s.getPrefix()), since);
          case ASN -> engine.outages(Subjects.origin(s.getAsn()), since);
          case COUNTRY -> engine.outages(knownCountry(s.getCountry()), since);
          default ->
              throw new IllegalArgumentException("outages need a prefix, an ASN or a country");
        };
    long now = engine.stats().clockMicros();
    GetOutagesResponse.Builder b = GetOutagesResponse.newBuilder();
    for (Outage o : list) {
      b.addOutages(toProto(o, now));
    }
    return b.build();
  }

  public GetResilienceResponse resilience(Subject s) {
    Resilience r =
        switch (s.getTargetCase()) {
          case ASN -> engine.resilience(Subjects.origin(s.getAsn()));
          case COUNTRY -> engine.resilience(knownCountry(s.getCountry()));
          default -> throw new IllegalArgumentException("resilience needs an ASN or a country");
        };
    GetResilienceResponse.Builder b =
        GetResilienceResponse.newBuilder()
            .setUpstreamsAboveFloor(r.upstreamsAboveFloor())
            .setHerfindahl(nanToZero(r.herfindahl()))
            .setSingleHomed(r.singleHomed())
            .setMinCut(r.minCut())
            .setMinCutLimited(r.minCutLimited());
    for (long a : r.minCutAsns()) {
      b.addMinCutAsns((int) a);
    }
    return b.build();
  }

  public GetHistoryResponse history(long asn, long from, long to) {
    if (asn == 0) {
      Subjects.origin(0);
    }
    Subjects.micros("from_micros", from);
    Subjects.micros("to_micros", to);
    long end = to <= 0 ? Long.MAX_VALUE : to;
    if (from > end) {
      throw new IllegalArgumentException("history range is empty: from " + from + " > to " + to);
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              GetHistoryResponse.Builder b = GetHistoryResponse.newBuilder().setAsn((int) asn);
              for (ShareSampleEntity s : ShareSampleEntity.between(asn, from, end)) {
                b.addSamples(
                    ShareSample.newBuilder()
                        .setTimeMicros(s.timeMicros)
                        .setUpstream((int) s.upstreamAsn)
                        .setVpShare(s.vpShare)
                        .setAddressShare(s.addressShare));
              }
              for (UpstreamEpisodeEntity e : UpstreamEpisodeEntity.overlapping(asn, from, end)) {
                b.addEpisodes(
                    UpstreamEpisode.newBuilder()
                        .setUpstream((int) e.upstreamAsn)
                        .setFirstSeenMicros(e.firstSeen)
                        .setLastSeenMicros(e.lastSeen == null ? 0 : e.lastSeen));
              }
              for (OutageEntity o : OutageEntity.of("ORIGIN", Long.toString(asn), from)) {
                if (o.startMicros <= end) {
                  b.addOutages(
                      io.routewatch.proto.v1.Outage.newBuilder()
                          .setScope(o.scope)
                          .setSubject(o.subject)
                          .setStartMicros(o.startMicros)
                          .setEndMicros(o.endMicros == null ? 0 : o.endMicros)
                          .setDepth(o.depth)
                          .setDurationMicros(
                              o.endMicros == null ? 0 : o.endMicros - o.startMicros));
                }
              }
              return b.build();
            });
  }

  private String knownCountry(String text) {
    return Subjects.knownCountry(countries, text);
  }

  static io.routewatch.proto.v1.Outage toProto(Outage o, long now) {
    return io.routewatch.proto.v1.Outage.newBuilder()
        .setScope(o.scope().name())
        .setSubject(o.subject())
        .setStartMicros(o.startMicros())
        .setEndMicros(o.open() ? 0 : o.endMicros())
        .setDepth(o.depth())
        .setDurationMicros(o.durationMicros(now))
        .build();
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
