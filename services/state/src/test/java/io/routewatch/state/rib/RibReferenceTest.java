package io.routewatch.state.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.upstream.UpstreamShare;
import io.routewatch.state.upstream.UpstreamView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Feeds the 270,005 RIB entries of pyasn/rib.20140523.0600_firstMB (route-views2, bgpdump -m
 * reference text) and checks upstream shares against a count made here straight from the text.
 */
class RibReferenceTest {
  private static List<String[]> lines;
  private static RoutingEngine rib;

  @BeforeAll
  static void load() throws Exception {
    lines = new ArrayList<>();
    for (String l : TestData.gzLines("mrt/pyasn/rib.20140523.0600_firstMB.bz2.bgpdump-m.txt.gz")) {
      lines.add(l.split("\\|", -1));
    }
    rib =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(5000, 1000),
            CountryRegistry.empty(),
            ChangeListener.NONE);
    Map<String, Integer> vps = new HashMap<>();
    for (String[] f : lines) {
      vps.computeIfAbsent(
          f[3] + "|" + f[4],
          k -> {
            int id =
                rib.vantagePoint(
                    "route-views2",
                    Prefix.parse(f[3] + "/32").address(),
                    (int) Long.parseLong(f[4]),
                    0);
            rib.ribDumpBegin(id, 1_400_824_800_000_000L);
            return id;
          });
    }
    for (String[] f : lines) {
      int vp = vps.get(f[3] + "|" + f[4]);
      rib.announce(
          vp,
          Prefix.parse(f[5]),
          0,
          AsPath.parse(f[6]),
          new RouteAttributes(
              RouteAttributes.parseOrigin(f[7]),
              null,
              -1,
              -1,
              false,
              RibFootprint.communities(f[11])),
          Long.parseLong(f[1]) * 1_000_000L);
    }
    vps.values().forEach(id -> rib.ribDumpEnd(id, 1_400_824_800_000_000L));
  }

  /** The rule, written out independently on the text: last token, first different one left. */
  private static String upstreamOf(String path) {
    String[] t = path.trim().split(" ");
    if (t.length == 0 || t[t.length - 1].contains("}") || path.contains("{")) {
      return path.contains("{") && !t[t.length - 1].contains("}") ? "?" : null;
    }
    List<String> collapsed = new ArrayList<>();
    for (String s : t) {
      if (collapsed.isEmpty() || !collapsed.get(collapsed.size() - 1).equals(s)) {
        collapsed.add(s);
      }
    }
    if (new HashSet<>(collapsed).size() != collapsed.size()) {
      return "loop";
    }
    return collapsed.size() < 2 ? "none" : collapsed.get(collapsed.size() - 2);
  }

  @Test
  void everyEntryIsARoute() {
    Set<String> keys = new HashSet<>();
    for (String[] f : lines) {
      keys.add(f[3] + "|" + f[5]);
    }
    assertEquals(270_005, lines.size());
    assertEquals(keys.size(), rib.stats().routes());
    Map<String, Set<String>> perPeer = new HashMap<>();
    for (String[] f : lines) {
      perPeer.computeIfAbsent(f[3] + "|" + f[4], k -> new HashSet<>()).add(f[5]);
    }
    long full = perPeer.values().stream().filter(s -> s.size() >= 5000).count();
    assertEquals(31, full); // 31 of the 35 peers carry >= 5000 prefixes in this first MiB
    assertEquals(full, rib.stats().fullFeedVantagePoints());
    assertEquals(35, rib.stats().vantagePoints());
    assertTrue(rib.stats().warm());
  }

  @Test
  void sharesMatchAnIndependentCount() {
    // Independent count: origin → upstream → entries, and origin → entries, from the text.
    Map<String, Map<String, Integer>> count = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    for (String[] f : lines) {
      String path = f[6];
      if (path.contains("{")) {
        continue; // no single origin or set-neighbour: checked origins below have none
      }
      String[] t = path.split(" ");
      String origin = t[t.length - 1];
      total.merge(origin, 1, Integer::sum);
      String up = upstreamOf(path);
      count.computeIfAbsent(origin, k -> new HashMap<>()).merge(up, 1, Integer::sum);
    }
    // The busiest origins of the file, plus Google.
    List<String> origins =
        total.entrySet().stream()
            .sorted((a, b) -> b.getValue() - a.getValue())
            .limit(5)
            .map(Map.Entry::getKey)
            .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    origins.add("15169");
    int checked = 0;
    for (String o : origins) {
      UpstreamView view = rib.upstreams(Long.parseLong(o));
      assertEquals(total.get(o).intValue(), view.totalPaths(), "total for AS" + o);
      for (Map.Entry<String, Integer> e : count.get(o).entrySet()) {
        String up = e.getKey();
        if (up.equals("none") || up.equals("loop")) {
          continue;
        }
        UpstreamShare s = view.upstream(Long.parseLong(up));
        assertNotNull(s, "AS" + o + " upstream AS" + up);
        assertEquals(e.getValue().intValue(), s.paths(), "AS" + o + " via AS" + up);
        assertEquals((double) e.getValue() / total.get(o), s.vpShare(), 1e-12);
        checked++;
      }
      int none = count.get(o).getOrDefault("none", 0) + count.get(o).getOrDefault("loop", 0);
      assertEquals(none, view.pathsWithoutUpstream(), "no-upstream paths of AS" + o);
    }
    assertTrue(checked >= 10, "checked " + checked + " upstream shares");
  }
}
