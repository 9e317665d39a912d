package io.routewatch.state.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RovState;
import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.rib.EngineConfig;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import io.routewatch.state.rpki.RpkiService;
import io.routewatch.state.rpki.RpkiTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watched routes re-validated when only the VRP set changes: a real engine holding routes, a
 * real VRP file reloaded through {@link RpkiService}, and the ROV_CHANGED changes each load finds.
 */
class RovChangesTest {
  static final long S = 1_000_000L;
  static final long T0 = 1_700_000_000_000_000L;

  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private RoutingEngine engine;
  private RpkiService rpki;
  private RovChanges rov;
  private Path file;
  private final int[] vp = new int[3];

  /** Watched: 192.0.2.0/24 and 2001:db8::/32 (PREFIX entries), AS64510 (an ASN entry). */
  @BeforeEach
  void setUp() {
    engine =
        new RoutingEngine(
            EngineConfig.defaults().withSettle(60 * S, 600 * S), CountryRegistry.empty(), e -> {});
    for (int i = 0; i < 3; i++) {
      vp[i] = engine.vantagePoint("rrc00", new byte[] {10, 9, 9, (byte) i}, 100 * (i + 1), 0);
      engine.ribDumpBegin(vp[i], T0);
      announce(i, "192.0.2.0/24", "3356 64500", T0);
      announce(i, "192.0.2.0/25", "3356 64500", T0); // the owner's more-specific
      announce(i, "198.51.100.0/24", "1299 64510", T0); // the watched AS's own prefix
      announce(i, "203.0.113.0/24", "174 64999", T0); // nobody's business
      announce(i, "2001:db8::/32", "3356 64500", T0);
    }
    for (int i = 0; i < 3; i++) {
      engine.ribDumpEnd(vp[i], T0 + S);
    }
    engine.tick(T0 + 700 * S); // warm
    assertTrue(engine.stats().warm());
    engine.watch(
        WatchedSpace.of(
            List.of(Prefix.parse("192.0.2.0/24"), Prefix.parse("2001:db8::/32")),
            new int[] {64510}));
    file = dir.resolve("vrps.csv");
    Map<String, Object> values =
        RpkiTestSupport.values(Optional.of(file.toString()), Optional.empty());
    values.put("maxVrps", 100);
    rpki = RpkiTestSupport.service(RpkiTestSupport.config(values), registry);
    rov = new RovChanges();
    rov.rpki = rpki;
    rov.engine = engine;
    rov.registry = registry;
    rov.registerMetrics();
    rpki.onLoad(vrps -> rov.loaded(rpki.replacedTable(), rpki.table()));
  }

  private void announce(int i, String prefix, String path, long t) {
    engine.announce(
        vp[i],
        Prefix.parse(prefix),
        0,
        AsPath.parse((100 * (i + 1)) + " " + path),
        RouteAttributes.NONE,
        t);
  }

  /** The VRPs every route above is valid under. */
  static final String[] GOOD = {
    "64500,192.0.2.0/24,25",
    "64510,198.51.100.0/24,24",
    "64999,203.0.113.0/24,24",
    "64500,2001:db8::/32,48"
  };

  private List<Change> load(String... vrps) throws Exception {
    Files.writeString(file, "ASN,IP Prefix,Max Length\n" + String.join("\n", vrps) + "\n");
    long before = rpki.lastLoadMillis();
    RpkiTestSupport.reload(rpki);
    assertTrue(rpki.lastLoadMillis() >= before && rpki.loaded(), "the VRP file loaded");
    List<Change> out = new ArrayList<>();
    rov.take().forEach(b -> out.add(b.build()));
    out.sort((a, b) -> a.getDetail().compareTo(b.getDetail()));
    return out;
  }

  private static String prefix(Change c) {
    return text(c.getPrefix());
  }

  /** The wire prefix as text (its address bytes padded to the family's size). */
  private static String text(io.routewatch.proto.v1.Prefix p) {
    byte[] a = new byte[p.getAfi() == io.routewatch.proto.v1.Afi.IPV6 ? 16 : 4];
    p.getAddress().copyTo(a, 0);
    return Prefix.of(a, p.getLength()).toString();
  }

  @Test
  void aRoaRemovedOrShrunkTurnsTheWatchedRoutesInvalidAndRestoredValid() throws Exception {
    assertEquals(List.of(), load(GOOD), "the first load, all valid: nothing");
    assertEquals(List.of(), load(GOOD), "the same set again: nothing");

    List<Change> bad =
        load(
            "64500,192.0.2.0/24,24", // maxLength 25 → 24: the /25 turns invalid-length
            "64666,198.51.100.0/22,24", // AS64510's ROA removed; a foreign one covers
            "64500,2001:db8::/32,48"); // 203.0.113.0/24's ROA removed: not watched
    assertEquals(2, bad.size(), bad.toString());
    Change len = bad.get(0);
    assertEquals(ChangeKind.CHANGE_KIND_ROV_CHANGED, len.getKind());
    assertEquals("192.0.2.0/25", prefix(len));
    assertEquals(64500, len.getAsn());
    assertEquals(List.of(64500), len.getOriginsAfterList());
    assertEquals(RovState.ROV_STATE_INVALID_LENGTH, len.getRovState());
    assertEquals(List.of(RovState.ROV_STATE_INVALID_LENGTH), len.getOriginRovStatesList());
    assertEquals(RovState.ROV_STATE_VALID, len.getRovStateBefore());
    assertEquals(List.of(RovState.ROV_STATE_VALID), len.getOriginRovStatesBeforeList());
    assertEquals(3, len.getVpCount());
    assertEquals(List.of(100, 200, 300), len.getPeerAsnsList());
    assertEquals(
        "ROV 192.0.2.0/25 AS64500 valid → invalid-length (VRP set reloaded)", len.getDetail());
    Change origin = bad.get(1);
    assertEquals("198.51.100.0/24", prefix(origin));
    assertEquals(64510, origin.getAsn());
    assertEquals(RovState.ROV_STATE_INVALID_ASN, origin.getRovState());
    assertEquals(RovState.ROV_STATE_VALID, origin.getRovStateBefore());
    assertEquals(origin.getTimeMicros(), origin.getMovedAtMicros());

    List<Change> fixed = load(GOOD);
    assertEquals(2, fixed.size(), fixed.toString());
    for (Change c : fixed) {
      assertEquals(RovState.ROV_STATE_VALID, c.getRovState(), c.getDetail());
    }
    assertEquals(RovState.ROV_STATE_INVALID_LENGTH, fixed.get(0).getRovStateBefore());
    assertEquals(RovState.ROV_STATE_INVALID_ASN, fixed.get(1).getRovStateBefore());

    // the watched AS's ROA gone with nothing covering: valid → not-found
    List<Change> gone =
        load("64500,192.0.2.0/24,25", "64999,203.0.113.0/24,24", "64500,2001:db8::/32,48");
    assertEquals(1, gone.size(), gone.toString());
    assertEquals("198.51.100.0/24", prefix(gone.get(0)));
    assertEquals(RovState.ROV_STATE_NOT_FOUND, gone.get(0).getRovState());
  }

