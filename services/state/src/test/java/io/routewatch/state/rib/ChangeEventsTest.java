package io.routewatch.state.rib;

import static io.routewatch.state.rib.SmallTable.A;
import static io.routewatch.state.rib.SmallTable.P1;
import static io.routewatch.state.rib.SmallTable.P2;
import static io.routewatch.state.rib.SmallTable.S;
import static io.routewatch.state.rib.SmallTable.T0;
import static io.routewatch.state.rib.SmallTable.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.outage.Outage;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Change events on a small table: 4 VPs, 2 prefixes of AS65001 via AS10. */
class ChangeEventsTest {

  private final List<ChangeEvent> events = new ArrayList<>();
  private RoutingEngine rib;
  private final int[] vp = new int[4];

  @BeforeEach
  void loadBaseline() {
    loadBaseline(SmallTable.CONFIG);
  }

  /** A fresh engine with {@code cfg}: every VP loads both prefixes via AS10 and ends its dump. */
  private void loadBaseline(EngineConfig cfg) {
    rib = SmallTable.load(cfg, events, vp, r -> {});
  }

  private List<ChangeEvent> take() {
    List<ChangeEvent> l = new ArrayList<>(events);
    events.clear();
    return l;
  }

  @Test
  void loadingTheTablesIsSilent() {
    assertEquals(List.of(), take());
    assertTrue(rib.stats().warm());
    assertEquals(4, rib.stats().fullFeedVantagePoints());
  }

  @Test
  void upstreamAddedWithShareMoveThenRemoved() {
    rib.announce(vp[0], P1, 0, path(0, "20 65001"), A, T0 + 10 * S);
    List<ChangeEvent> ev = take();
    assertEquals(2, ev.size(), ev.toString());
    ChangeEvent added =
        ev.stream()
            .filter(e -> e.type() == ChangeEvent.Type.UPSTREAM_ADDED)
            .findFirst()
            .orElseThrow();
    assertEquals(65001, added.originAsn());
    assertEquals(20, added.upstreamAsn());
    assertEquals(0.0, added.shareBefore());
    assertEquals(0.125, added.shareAfter());
    assertEquals(1, added.vpCount());
    assertArrayEquals(new long[] {100}, added.peerAsns());
    assertEquals("10.0.0.0/24", added.prefix());
    assertEquals(T0 + 10 * S, added.tsMicros());
    ChangeEvent moved =
        ev.stream()
            .filter(e -> e.type() == ChangeEvent.Type.UPSTREAM_SHARE_MOVED)
            .findFirst()
            .orElseThrow();
    assertEquals(10, moved.upstreamAsn());
    assertEquals(1.0, moved.shareBefore());
    assertEquals(0.875, moved.shareAfter());

    rib.announce(vp[0], P1, 0, path(0, "10 65001"), A, T0 + 20 * S);
    ev = take();
    assertEquals(
        List.of(ChangeEvent.Type.UPSTREAM_REMOVED, ChangeEvent.Type.UPSTREAM_SHARE_MOVED),
        ev.stream().map(ChangeEvent::type).sorted().toList(),
        ev.toString());
    ChangeEvent removed =
        ev.stream()
            .filter(e -> e.type() == ChangeEvent.Type.UPSTREAM_REMOVED)
            .findFirst()
            .orElseThrow();
    assertEquals(20, removed.upstreamAsn());
    assertEquals(0.125, removed.shareBefore());
    assertEquals(0.0, removed.shareAfter());
    // the removal carries the evidence the upstream had (who saw it), not today's empty set:
    // the alert service's min-peers filter needs it to let LostUpstream through
    assertEquals(1, removed.vpCount());
    assertArrayEquals(new long[] {100}, removed.peerAsns());
  }

