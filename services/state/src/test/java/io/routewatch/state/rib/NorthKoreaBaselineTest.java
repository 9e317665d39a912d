package io.routewatch.state.rib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.resilience.Resilience;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.upstream.UpstreamShare;
import io.routewatch.state.upstream.UpstreamView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pre-2017 baseline of DOMAIN §4 from real data: the 4 announcements of AS131279's /24s in
 * ripe-bgpdump/updates.et-header.2015 (2015-10-23 02:01:48 UTC, path 2914 1239 4837 131279).
 */
class NorthKoreaBaselineTest {
  @Test
  void as4837IsTheOnlyUpstreamOfAs131279AndOfKp() throws Exception {
    List<String> lines =
        TestData.gzLines("mrt/ripe-bgpdump/updates.et-header.2015.gz.bgpdump-m.txt.gz").stream()
            .filter(l -> l.contains("131279"))
            .toList();
    assertEquals(4, lines.size());
    CountryRegistry countries = CountryRegistry.loadDirectory(TestData.file("registry"));
    RoutingEngine rib = new RoutingEngine(EngineConfig.defaults(), countries, ChangeListener.NONE);
    for (String line : lines) {
      String[] f = line.split("\\|", -1);
      int vp =
          rib.vantagePoint(
              "ripe-et", Prefix.parse(f[3] + "/32").address(), Integer.parseInt(f[4]), 0);
      long ts = Math.round(Double.parseDouble(f[1]) * 1e6);
      rib.announce(
          vp,
          Prefix.parse(f[5]),
          0,
          AsPath.parse(f[6]),
          new RouteAttributes(RouteAttributes.parseOrigin(f[7]), null, -1, 100, false, null),
          ts);
    }
    UpstreamView as = rib.upstreams(131279);
    assertEquals(4, as.totalPaths());
    assertEquals(1, as.upstreams().size());
    UpstreamShare u = as.upstreams().get(0);
    assertEquals(4837, u.upstreamAsn());
    assertEquals(1.0, u.vpShare());
    assertEquals(1.0, u.addressShareV4());
    assertArrayEquals(new long[] {3856}, u.peerAsns());
    assertEquals(
        Instant.parse("2015-10-23T02:01:48Z"),
        Instant.ofEpochSecond(u.firstSeenMicros() / 1_000_000));

    UpstreamView kp = rib.upstreams("KP");
    assertEquals("KP", kp.subject());
    assertEquals(1, kp.upstreams().size());
    assertEquals(4837, kp.upstreams().get(0).upstreamAsn());
    assertEquals(1.0, kp.upstreams().get(0).vpShare());

    Resilience r = rib.resilience("KP");
    assertTrue(r.singleHomed());
    assertEquals(1.0, r.herfindahl());
    assertEquals(1, r.minCut());
    assertArrayEquals(new long[] {4837}, r.minCutAsns());
    assertEquals(1, rib.resilience(131279).minCut());
  }
}
