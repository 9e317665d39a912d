package io.routewatch.state.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.upstream.UpstreamView;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingEngineTest {
  private static final RouteAttributes A = RouteAttributes.NONE;
  private final RoutingEngine rib =
      new RoutingEngine(
          EngineConfig.defaults().withFullFeed(2, 1), CountryRegistry.empty(), ChangeListener.NONE);

  private int vp(int n, int asn) {
    return rib.vantagePoint("rrc00", new byte[] {10, 0, 0, (byte) n}, asn, 0);
  }

  /**
   * The digest is of the routes, not of how they came: the same routes reached in another order
   * (here: prefixes first seen in reverse, one of them withdrawn and re-announced) give the same
   * digest; another prefix, path id, path or attribute set gives another one. It once hashed the
   * prefix's interning index instead of the prefix, so live runs of the same updates differed.
   */
  @Test
  void routeDigestIsOfTheRoutesNotOfTheirOrder() {
    List<String> prefixes = List.of("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24");
    RoutingEngine a =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(2, 1),
            CountryRegistry.empty(),
            ChangeListener.NONE);
    RoutingEngine b =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(2, 1),
            CountryRegistry.empty(),
            ChangeListener.NONE);
    int va = a.vantagePoint("rrc00", new byte[] {10, 0, 0, 1}, 100, 0);
    int vb = b.vantagePoint("rrc00", new byte[] {10, 0, 0, 1}, 100, 7);
    for (int i = 0; i < prefixes.size(); i++) {
      a.announce(va, Prefix.parse(prefixes.get(i)), 0, AsPath.parse("100 " + (10 + i)), A, i);
    }
    b.announce(vb, Prefix.parse("10.9.0.0/16"), 0, AsPath.parse("100 99"), A, 0);
    b.withdraw(vb, Prefix.parse("10.9.0.0/16"), 0, 1);
    for (int i = prefixes.size() - 1; i >= 0; i--) {
      b.announce(vb, Prefix.parse(prefixes.get(i)), 0, AsPath.parse("100 " + (10 + i)), A, 2);
    }
    assertEquals(a.routeDigest(), b.routeDigest());
    long same = b.routeDigest();
    b.announce(vb, Prefix.parse(prefixes.get(0)), 0, AsPath.parse("100 11"), A, 3);
    assertTrue(b.routeDigest() != same, "another path");
    b.announce(vb, Prefix.parse(prefixes.get(0)), 0, AsPath.parse("100 10"), A, 4);
    assertEquals(same, b.routeDigest());
    b.withdraw(vb, Prefix.parse(prefixes.get(0)), 0, 5);
    b.announce(vb, Prefix.parse("192.0.3.0/24"), 0, AsPath.parse("100 10"), A, 6);
    assertTrue(b.routeDigest() != same, "another prefix");
    b.withdraw(vb, Prefix.parse("192.0.3.0/24"), 0, 7);
    b.announce(vb, Prefix.parse(prefixes.get(0)), 5, AsPath.parse("100 10"), A, 8);
    assertTrue(b.routeDigest() != same, "another path id");
  }

  @Test
  void vantagePointIdsAreStable() {
    int a = vp(1, 100);
    assertEquals(a, vp(1, 100));
    assertTrue(vp(2, 100) != a);
    assertEquals(2, rib.stats().vantagePoints());
  }

  @Test
  void announceReplaceWithdraw() {
    int v = vp(1, 100);
    Prefix p = Prefix.parse("192.0.2.0/24");
    rib.announce(v, p, 0, AsPath.parse("100 10 65001"), A, 1);
    rib.announce(v, p, 0, AsPath.parse("100 20 65001"), A, 2); // implicit withdraw
    assertEquals(1, rib.stats().routes());
    UpstreamView u = rib.upstreams(65001);
    assertEquals(1, u.totalPaths());
    assertEquals(1, u.upstreams().size());
    assertEquals(20, u.upstreams().get(0).upstreamAsn());
    rib.withdraw(v, p, 0, 3);
    assertEquals(0, rib.stats().routes());
    assertEquals(0, rib.upstreams(65001).totalPaths());
    assertEquals(0, rib.stats().asPaths()); // interned paths freed
    assertEquals(0, rib.stats().attributeSets());
    rib.withdraw(v, p, 0, 4); // unknown route: ignored
    rib.withdraw(v, Prefix.parse("198.51.100.0/24"), 0, 4);
  }

  @Test
  void sharesAreVpAndAddressWeighted() {
    int v1 = vp(1, 100);
    int v2 = vp(2, 200);
    rib.announce(v1, Prefix.parse("10.0.0.0/16"), 0, AsPath.parse("100 10 65001"), A, 1);
    rib.announce(v2, Prefix.parse("10.0.0.0/16"), 0, AsPath.parse("200 20 65001"), A, 1);
    rib.announce(v1, Prefix.parse("10.1.0.0/24"), 0, AsPath.parse("100 10 65001 65001"), A, 1);
    rib.announce(v2, Prefix.parse("10.1.0.0/24"), 0, AsPath.parse("200 10 65001"), A, 1);
    UpstreamView u = rib.upstreams(65001);
    assertEquals(4, u.totalPaths());
    assertEquals(0.75, u.upstream(10).vpShare());
    assertEquals(0.25, u.upstream(20).vpShare());
    // address-weighted: 10 carries 65536 + 256 + 256 of 2 * (65536 + 256)
    assertEquals((65536.0 + 512) / (2 * 65792), u.upstream(10).addressShareV4(), 1e-12);
    assertEquals(2, u.upstream(10).vpCount());
    assertEquals(
        List.of(100L, 200L), java.util.Arrays.stream(u.upstream(10).peerAsns()).boxed().toList());
    assertTrue(Double.isNaN(u.upstream(10).addressShareV6()));
  }

  @Test
  void adjacentVpIsFlagged() {
    int v = vp(1, 4837);
    rib.announce(v, Prefix.parse("175.45.176.0/24"), 0, AsPath.parse("4837 131279"), A, 1);
    assertTrue(rib.upstreams(131279).upstream(4837).adjacentVp());
    assertEquals(1, rib.upstreams(131279).upstream(4837).adjacentVpCount());
  }

  @Test
  void ribDumpReplacesTheVpsTable() {
    int v = vp(1, 100);
    Prefix a = Prefix.parse("10.0.0.0/24");
    Prefix b = Prefix.parse("10.0.1.0/24");
    rib.announce(v, a, 0, AsPath.parse("100 65001"), A, 1);
    rib.announce(v, b, 0, AsPath.parse("100 65001"), A, 1);
    rib.ribDumpBegin(v, 10);
    rib.announce(v, a, 0, AsPath.parse("100 65001"), A, 10);
    assertEquals(2, rib.stats().routes()); // b only goes at END
    rib.ribDumpEnd(v, 11);
    assertEquals(1, rib.stats().routes());
    assertEquals(1, rib.prefix(a).size());
    assertEquals(0, rib.prefix(b).size());
  }

  @Test
  void peerDownRemovesAllRoutesOfThatVp() {
    int v1 = vp(1, 100);
    int v2 = vp(2, 200);
    Prefix a = Prefix.parse("10.0.0.0/24");
    rib.announce(v1, a, 0, AsPath.parse("100 65001"), A, 1);
    rib.announce(v2, a, 0, AsPath.parse("200 65001"), A, 1);
    rib.peerDown(v1, 2);
    assertEquals(1, rib.stats().routes());
    assertEquals(200, rib.upstreams(65001).upstreams().get(0).upstreamAsn());
    assertEquals(1, rib.upstreams(65001).totalPaths());
  }

  @Test
  void addPathLowestPathIdIsBest() {
    int v = vp(1, 100);
    Prefix p = Prefix.parse("2001:db8::/32");
    rib.announce(v, p, 7, AsPath.parse("100 20 65001"), A, 1);
    rib.announce(v, p, 3, AsPath.parse("100 10 65001"), A, 1);
    assertEquals(2, rib.stats().routes());
    UpstreamView u = rib.upstreams(65001);
    assertEquals(1, u.totalPaths()); // one (VP, prefix) pair
    assertEquals(10, u.upstreams().get(0).upstreamAsn());
    assertEquals(1.0, u.upstreams().get(0).addressShareV6());
    List<RouteView> routes = rib.prefix(p);
    assertEquals(2, routes.size());
    assertEquals(3, routes.get(0).pathId());
    assertTrue(routes.get(0).best());
    rib.withdraw(v, p, 3, 2);
    assertEquals(20, rib.upstreams(65001).upstreams().get(0).upstreamAsn());
    rib.withdraw(v, p, 7, 3);
    assertEquals(0, rib.upstreams(65001).totalPaths());
    assertEquals(0, rib.stats().routes());
  }

  @Test
  void visibilityFallsBackToActiveVpsUntilOneIsFullFeed() {
    int v1 = vp(1, 100);
    int v2 = vp(2, 200);
    Prefix a = Prefix.parse("10.0.0.0/24");
    Prefix b = Prefix.parse("10.0.1.0/24");
    rib.announce(v1, a, 0, AsPath.parse("100 65001"), A, 1);
    rib.announce(v2, b, 0, AsPath.parse("200 65002"), A, 1);
    assertEquals(0.5, rib.visibility(a).visibility()); // 1 of 2 active VPs
    assertEquals(0, rib.stats().fullFeedVantagePoints());
    // v1 loads a full table (threshold 2 prefixes in this test) and ends its dump.
    rib.ribDumpBegin(v1, 2);
    rib.announce(v1, a, 0, AsPath.parse("100 65001"), A, 2);
    rib.announce(v1, b, 0, AsPath.parse("100 65002"), A, 2);
    rib.ribDumpEnd(v1, 2);
    assertEquals(1, rib.stats().fullFeedVantagePoints());
    assertEquals(1.0, rib.visibility(a).visibility()); // 1 of 1 full-feed VP
    assertEquals(List.of(), rib.visibility(a).moreSpecifics());
    assertNull(rib.visibility(Prefix.parse("192.0.2.0/24")));
  }

  @Test
  void moreSpecificsAndMoas() {
    int v1 = vp(1, 100);
    int v2 = vp(2, 200);
    rib.announce(v1, Prefix.parse("10.0.0.0/16"), 0, AsPath.parse("100 65001"), A, 1);
    rib.announce(v1, Prefix.parse("10.0.5.0/24"), 0, AsPath.parse("100 65002"), A, 1);
    rib.announce(v2, Prefix.parse("10.0.0.0/16"), 0, AsPath.parse("200 65003"), A, 1);
    var view = rib.visibility(Prefix.parse("10.0.0.0/16"));
    assertEquals(List.of("10.0.5.0/24"), view.moreSpecifics());
    assertEquals(2, view.origins().length);
  }
}
