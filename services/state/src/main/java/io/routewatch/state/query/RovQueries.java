package io.routewatch.state.query;

import io.grpc.Status;
import io.routewatch.proto.v1.GetRovRequest;
import io.routewatch.proto.v1.GetRovResponse;
import io.routewatch.proto.v1.RovRoute;
import io.routewatch.state.request.Subjects;
import io.routewatch.state.rib.RouteView;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.rpki.RovState;
import io.routewatch.state.rpki.RpkiService;
import io.routewatch.state.rpki.Vrp;
import io.routewatch.state.rpki.VrpTable;
import io.routewatch.state.shard.ShardPeers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * GetRov: RFC 6811 states of the routes state holds for a prefix (and its more-specifics) or an
 * origin AS, aggregated over VPs per (prefix, origin). Shared by the gRPC and REST faces.
 */
@ApplicationScoped
public class RovQueries {
  /** Routes returned when the request gives no limit. */
  public static final int DEFAULT_LIMIT = 1000;

  /** Largest limit a request may ask for. */
  public static final int MAX_LIMIT = 10_000;

  /** Prefixes one query may examine: a shorter prefix or a bigger AS is refused, saying so. */
  public static final int MAX_PREFIXES = 50_000;

  @Inject RoutingEngine engine;
  @Inject RpkiService rpki;
  @Inject ShardPeers shards;

  public GetRovResponse rov(GetRovRequest req) {
    int limit = req.getLimit() == 0 ? DEFAULT_LIMIT : req.getLimit();
    if (req.getLimit() < 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit " + Integer.toUnsignedString(req.getLimit()) + " out of 1.." + MAX_LIMIT);
    }
    List<Prefix> prefixes;
    switch (req.getTargetCase()) {
      case PREFIX -> {
        Prefix p = Subjects.prefix(req.getPrefix());
        checkAvailable();
        prefixes = new ArrayList<>();
        prefixes.add(p);
        for (String m : engine.moreSpecifics(p)) {
          prefixes.add(Prefix.parse(m));
        }
      }
      case ASN -> {
        checkAvailable();
        prefixes = engine.prefixesOfOrigin(Integer.toUnsignedLong(req.getAsn()));
      }
      default -> throw new IllegalArgumentException("set prefix or asn");
    }
    if (prefixes.size() > MAX_PREFIXES) {
      throw new IllegalArgumentException(
          prefixes.size()
              + " prefixes match, more than "
              + MAX_PREFIXES
              + " a query may examine;"
              + " ask for a longer prefix");
    }
    VrpTable table = rpki.table();
    long onlyOrigin =
        req.getTargetCase() == GetRovRequest.TargetCase.ASN
            ? Integer.toUnsignedLong(req.getAsn())
            : Long.MIN_VALUE;
    GetRovResponse.Builder b =
        GetRovResponse.newBuilder()
            .setVrpCount(table.size())
            .setVrpsLoadedMicros(rpki.lastLoadMillis() * 1000);
    Map<RovState, Integer> counts = new EnumMap<>(RovState.class);
    for (Prefix p : prefixes) {
      // origin -> VPs with a route (any path-id) for p with that origin
      Map<Long, Set<Integer>> byOrigin = new TreeMap<>();
      for (RouteView r : engine.prefix(p)) {
        byOrigin.computeIfAbsent(VrpTable.originOf(r.asPath()), k -> new HashSet<>()).add(r.vpId());
      }
      List<Vrp> covering = null;
      for (Map.Entry<Long, Set<Integer>> e : byOrigin.entrySet()) {
        long origin = e.getKey();
        if (onlyOrigin != Long.MIN_VALUE && origin != onlyOrigin) {
          continue; // a MOAS prefix: only the asked origin's routes
        }
        RovState s = table.validate(p, origin);
        counts.merge(s, 1, Integer::sum);
        if (b.getRoutesCount() >= limit) {
          b.setTruncated(true);
          continue;
        }
        if (covering == null) {
          covering = table.covering(p);
        }
        RovRoute.Builder rr =
            RovRoute.newBuilder()
                .setPrefix(p.toString())
                .setOrigin(origin < 0 ? 0 : (int) origin)
                .setOriginNone(origin < 0)
                .setState(proto(s))
                .setVpCount(e.getValue().size());
        for (Vrp v : covering) {
          rr.addVrps(
              io.routewatch.proto.v1.Vrp.newBuilder()
                  .setPrefix(v.prefix().toString())
                  .setMaxLength(v.maxLength())
                  .setAsn((int) v.asn()));
        }
        b.addRoutes(rr);
      }
    }
    return b.setValid(counts.getOrDefault(RovState.VALID, 0))
        .setInvalidAsn(counts.getOrDefault(RovState.INVALID_ASN, 0))
        .setInvalidLength(counts.getOrDefault(RovState.INVALID_LENGTH, 0))
        .setNotFound(counts.getOrDefault(RovState.NOT_FOUND, 0))
        .build();
  }

  private void checkAvailable() {
    if (!rpki.enabled()) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "RPKI is off: set routewatch.state.rpki.file or routewatch.state.rpki.url")
          .asRuntimeException();
    }
    if (shards.enabled()) {
      throw Status.FAILED_PRECONDITION
          .withDescription("GetRov is not merged over shards yet: ask a state that is not sharded")
          .asRuntimeException();
    }
    if (!rpki.loaded()) {
      throw Status.UNAVAILABLE
          .withDescription("no VRP set loaded yet (see routewatch_state_rpki_load_failures_total)")
          .asRuntimeException();
    }
  }

  static io.routewatch.proto.v1.RovState proto(RovState s) {
    return switch (s) {
      case VALID -> io.routewatch.proto.v1.RovState.ROV_STATE_VALID;
      case INVALID_ASN -> io.routewatch.proto.v1.RovState.ROV_STATE_INVALID_ASN;
      case INVALID_LENGTH -> io.routewatch.proto.v1.RovState.ROV_STATE_INVALID_LENGTH;
      case NOT_FOUND -> io.routewatch.proto.v1.RovState.ROV_STATE_NOT_FOUND;
    };
  }
}