  @Test
  void smallStepsAreReportedAsTheyAreOnceQuiet() {
    // share-move-points 0.3: each switch (1 of 8 paths = 12.5 points) is a drift, not a report
    events.clear();
    loadBaseline(
        EngineConfig.defaults()
            .withFullFeed(2, 1)
            .withShareMovePoints(0.3)
            .withSettle(60 * S, 600 * S));
    rib.tick(T0 + 700 * S); // warm
    rib.announce(vp[0], P1, 0, path(0, "20 65001"), A, T0 + 710 * S); // AS20 appears: reported
    List<ChangeEvent> added = take();
    assertEquals(1, added.size());
    assertEquals(added.get(0).tsMicros(), added.get(0).movedAtMicros(), "reported as it happens");
    // the same VP moves its other prefix (no new peer ASN, so no new evidence): AS20 25 %
    rib.announce(vp[0], P2, 0, path(0, "20 65001"), A, T0 + 711 * S);
    assertEquals(List.of(), take(), "a step below share-move-points is not reported at once");
    rib.tick(T0 + 769 * S);
    assertEquals(List.of(), take(), "not before the settle time");
    rib.tick(T0 + 771 * S); // quiet for the settle time (60 s)
    List<ChangeEvent> ev = take();
    assertEquals(2, ev.size(), ev.toString());
    for (ChangeEvent e : ev) {
      assertEquals(ChangeEvent.Type.UPSTREAM_SHARE_MOVED, e.type());
      assertEquals(e.upstreamAsn() == 20 ? 0.25 : 0.75, e.shareAfter(), 1e-9, e.toString());
      // sent when quiet, but the move happened at the last step: a consumer asking "did this
      // come with AS20 appearing?" needs that time
      assertEquals(T0 + 771 * S, e.tsMicros());
      assertEquals(T0 + 711 * S, e.movedAtMicros());
    }
    rib.tick(T0 + 900 * S);
    assertEquals(List.of(), take(), "reported once");
  }

  @Test
  void peerDownAndRedumpCauseNoChange() {
    rib.peerDown(vp[1], T0 + 10 * S);
    rib.peerDown(vp[2], T0 + 10 * S);
    rib.peerUp(vp[1], T0 + 20 * S);
    rib.ribDumpBegin(vp[1], T0 + 20 * S);
    rib.peerUp(vp[2], T0 + 20 * S);
    rib.ribDumpBegin(vp[2], T0 + 20 * S);
    for (int i = 1; i <= 2; i++) {
      for (Prefix p : List.of(P1, P2)) {
        rib.announce(vp[i], p, 0, path(i, "10 65001"), A, T0 + 21 * S);
      }
    }
    rib.ribDumpEnd(vp[1], T0 + 22 * S);
    rib.ribDumpEnd(vp[2], T0 + 22 * S);
    rib.tick(T0 + 600 * S);
    assertEquals(List.of(), take());
  }

  @Test
  void aChangeThatOutlivesTheReloadIsReportedOnce() {
    rib.announce(vp[0], P1, 0, path(0, "20 65001"), A, T0 + 5 * S);
    take();
    // VP0, the only one seeing AS20, goes down and never comes back: reported after settle time.
    rib.peerDown(vp[0], T0 + 10 * S);
    assertEquals(List.of(), take());
    rib.tick(T0 + 71 * S);
    List<ChangeEvent> ev = take();
    assertTrue(
        ev.stream()
            .anyMatch(e -> e.type() == ChangeEvent.Type.UPSTREAM_REMOVED && e.upstreamAsn() == 20),
        ev.toString());
  }

