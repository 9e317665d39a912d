package io.routewatch.state.query;

import io.routewatch.proto.v1.GetOriginPrefixesRequest;
import io.routewatch.proto.v1.GetOriginPrefixesResponse;
import io.routewatch.proto.v1.OriginPrefix;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.Prefix;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.TreeSet;

/**
 * GetOriginPrefixes: the prefixes origin ASes announce now, each with all its origins (the source
 * of {@code routewatch watch generate}). A scan of the prefix table per AS: a query, never on the
 * update path; bounded in ASes and prefixes.
 */
@ApplicationScoped
public class OriginPrefixQueries {
  /** ASes one query may ask for. */
  public static final int MAX_ASNS = 100;

  @Inject RoutingEngine engine;

  public GetOriginPrefixesResponse query(GetOriginPrefixesRequest req) {
    return query(engine, req);
  }

  static GetOriginPrefixesResponse query(RoutingEngine engine, GetOriginPrefixesRequest req) {
    if (req.getAsnsCount() == 0 || req.getAsnsCount() > MAX_ASNS) {
      throw new IllegalArgumentException(
          "asns: " + req.getAsnsCount() + " given, 1.." + MAX_ASNS + " allowed");
    }
    TreeSet<Prefix> prefixes = new TreeSet<>();
    for (int a : req.getAsnsList()) {
      long asn = Integer.toUnsignedLong(a);
      if (asn == 0) {
        throw new IllegalArgumentException("asns: AS0 originates nothing");
      }
      prefixes.addAll(engine.prefixesOfOrigin(asn));
      if (prefixes.size() > RovQueries.MAX_PREFIXES) {
        throw new IllegalArgumentException(
            "more than " + RovQueries.MAX_PREFIXES + " prefixes: ask for fewer ASes");
      }
    }
    GetOriginPrefixesResponse.Builder b = GetOriginPrefixesResponse.newBuilder();
    for (Prefix p : prefixes) {
      RoutingEngine.OriginsNow o = engine.originsOf(p);
      OriginPrefix.Builder op =
          OriginPrefix.newBuilder().setPrefix(p.toString()).setVpCount(o.vps());
      for (long origin : o.origins()) {
        op.addOrigins((int) origin);
      }
      b.addPrefixes(op);
    }
    return b.build();
  }
}