  @Test
  void unwatchedPrefixesSayNothing() throws Exception {
    load(GOOD);
    assertEquals(
        List.of(),
        load(
            "64500,192.0.2.0/24,25",
            "64510,198.51.100.0/24,24",
            "64666,203.0.113.0/24,24", // AS64999's prefix now invalid-origin: not watched
            "64500,2001:db8::/32,48"));
  }

  @Test
  void atMostMaxPerLoadAreJournaledAndTheRestCounted() throws Exception {
    rov.maxPerLoad = 1;
    load(GOOD);
    List<Change> bad = load("64500,192.0.2.0/24,24", "64666,198.51.100.0/22,24");
    // three turned: the /25 (length), 198.51.100.0/24 (origin), 2001:db8::/32 (not-found)
    assertEquals(1, bad.size(), bad.toString());
    assertEquals(2.0, registry.counter("routewatch_state_rpki_rov_changes_dropped_total").count());
  }

  @Test
  void aRouteThatChangedSinceTheScanIsLeftToItsOwnChange() throws Exception {
    load(GOOD);
    Files.writeString(file, "ASN,IP Prefix,Max Length\n64500,192.0.2.0/24,24\n");
    RpkiTestSupport.reload(rpki);
    // before the writer's tick, the /25 is re-originated: its ORIGIN_CHANGED carried the verdict
    for (int i = 0; i < 3; i++) {
      announce(i, "192.0.2.0/25", "3356 64501", T0 + 800 * S);
    }
    List<String> left = new ArrayList<>();
    rov.take().forEach(b -> left.add(text(b.getPrefix())));
    left.sort(null);
    assertEquals(List.of("198.51.100.0/24", "2001:db8::/32"), left);
  }

  @Test
  void theFirstLoadOnceWarmReportsTheInvalidOnesOnly() throws Exception {
    List<Change> first = load("64500,192.0.2.0/24,24", "64510,198.51.100.0/24,24");
    assertEquals(1, first.size(), first.toString());
    Change c = first.get(0);
    assertEquals("192.0.2.0/25", prefix(c));
    assertEquals(RovState.ROV_STATE_INVALID_LENGTH, c.getRovState());
    assertEquals(RovState.ROV_STATE_UNSPECIFIED, c.getRovStateBefore(), "no verdict before");
    assertEquals(List.of(), c.getOriginRovStatesBeforeList());
    assertEquals("ROV 192.0.2.0/25 AS64500 invalid-length (VRP set reloaded)", c.getDetail());
  }

  /**
   * The set before is the one the load replaced, whether or not this listener saw it load (CDI
   * start-up order may add the listener after the first load): no first-load re-report then.
   */
  @Test
  void aLoadTheListenerDidNotSeeIsStillTheSetBefore() throws Exception {
    String[] shrunk = {
      "64500,192.0.2.0/24,24", "64510,198.51.100.0/24,24", "64500,2001:db8::/32,48"
    };
    assertEquals(1, load(shrunk).size(), "the first load: the invalid /25");
    RovChanges late = new RovChanges();
    late.rpki = rpki;
    late.engine = engine;
    late.registry = registry;
    late.registerMetrics();
    rpki.onLoad(vrps -> late.loaded(rpki.replacedTable(), rpki.table()));
    load(shrunk);
    assertEquals(List.of(), late.take(), "the same set as the load before it");
    load(GOOD);
    assertEquals(1, late.take().size(), "the /25 valid again");
  }

  @Test
  void nothingWhileStateIsNotWarm() throws Exception {
    engine =
        new RoutingEngine(
            EngineConfig.defaults().withSettle(60 * S, 600 * S), CountryRegistry.empty(), e -> {});
    int v = engine.vantagePoint("rrc00", new byte[] {10, 9, 9, 9}, 100, 0);
    engine.announce(
        v, Prefix.parse("192.0.2.0/25"), 0, AsPath.parse("100 64500"), RouteAttributes.NONE, T0);
    engine.watch(WatchedSpace.of(List.of(Prefix.parse("192.0.2.0/24")), new int[0]));
    rov.engine = engine;
    assertEquals(List.of(), load("64500,192.0.2.0/24,24"), "the warm-up reports validate");
  }
}
