package io.routewatch.state.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.rib.ChangeEvent;
import io.routewatch.state.rib.EngineConfig;
import io.routewatch.state.rib.RibImage;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.rib.TestData;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.upstream.UpstreamShare;
import io.routewatch.state.upstream.UpstreamView;
import io.routewatch.state.visibility.PrefixView;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A snapshot of an engine loaded from the route-views2 RIB reference text (pyasn
 * rib.20140523.0600_firstMB, 270,005 entries, 35 VPs), taken mid-way (one VP inside a re-dump, one
 * down), encoded, decoded and restored into a fresh engine: every view answers the same, the
 * restore emits nothing, and the same continuation produces the same change events on both.
 */
class SnapshotRoundTripTest {
  static final long T0 = 1_400_824_800_000_000L;
  static List<String[]> lines;
  static CountryRegistry countries;

  @BeforeAll
  static void read() throws Exception {
    lines = new ArrayList<>();
    for (String l : TestData.gzLines("mrt/pyasn/rib.20140523.0600_firstMB.bz2.bgpdump-m.txt.gz")) {
      lines.add(l.split("\\|", -1));
    }
    countries = CountryRegistry.loadDirectory(TestData.file("registry"));
  }

  static EngineConfig config() {
    return EngineConfig.defaults()
        .withFullFeed(5000, 1000)
        .withOutage(0.5, 0.5, 60_000_000L, 60_000_000L)
        .withSettle(300_000_000L, 900_000_000L);
  }

