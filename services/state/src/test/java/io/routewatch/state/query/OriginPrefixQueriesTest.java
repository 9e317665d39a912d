package io.routewatch.state.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.routewatch.proto.v1.GetOriginPrefixesRequest;
import io.routewatch.proto.v1.GetOriginPrefixesResponse;
import io.routewatch.proto.v1.OriginPrefix;
import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.rib.ChangeListener;
import io.routewatch.state.rib.EngineConfig;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prefixes of an origin AS with every origin each has, both families, MOAS included. */
class OriginPrefixQueriesTest {
  @Test
  void anAsPrefixesWithAllTheirOrigins() {
    RoutingEngine rib =
        new RoutingEngine(EngineConfig.defaults(), CountryRegistry.empty(), ChangeListener.NONE);
    int a = rib.vantagePoint("rv2", new byte[] {10, 0, 0, 1}, 2914, 0);
    int b = rib.vantagePoint("rv2", new byte[] {10, 0, 0, 2}, 1280, 0);
    long t = 1_000_000L;
    rib.announce(
        a, Prefix.parse("208.65.152.0/22"), 0, AsPath.parse("2914 36561"), RouteAttributes.NONE, t);
    rib.announce(
        b, Prefix.parse("208.65.152.0/22"), 0, AsPath.parse("1280 36561"), RouteAttributes.NONE, t);
    rib.announce(
        a,
        Prefix.parse("208.65.153.0/24"),
        0,
        AsPath.parse("2914 3491 17557"),
        RouteAttributes.NONE,
        t);
    rib.announce(
        b, Prefix.parse("208.65.153.0/24"), 0, AsPath.parse("1280 36561"), RouteAttributes.NONE, t);
    rib.announce(
        a, Prefix.parse("2620:0:2d0::/48"), 0, AsPath.parse("2914 36561"), RouteAttributes.NONE, t);
    rib.announce(
        a, Prefix.parse("192.0.2.0/24"), 0, AsPath.parse("2914 64500"), RouteAttributes.NONE, t);
    GetOriginPrefixesResponse r =
        OriginPrefixQueries.query(
            rib, GetOriginPrefixesRequest.newBuilder().addAsns(36561).build());
    assertEquals(
        List.of(
            "208.65.152.0/22 [36561] 2",
            "208.65.153.0/24 [17557, 36561] 2",
            "2620:0:2d0::/48 [36561] 1"),
        r.getPrefixesList().stream().map(OriginPrefixQueriesTest::text).toList());
    assertThrows(
        IllegalArgumentException.class,
        () -> OriginPrefixQueries.query(rib, GetOriginPrefixesRequest.getDefaultInstance()));
  }

  private static String text(OriginPrefix p) {
    return p.getPrefix() + " " + p.getOriginsList() + " " + p.getVpCount();
  }
}