  @Test
  void visibilityLossOpensAndClosesAnOutage() {
    long t3 = T0 + 100 * S;
    for (int i = 0; i < 4; i++) {
      rib.withdraw(vp[i], P2, 0, t3);
    }
    List<ChangeEvent> ev = take();
    // lost on the threshold (2 of 4 VPs: visible means strictly above 0.5), then dark: reported
    // as it happens, so a rule with a lower threshold sees the total withdrawal too
    // and the origin, with 1 of its 2 prefixes visible, is lost too: reported as it crosses, and
    // before the prefix loss that caused it, so an alert with hold 0 folds the prefix into it
    assertEquals(3, ev.size(), ev.toString());
    assertEquals(ChangeEvent.Type.VISIBILITY_LOST, ev.get(0).type());
    assertEquals(ChangeEvent.Scope.ORIGIN, ev.get(0).scope());
    assertEquals(null, ev.get(0).prefix());
    assertEquals(65001, ev.get(0).originAsn());
    assertEquals(0.5, ev.get(0).visibility());
    assertEquals(1, ev.get(0).vpCount()); // visible prefixes
    assertEquals(ChangeEvent.Type.VISIBILITY_LOST, ev.get(1).type());
    assertEquals("10.0.1.0/24", ev.get(1).prefix());
    assertEquals(0.5, ev.get(1).visibility());
    assertEquals(65001, ev.get(1).originAsn());
    assertEquals(ChangeEvent.Type.VISIBILITY_LOST, ev.get(2).type());
    assertEquals("10.0.1.0/24", ev.get(2).prefix());
    assertEquals(0.0, ev.get(2).visibility());

    rib.tick(t3 + 59 * S);
    assertEquals(List.of(), take()); // hold time not over
    rib.tick(t3 + 61 * S);
    ev = take();
    assertEquals(1, ev.size(), ev.toString());
    assertEquals(ChangeEvent.Type.OUTAGE_OPENED, ev.get(0).type());
    Outage o = ev.get(0).outage();
    assertEquals(t3, o.startMicros());
    assertEquals(0.0, o.depth());
    assertEquals(1, rib.outages(P2, 0).size());
    assertEquals(0.5, rib.originVisibility(65001));

    long t4 = T0 + 300 * S;
    for (int i = 0; i < 4; i++) {
      rib.announce(vp[i], P2, 0, path(i, "10 65001"), A, t4);
    }
    ev = take();
    assertEquals(
        List.of(ChangeEvent.Scope.PREFIX, ChangeEvent.Scope.ORIGIN),
        ev.stream()
            .filter(e -> e.type() == ChangeEvent.Type.VISIBILITY_RESTORED)
            .map(ChangeEvent::scope)
            .toList(),
        ev.toString());
    assertEquals(2, ev.size(), ev.toString());
    rib.tick(t4 + 61 * S);
    ev = take();
    assertEquals(1, ev.size(), ev.toString());
    assertEquals(ChangeEvent.Type.OUTAGE_CLOSED, ev.get(0).type());
    o = ev.get(0).outage();
    assertEquals(t3, o.startMicros());
    assertEquals(t4, o.endMicros());
    assertEquals(200 * S, o.durationMicros(0));
    assertEquals(List.of(o), rib.outages(P2, t3));
  }

  /**
   * A lost prefix names the closest visible less-specific of its origin (covering_prefix), on the
   * crossing and on the outage: the network is still reached through it. A less-specific of another
   * origin, or one of the same origin that too few VPs see, is no cover.
   */
  @Test
  void aLostPrefixNamesTheVisibleLessSpecificOfItsOrigin() {
    Prefix sixteen = Prefix.parse("10.0.0.0/16");
    Prefix twenty = Prefix.parse("10.0.0.0/20");
    for (int i = 0; i < 4; i++) {
      rib.announce(vp[i], sixteen, 0, path(i, "10 65001"), A, T0 + 10 * S);
    }
    rib.announce(vp[0], twenty, 0, path(0, "30 65002"), A, T0 + 10 * S); // another origin
    take();
    long t = T0 + 100 * S;
    for (int i = 0; i < 4; i++) {
      rib.withdraw(vp[i], P2, 0, t);
    }
    List<ChangeEvent> lost =
        take().stream()
            .filter(
                e ->
                    e.type() == ChangeEvent.Type.VISIBILITY_LOST
                        && e.scope() == ChangeEvent.Scope.PREFIX)
            .toList();
    assertEquals(2, lost.size(), lost.toString()); // on the threshold, then dark
    for (ChangeEvent e : lost) {
      assertEquals("10.0.1.0/24", e.prefix());
      assertEquals("10.0.0.0/16", e.coveringPrefix(), e.toString());
    }
    rib.tick(t + 61 * S);
    List<ChangeEvent> opened = take();
    assertEquals(1, opened.size(), opened.toString());
    assertEquals(ChangeEvent.Type.OUTAGE_OPENED, opened.get(0).type());
    assertEquals("10.0.0.0/16", opened.get(0).coveringPrefix());

    // the /16 goes from three of the four VPs (1 of 4: not visible): the same loss has no cover
    for (int i = 0; i < 4; i++) {
      rib.announce(vp[i], P2, 0, path(i, "10 65001"), A, t + 100 * S);
    }
    for (int i = 1; i < 4; i++) {
      rib.withdraw(vp[i], sixteen, 0, t + 110 * S);
    }
    take();
    for (int i = 0; i < 4; i++) {
      rib.withdraw(vp[i], P2, 0, t + 200 * S);
    }
    List<ChangeEvent> again =
        take().stream()
            .filter(
                e ->
                    e.type() == ChangeEvent.Type.VISIBILITY_LOST
                        && e.scope() == ChangeEvent.Scope.PREFIX
                        && "10.0.1.0/24".equals(e.prefix()))
            .toList();
    assertEquals(2, again.size(), again.toString());
    for (ChangeEvent e : again) {
      assertEquals(null, e.coveringPrefix(), e.toString());
    }
  }