  static final class Recorder implements io.routewatch.state.rib.ChangeListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onChange(ChangeEvent e) {
      events.add(e.toString());
    }
  }

  static Map<String, Integer> vps(RoutingEngine rib) {
    Map<String, Integer> vps = new LinkedHashMap<>();
    for (String[] f : lines) {
      vps.computeIfAbsent(
          f[3] + "|" + f[4],
          k ->
              rib.vantagePoint(
                  "route-views2",
                  Prefix.parse(f[3] + "/32").address(),
                  (int) Long.parseLong(f[4]),
                  0));
    }
    return vps;
  }

  static RouteAttributes attrs(String[] f) {
    return new RouteAttributes(
        RouteAttributes.parseOrigin(f[7]),
        Prefix.parse(f[8] + "/32").address(),
        f[10].isEmpty() ? -1 : Long.parseLong(f[10]),
        -1,
        false,
        null);
  }

  /** Loads the RIB, then puts the engine in an interesting state: one VP re-dumping, one down. */
  static RoutingEngine build(Recorder rec, Map<String, Integer> vpOut) {
    RoutingEngine rib = new RoutingEngine(config(), countries, rec);
    Map<String, Integer> vps = vps(rib);
    vpOut.putAll(vps);
    vps.values().forEach(id -> rib.ribDumpBegin(id, T0));
    for (String[] f : lines) {
      rib.announce(
          vps.get(f[3] + "|" + f[4]), Prefix.parse(f[5]), 0, AsPath.parse(f[6]), attrs(f), T0 + 1);
    }
    vps.values().forEach(id -> rib.ribDumpEnd(id, T0 + 2));
    List<Integer> ids = new ArrayList<>(vps.values());
    // Withdraw a slice of one VP's table after warm-up: visibility/share changes, outages pending.
    int a = ids.get(0);
    int n = 0;
    for (String[] f : lines) {
      if (vps.get(f[3] + "|" + f[4]) == a && n++ % 3 == 0) {
        rib.withdraw(a, Prefix.parse(f[5]), 0, T0 + 1_000_000_000L);
      }
    }
    rib.tick(T0 + 1_100_000_000L); // hold time passes: some outages open
    rib.ribDumpBegin(ids.get(1), T0 + 1_200_000_000L); // a re-dump in progress: stale set
    int m = 0;
    for (String[] f : lines) {
      if (vps.get(f[3] + "|" + f[4]) == ids.get(1) && m++ < 500) {
        rib.announce(
            ids.get(1), Prefix.parse(f[5]), 0, AsPath.parse(f[6]), attrs(f), T0 + 1_200_000_001L);
      }
    }
    rib.peerDown(ids.get(2), T0 + 1_200_000_002L);
    return rib;
  }

  static byte[] encode(Snapshot s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SnapshotEncoder.write(s, Channels.newChannel(out));
    return out.toByteArray();
  }

  static String render(UpstreamView v) {
    return v.subject()
        + " "
        + v.totalPaths()
        + " "
        + v.pathsWithoutUpstream()
        + " "
        + v.upstreams().stream()
            .map(SnapshotRoundTripTest::render)
            .collect(Collectors.joining(";"));
  }

  static String render(UpstreamShare u) {
    return u.upstreamAsn()
        + ","
        + u.paths()
        + ","
        + u.vpShare()
        + ","
        + u.addressShareV4()
        + ","
        + u.addressShareV6()
        + ","
        + u.vpCount()
        + ","
        + Arrays.toString(u.peerAsns())
        + ","
        + u.adjacentVpCount()
        + ","
        + u.firstSeenMicros()
        + ","
        + u.sinceMicros()
        + ","
        + u.lastSeenMicros();
  }

  static String render(PrefixView p) {
    return p == null
        ? "null"
        : p.prefix()
            + " "
            + p.visibility()
            + " "
            + p.visible()
            + " "
            + p.vpsWithRoute()
            + " "
            + p.fullFeedVpsWithRoute()
            + " "
            + p.denominator()
            + " "
            + Arrays.toString(p.origins())
            + " "
            + p.moreSpecifics();
  }

  @Test
  void restoredEngineAnswersTheSameAndContinuesTheSame() throws Exception {
    Recorder recA = new Recorder();
    Map<String, Integer> vps = new HashMap<>();
    RoutingEngine a = build(recA, vps);
    IngestImage ingest =
        new IngestImage(
            Map.of("rv2/rib/1", 42L),
            Map.of("rv2/rib/1", "rv2"),
            Map.of("rv2/rib/1", new int[] {0, 1, 2}),
            270_005,
            42,
            Map.of("RIB_ENTRY", 270_005L));
    RibImage image = a.capture();
    byte[] file = encode(new Snapshot(1_700_000_000_000L, ingest, image));
    // Sorted prefix-id deltas: well under 8 bytes per route.
    assertTrue(
        file.length < 8L * image.routeCount() + 4_000_000, "snapshot of " + file.length + " bytes");

    Snapshot back = SnapshotDecoder.read(file, "test");
    assertEquals(42L, back.ingest().positions().get("rv2/rib/1"));
    assertEquals("rv2", back.ingest().collectors().get("rv2/rib/1"));
    assertEquals(
        List.of(0, 1, 2),
        Arrays.stream(back.ingest().archiveVps().get("rv2/rib/1")).boxed().toList());
    assertEquals(270_005L, back.ingest().eventsByKind().get("RIB_ENTRY"));

    Recorder recB = new Recorder();
    RoutingEngine b = new RoutingEngine(config(), countries, recB);
    b.restore(back.rib());
    assertEquals(List.of(), recB.events, "restoring emitted changes");

    assertEquals(a.routeDigest(), b.routeDigest(), "route digest");
    assertEquals(a.stats(), b.stats(), "stats");
    assertTrue(
        a.stats().routes() > 200_000 && a.stats().loadingVantagePoints() == 2,
        a.stats().toString());
    assertNotEquals(List.of(), a.openOutages(), "the scenario should have open outages");
    assertEquals(Set(a.openOutages()), Set(b.openOutages()), "open outages");

    Map<String, Integer> perOrigin = new HashMap<>();
    for (String[] f : lines) {
      String[] t = f[6].split(" ");
      perOrigin.merge(t[t.length - 1], 1, Integer::sum);
    }
    List<String> origins =
        perOrigin.entrySet().stream()
            .sorted((x, y) -> y.getValue() - x.getValue())
            .limit(8)
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(ArrayList::new));
    origins.add("15169");
    for (String o : origins) {
      long asn = Long.parseLong(o.replaceAll("[{}]", "").split(",")[0]);
      assertEquals(render(a.upstreams(asn)), render(b.upstreams(asn)), "upstreams of AS" + asn);
      assertEquals(a.originVisibility(asn), b.originVisibility(asn), "visibility of AS" + asn);
    }
    for (String cc : List.of("JP", "CN", "KR", "AU", "IN", "DE")) {
      assertEquals(render(a.upstreams(cc)), render(b.upstreams(cc)), "upstreams of " + cc);
      assertEquals(a.countryVisibility(cc), b.countryVisibility(cc), "visibility of " + cc);
    }
    for (int i = 0; i < lines.size(); i += 997) {
      Prefix p = Prefix.parse(lines.get(i)[5]);
      assertEquals(render(a.visibility(p)), render(b.visibility(p)), "visibility of " + p);
      assertEquals(a.outages(p, 0), b.outages(p, 0), "outages of " + p);
    }

    // The same continuation on both: the re-dump ends, the down VP comes back, time passes.
    int before = recA.events.size();
    for (RoutingEngine e : List.of(a, b)) {
      List<Integer> ids = new ArrayList<>(new LinkedHashMap<>(vps).values());
      ids.sort(Integer::compare);
      e.ribDumpEnd(ids.get(1), T0 + 1_300_000_000L);
      e.peerUp(ids.get(2), T0 + 1_300_000_001L);
      for (String[] f : lines) {
        if (vps.get(f[3] + "|" + f[4]) == ids.get(2)) {
          e.announce(
              ids.get(2), Prefix.parse(f[5]), 0, AsPath.parse(f[6]), attrs(f), T0 + 1_300_000_002L);
        }
      }
      e.endOfRib(ids.get(2), Prefix.AFI_IPV4, T0 + 1_300_000_003L);
      e.endOfRib(ids.get(2), Prefix.AFI_IPV6, T0 + 1_300_000_003L);
      e.tick(T0 + 3_000_000_000L);
    }
    List<String> contA = recA.events.subList(before, recA.events.size());
    assertTrue(contA.size() > 10, "continuation produced " + contA.size() + " events");
    assertEquals(contA, recB.events, "changes after the snapshot");
    assertEquals(a.routeDigest(), b.routeDigest(), "route digest after the continuation");
    assertEquals(a.stats(), b.stats(), "stats after the continuation");
  }

  private static <T> java.util.Set<T> Set(List<T> l) {
    return new java.util.HashSet<>(l);
  }
}
