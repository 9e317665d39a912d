package io.routewatch.state.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.GetVantagePointCountsResponse;
import io.routewatch.proto.v1.GetVisibilityPartialRequest;
import io.routewatch.proto.v1.GetVisibilityResponse;
import io.routewatch.proto.v1.Subject;
import io.routewatch.proto.v1.UpstreamPartial;
import io.routewatch.proto.v1.VisibilityPartial;
import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.query.StateQueryService;
import io.routewatch.state.rib.ChangeListener;
import io.routewatch.state.rib.EngineConfig;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.rib.TestData;
import io.routewatch.state.rib.VantagePointKey;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.visibility.PrefixView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shard merge is exact: the 2015 RIS update file (bgpdump's decode) fed to one engine, and the
 * same events split by prefix over three engines, give the same upstreams and visibility for
 * origins, countries and prefixes once the three engines' raw counts are merged.
 */
class ShardMergerTest {
  static final String FILE = "mrt/ripe-bgpdump/updates.et-header.2015.gz.bgpdump-m.txt.gz";
  static CountryRegistry countries;
  static RoutingEngine one;
  static final RoutingEngine[] shards = new RoutingEngine[3];
  static int[] perShard = new int[3];

  @BeforeAll
  static void load() throws Exception {
    countries = CountryRegistry.loadDirectory(TestData.file("registry"));
    one = new RoutingEngine(EngineConfig.defaults(), countries, ChangeListener.NONE);
    for (int i = 0; i < 3; i++) {
      shards[i] = new RoutingEngine(EngineConfig.defaults(), countries, ChangeListener.NONE);
    }
    long last = 0;
    for (String line : TestData.gzLines(FILE)) {
      String[] f = line.split("\\|", -1);
      if (!f[0].startsWith("BGP4MP") || !(f[2].equals("A") || f[2].equals("W"))) {
        continue;
      }
      byte[] peer = Prefix.parse(f[3] + (f[3].contains(":") ? "/128" : "/32")).address();
      int asn = (int) Long.parseLong(f[4]);
      long ts = Math.round(Double.parseDouble(f[1]) * 1e6);
      last = Math.max(last, ts);
      Prefix p = Prefix.parse(f[5]);
      int owner = Math.floorMod(p.hashCode() * 0x9E3779B1, 3);
      perShard[owner]++;
      for (RoutingEngine e : new RoutingEngine[] {one, shards[owner]}) {
        int vp = e.vantagePoint("rrc-test", peer, asn, 0);
        if (f[2].equals("A")) {
          e.announce(
              vp,
              p,
              0,
              AsPath.parse(f[6]),
              new RouteAttributes(RouteAttributes.parseOrigin(f[7]), null, -1, 100, false, null),
              ts);
        } else {
          e.withdraw(vp, p, 0, ts);
        }
      }
    }
    // past every settle, warm-up and re-evaluation time
    for (RoutingEngine e : new RoutingEngine[] {one, shards[0], shards[1], shards[2]}) {
      e.tick(last + 3_600_000_000L);
      e.tick(last + 7_200_000_000L);
    }
  }

  @Test
  void eventsWereSpread() {
    for (int n : perShard) {
      assertTrue(n > 100_000, "a shard got too few events: " + java.util.Arrays.toString(perShard));
    }
    long routes = 0;
    for (RoutingEngine e : shards) {
      routes += e.stats().routes();
    }
    assertEquals(one.stats().routes(), routes);
  }

  @Test
  void upstreamsOfOriginsAndCountriesMergeExactly() {
    int nonEmpty = 0;
    List<Subject> subjects = new ArrayList<>();
    for (long asn :
        new long[] {
          131279, 4837, 15169, 3356, 7018, 4134, 701, 174, 1299, 2914, 9002, 12389, 13335
        }) {
      subjects.add(Subject.newBuilder().setAsn((int) asn).build());
    }
    for (String cc : new String[] {"KP", "CN", "US", "RU", "DE", "JP", "BR", "GB", "NL"}) {
      subjects.add(Subject.newBuilder().setCountry(cc).build());
    }
    for (Subject s : subjects) {
      GetUpstreamsResponse want =
          StateQueryService.upstreamsResponse(
              s,
              s.getTargetCase() == Subject.TargetCase.ASN
                  ? one.upstreams(Integer.toUnsignedLong(s.getAsn()))
                  : one.upstreams(s.getCountry()));
      List<UpstreamPartial> parts = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        parts.add(ShardPartials.upstreams(shards[i], countries, "s" + i, s));
      }
      GetUpstreamsResponse got = ShardMerger.upstreams(s, parts);
      // since included: exact here (see ShardMerger for the case where it is not)
      assertEquals(want, got, s.toString());
      nonEmpty += want.getUpstreamsCount() > 0 ? 1 : 0;
    }
    assertTrue(nonEmpty >= 15, "too few subjects with upstreams: " + nonEmpty);
  }

  @Test
  void visibilityOfPrefixesOriginsAndCountriesMergesExactly() {
    List<GetVantagePointCountsResponse> counts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      counts.add(ShardPartials.vantagePoints(shards[i], "s" + i));
    }
    Set<VantagePointKey> full = ShardMerger.fullFeed(counts, 400_000, 10_000);
    Set<VantagePointKey> active = ShardMerger.active(counts);
    assertEquals(one.stats().vantagePoints(), active.size(), "VPs with a route");
    GetVisibilityPartialRequest.Builder base = GetVisibilityPartialRequest.newBuilder();
    full.forEach(k -> base.addFullFeed(ShardPartials.toProto(k)));
    active.forEach(k -> base.addActive(ShardPartials.toProto(k)));
    int denominator = full.isEmpty() ? active.size() : full.size();

    int visible = 0;
    for (String text :
        new String[] {
          "175.45.176.0/24", "8.8.8.0/24", "1.0.0.0/24", "8.0.0.0/8", "175.45.176.0/22", "2001::/16"
        }) {
      Subject s = Subject.newBuilder().setPrefix(text).build();
      GetVisibilityResponse got = ShardMerger.visibility(s, partials(base, s), denominator, 0.5);
      Prefix p = Prefix.parse(text);
      PrefixView v = one.visibility(p);
      GetVisibilityResponse.Builder want = GetVisibilityResponse.newBuilder();
      if (v != null) {
        want.setVisibility(v.visibility())
            .setVisible(v.visible())
            .setVpsWithRoute(v.vpsWithRoute())
            .setFullFeedVps(v.denominator())
            .addAllMoreSpecifics(v.moreSpecifics());
        for (long o : v.origins()) {
          want.addOrigins((int) o);
        }
        visible += v.visible() ? 1 : 0;
      } else {
        want.addAllMoreSpecifics(one.moreSpecifics(p));
      }
      assertEquals(want.build(), got, text);
    }
    for (long asn : new long[] {131279, 4837, 15169, 3356, 7018, 13335}) {
      Subject s = Subject.newBuilder().setAsn((int) asn).build();
      double want = one.originVisibility(asn);
      GetVisibilityResponse got = ShardMerger.visibility(s, partials(base, s), denominator, 0.5);
      assertEquals(Double.isNaN(want) ? 0 : want, got.getVisibility(), 0.0, "AS" + asn);
    }
    for (String cc : new String[] {"KP", "CN", "US", "RU"}) {
      Subject s = Subject.newBuilder().setCountry(cc).build();
      double want = one.countryVisibility(cc);
      GetVisibilityResponse got = ShardMerger.visibility(s, partials(base, s), denominator, 0.5);
      assertEquals(Double.isNaN(want) ? 0 : want, got.getVisibility(), 0.0, cc);
      assertTrue(got.getVisibility() > 0, cc + " not visible at all");
    }
    assertTrue(visible >= 2, "too few visible prefixes among those asked: " + visible);
  }

  private static List<VisibilityPartial> partials(
      GetVisibilityPartialRequest.Builder base, Subject s) {
    List<VisibilityPartial> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add(
          ShardPartials.visibility(
              shards[i], countries, "s" + i, base.clone().setSubject(s).build()));
    }
    return out;
  }
}