  @Test
  void darkIsReportedOnceAndAgainOnlyAfterItWasLitAgain() {
    long t = T0 + 100 * S;
    for (int i = 0; i < 4; i++) {
      rib.withdraw(vp[i], P2, 0, t);
    }
    assertEquals(
        List.of(0.5, 0.0),
        take().stream()
            .filter(
                e ->
                    e.type() == ChangeEvent.Type.VISIBILITY_LOST
                        && e.scope() == ChangeEvent.Scope.PREFIX)
            .map(ChangeEvent::visibility)
            .toList());
    rib.withdraw(vp[0], P2, 0, t + S); // already gone: nothing new
    assertEquals(List.of(), take());
    // one VP back (1 of 4, still lost): not restored, no longer dark
    rib.announce(vp[0], P2, 0, path(0, "10 65001"), A, t + 2 * S);
    assertEquals(List.of(), take());
    rib.withdraw(vp[0], P2, 0, t + 3 * S); // dark again: reported again
    List<ChangeEvent> ev = take();
    assertEquals(1, ev.size(), ev.toString());
    assertEquals(ChangeEvent.Type.VISIBILITY_LOST, ev.get(0).type());
    assertEquals(0.0, ev.get(0).visibility());
  }

  @Test
  void moasAndMoreSpecificFromAnotherOrigin() {
    rib.announce(vp[2], P1, 0, path(2, "30 65002"), A, T0 + 10 * S);
    List<ChangeEvent> ev = take();
    ChangeEvent moas =
        ev.stream()
            .filter(e -> e.type() == ChangeEvent.Type.ORIGIN_CHANGED)
            .findFirst()
            .orElseThrow(() -> new AssertionError(ev.toString()));
    assertArrayEquals(new long[] {65001}, moas.originsBefore());
    assertArrayEquals(new long[] {65001, 65002}, moas.originsAfter());

    Prefix more = Prefix.parse("10.0.0.128/25");
    rib.announce(vp[0], more, 0, path(0, "40 65003"), A, T0 + 20 * S);
    List<ChangeEvent> ev2 = take();
    ChangeEvent ms =
        ev2.stream()
            .filter(e -> e.type() == ChangeEvent.Type.MORE_SPECIFIC)
            .findFirst()
            .orElseThrow(() -> new AssertionError(ev2.toString()));
    assertEquals("10.0.0.128/25", ms.prefix());
    assertEquals("10.0.0.0/24", ms.coveringPrefix());
    assertEquals(65003, ms.originAsn());
    assertArrayEquals(new long[] {65001, 65002}, ms.originsBefore());
    // A brand-new origin after warm-up also reports its upstream.
    assertTrue(
        ev2.stream()
            .anyMatch(
                e ->
                    e.type() == ChangeEvent.Type.UPSTREAM_ADDED
                        && e.originAsn() == 65003
                        && e.upstreamAsn() == 40));
  }

  private List<ChangeEvent> ofType(List<ChangeEvent> ev, ChangeEvent.Type t) {
    return ev.stream().filter(e -> e.type() == t).toList();
  }

  /**
   * A sub-prefix whose covering prefix state does not know, first seen after warm-up: one
   * PREFIX_ANNOUNCED with its origin, the first path and the peer ASN; reported again as it spreads
   * (VP count doubled), and once more when quiet for the settle time with the exact count.
   */
  private static WatchedSpace space(String... prefixes) {
    return WatchedSpace.of(List.of(prefixes).stream().map(Prefix::parse).toList(), new int[0]);
  }

  @Test
  void aNewPrefixIsAnnouncedWithItsPathAndSpread() {
    assertEquals(0, rib.watch(space("192.0.2.0/24")), "nothing of it announced yet");
    Prefix hijack = Prefix.parse("192.0.2.0/25"); // nothing covers it in state
    rib.announce(vp[0], hijack, 0, path(0, "3491 17557"), A, T0 + 10 * S);
    List<ChangeEvent> first = ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED);
    assertEquals(1, first.size(), first.toString());
    ChangeEvent a = first.get(0);
    assertEquals("192.0.2.0/25", a.prefix());
    assertArrayEquals(new long[] {17557}, a.originsAfter());
    assertEquals("100 3491 17557", a.asPath());
    assertEquals(1, a.vpCount());
    assertArrayEquals(new long[] {100}, a.peerAsns());
    assertEquals(null, a.coveringPrefix());
    assertEquals(false, a.spreadUpdate());
    rib.announce(vp[1], hijack, 0, path(1, "3491 17557"), A, T0 + 11 * S);
    List<ChangeEvent> spread = ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED);
    assertEquals(1, spread.size(), "doubled: 1 → 2 VPs " + spread);
    assertEquals(2, spread.get(0).vpCount());
    assertTrue(spread.get(0).spreadUpdate());
    assertEquals("100 3491 17557", spread.get(0).asPath(), "the first path, on every report");
    rib.announce(vp[2], hijack, 0, path(2, "3491 17557"), A, T0 + 12 * S);
    assertEquals(List.of(), ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED), "3 < 2 × 2");
    rib.tick(T0 + 12 * S + 60 * S); // quiet for the settle time: the exact count
    List<ChangeEvent> settled = ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED);
    assertEquals(1, settled.size(), settled.toString());
    assertEquals(3, settled.get(0).vpCount());
    assertArrayEquals(new long[] {100, 200, 300}, settled.get(0).peerAsns());
    rib.tick(T0 + 200 * S);
    assertEquals(List.of(), ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED), "reported once");
    // gone everywhere: PREFIX_WITHDRAWN with the origins it had
    for (int i = 0; i < 3; i++) {
      rib.withdraw(vp[i], hijack, 0, T0 + 300 * S);
    }
    List<ChangeEvent> gone = ofType(take(), ChangeEvent.Type.PREFIX_WITHDRAWN);
    assertEquals(1, gone.size(), gone.toString());
    assertArrayEquals(new long[] {17557}, gone.get(0).originsBefore());
    // back: announced again
    rib.announce(vp[3], hijack, 0, path(3, "3491 17557"), A, T0 + 400 * S);
    assertEquals(1, ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED).size());
  }

  /** A more-specific of a known prefix names it as covering_prefix, with its origins. */
  @Test
  void aNewMoreSpecificNamesItsCoveringPrefix() {
    assertEquals(1, rib.watch(space("10.0.0.0/24")), "P1, announced: judged at once");
    take();
    rib.announce(vp[0], Prefix.parse("10.0.0.0/25"), 0, path(0, "10 65001"), A, T0 + 10 * S);
    List<ChangeEvent> ev = ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED);
    assertEquals(1, ev.size(), ev.toString());
    assertEquals("10.0.0.0/24", ev.get(0).coveringPrefix());
    assertArrayEquals(new long[] {65001}, ev.get(0).originsBefore());
    assertArrayEquals(new long[] {65001}, ev.get(0).originsAfter());
  }

  /** The tables loaded before warm-up are the baseline: no PREFIX_ANNOUNCED for them. */
  @Test
  void theInitialLoadAnnouncesNothing() {
    assertEquals(List.of(), take());
  }

  /**
   * Nothing watched: a thousand new prefixes appear and go after warm-up, and state reports none of
   * them (the 2015 table import journals no change per prefix). Watching other space changes
   * nothing either.
   */
  @Test
  void unwatchedPrefixesCostNoChange() {
    for (WatchedSpace w : List.of(WatchedSpace.NONE, space("198.51.100.0/24", "2001:db8::/32"))) {
      rib.watch(w);
      take();
      for (int i = 0; i < 1000; i++) {
        Prefix p = Prefix.ipv4((20 << 24) | (i << 8), 24);
        rib.announce(vp[i % 4], p, 0, path(i % 4, "10 65001"), A, T0 + 10 * S);
      }
      for (int i = 0; i < 1000; i++) {
        rib.withdraw(vp[i % 4], Prefix.ipv4((20 << 24) | (i << 8), 24), 0, T0 + 20 * S);
      }
      rib.tick(T0 + 1000 * S);
      List<ChangeEvent> ev = take();
      assertEquals(List.of(), ofType(ev, ChangeEvent.Type.PREFIX_ANNOUNCED), "watching " + w);
      assertEquals(List.of(), ofType(ev, ChangeEvent.Type.PREFIX_WITHDRAWN), "watching " + w);
    }
  }

  /** A watched origin AS: its new prefixes are reported, another AS's are not. */
  @Test
  void aWatchedOriginsNewPrefixIsAnnounced() {
    assertEquals(0, rib.watch(WatchedSpace.of(List.of(), new int[] {17557})));
    rib.announce(vp[0], Prefix.parse("203.0.113.0/24"), 0, path(0, "3491 17557"), A, T0 + 10 * S);
    rib.announce(vp[0], Prefix.parse("203.0.114.0/24"), 0, path(0, "3491 65009"), A, T0 + 10 * S);
    List<ChangeEvent> ev = ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED);
    assertEquals(List.of("203.0.113.0/24"), ev.stream().map(ChangeEvent::prefix).toList());
    rib.withdraw(vp[0], Prefix.parse("203.0.113.0/24"), 0, T0 + 20 * S);
    rib.withdraw(vp[0], Prefix.parse("203.0.114.0/24"), 0, T0 + 20 * S);
    ev = ofType(take(), ChangeEvent.Type.PREFIX_WITHDRAWN);
    assertEquals(List.of("203.0.113.0/24"), ev.stream().map(ChangeEvent::prefix).toList());
  }

  /** A less-specific of a watched prefix is watched too (it covers the watched space). */
  @Test
  void aCoveringPrefixOfWatchedSpaceIsAnnounced() {
    rib.watch(space("192.0.2.128/25"));
    rib.announce(vp[0], Prefix.parse("192.0.0.0/16"), 0, path(0, "3491 17557"), A, T0 + 10 * S);
    rib.announce(vp[0], Prefix.parse("192.1.0.0/16"), 0, path(0, "3491 17557"), A, T0 + 10 * S);
    List<ChangeEvent> ev = ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED);
    assertEquals(List.of("192.0.0.0/16"), ev.stream().map(ChangeEvent::prefix).toList());
  }

  /**
   * A watch entry for space announced now is judged from the current RIB: the prefixes that enter
   * the space are reported at once (first report, every VP's figures), once; those watched already
   * are not reported again.
   */
  @Test
  void aNewWatchEntryJudgesTheCurrentRib() {
    assertEquals(1, rib.watch(space("10.0.0.0/24")));
    List<ChangeEvent> ev = take();
    assertEquals(1, ev.size(), ev.toString());
    ChangeEvent a = ev.get(0);
    assertEquals(ChangeEvent.Type.PREFIX_ANNOUNCED, a.type());
    assertEquals("10.0.0.0/24", a.prefix());
    assertArrayEquals(new long[] {65001}, a.originsAfter());
    assertEquals(4, a.vpCount());
    assertArrayEquals(new long[] {100, 200, 300, 400}, a.peerAsns());
    assertEquals("100 10 65001", a.asPath());
    assertEquals(false, a.spreadUpdate());
    assertEquals(0, rib.watch(space("10.0.0.0/24")), "the same space again: nothing new");
    assertEquals(1, rib.watch(space("10.0.0.0/24", "10.0.1.0/24")), "P2 entered");
    assertEquals(
        List.of("10.0.0.0/24", "10.0.1.0/24"), List.of(ev.get(0).prefix(), take().get(0).prefix()));
    assertEquals(0, rib.watch(WatchedSpace.NONE));
    assertEquals(2, rib.watch(space("10.0.0.0/16")), "covering both");
    assertEquals(2, take().size());
  }

  /**
   * Watched before the tables load: nothing during the load (not warm), then each watched prefix
   * announced is reported once when state becomes warm, so a foreign origin present from the start
   * is seen, not taken as the baseline.
   */
  @Test
  void becomingWarmReportsTheWatchedPrefixesAnnounced() {
    events.clear();
    rib =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(2, 1), CountryRegistry.empty(), events::add);
    rib.watch(space("10.0.1.0/24"));
    for (int i = 0; i < 4; i++) {
      vp[i] = rib.vantagePoint("rrc00", new byte[] {10, 9, 9, (byte) i}, 100 * (i + 1), 0);
      rib.ribDumpBegin(vp[i], T0);
      rib.announce(vp[i], P1, 0, path(i, "10 65001"), A, T0);
      rib.announce(vp[i], P2, 0, path(i, i == 0 ? "10 17557" : "10 65001"), A, T0);
    }
    assertEquals(List.of(), take(), "loading: silent");
    for (int i = 0; i < 4; i++) {
      rib.ribDumpEnd(vp[i], T0 + S);
    }
    assertTrue(rib.stats().warm());
    List<ChangeEvent> ev = ofType(take(), ChangeEvent.Type.PREFIX_ANNOUNCED);
    assertEquals(1, ev.size(), ev.toString());
    assertEquals("10.0.1.0/24", ev.get(0).prefix());
    assertArrayEquals(new long[] {17557, 65001}, ev.get(0).originsAfter());
    assertEquals(4, ev.get(0).vpCount());
  }
}
