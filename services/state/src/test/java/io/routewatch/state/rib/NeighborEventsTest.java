package io.routewatch.state.rib;

import static io.routewatch.state.rib.SmallTable.A;
import static io.routewatch.state.rib.SmallTable.P1;
import static io.routewatch.state.rib.SmallTable.P2;
import static io.routewatch.state.rib.SmallTable.S;
import static io.routewatch.state.rib.SmallTable.T0;
import static io.routewatch.state.rib.SmallTable.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Neighbour reports of a watched transit AS: AS10 carries AS65001's P1 and P2 to four VPs (peer
 * ASNs 100..400, each the VP's first AS on the path). The baseline neighbours of AS10 are its
 * downstream AS65001 and its upstreams AS100..AS400.
 */
class NeighborEventsTest {
  private static final Prefix P3 = Prefix.parse("10.0.2.0/24");
  private static final Prefix Q = Prefix.parse("192.0.2.0/24");

  private final List<ChangeEvent> events = new ArrayList<>();
  private RoutingEngine rib;
  private final int[] vp = new int[4];

  @BeforeEach
  void loadBaseline() {
    rib = SmallTable.load(SmallTable.CONFIG, events, vp, r -> {});
    events.clear();
  }

  private static WatchedSpace asns(int... a) {
    return WatchedSpace.of(List.of(), a);
  }

  private List<ChangeEvent> neighbors() {
    List<ChangeEvent> l =
        events.stream()
            .filter(
                e ->
                    e.type() == ChangeEvent.Type.NEIGHBOR_APPEARED
                        || e.type() == ChangeEvent.Type.NEIGHBOR_GONE)
            .toList();
    events.clear();
    return l;
  }

  @Test
  void theNeighboursAnAsHasWhenWatchedAreItsBaseline() {
    rib.watch(asns(10));
    assertEquals(5, rib.neighborEdges()); // downstream 65001, upstreams 100..400
    rib.withdraw(vp[0], P1, 0, T0 + 10 * S);
    rib.withdraw(vp[0], P2, 0, T0 + 11 * S);
    rib.announce(vp[0], P1, 0, path(0, "10 65001"), A, T0 + 12 * S);
    rib.announce(vp[0], P3, 0, path(0, "10 10 65001"), A, T0 + 13 * S);
    assertEquals(List.of(), neighbors()); // AS100 went and came back: it is a known neighbour
  }

  @Test
  void neighboursSeenBeforeWarmUpAreTheBaseline() {
    RoutingEngine r =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(2, 1).withSettle(60 * S, 600 * S),
            CountryRegistry.empty(),
            events::add);
    r.watch(asns(10));
    int a = r.vantagePoint("rrc00", new byte[] {10, 9, 8, 1}, 100, 0);
    r.ribDumpBegin(a, T0);
    r.announce(a, P1, 0, AsPath.parse("100 10 64999"), A, T0);
    r.ribDumpEnd(a, T0 + S);
    r.announce(a, P2, 0, AsPath.parse("100 10 64999"), A, T0 + 10 * S);
    assertEquals(List.of(), neighbors());
    r.announce(a, P3, 0, AsPath.parse("100 10 64998"), A, T0 + 11 * S);
    assertEquals(1, neighbors().size()); // warm now: a new one is news
  }

  @Test
  void aNewDownstreamIsReportedOnceThenForEachNewPeerAsAndGoesOnce() {
    rib.watch(asns(10));
    rib.announce(vp[0], P3, 0, path(0, "10 64999"), A, T0 + 10 * S);
    List<ChangeEvent> first = neighbors();
    assertEquals(1, first.size(), first.toString());
    ChangeEvent e = first.get(0);
    assertEquals(ChangeEvent.Type.NEIGHBOR_APPEARED, e.type());
    assertEquals(ChangeEvent.Scope.ORIGIN, e.scope());
    assertEquals(10, e.originAsn());
    assertEquals(10, e.neighbor().asn());
    assertEquals(64999, e.neighbor().neighbor());
    assertEquals(Neighbor.DOWNSTREAM, e.neighbor().side());
    assertEquals(T0 + 10 * S, e.neighbor().sinceMicros());
    assertEquals("100 10 64999", e.asPath());
    assertEquals("10.0.2.0/24", e.prefix());
    assertEquals(1, e.vpCount());
    assertArrayEquals(new long[] {100}, e.peerAsns());
    assertFalse(e.spreadUpdate());

    // the same VP again, on another prefix: no new evidence
    rib.announce(vp[0], Q, 0, path(0, "10 64999"), A, T0 + 11 * S);
    assertEquals(List.of(), neighbors());
    rib.announce(vp[1], P3, 0, path(1, "10 64999 64999"), A, T0 + 12 * S);
    rib.announce(vp[2], P3, 0, path(2, "10 64999"), A, T0 + 13 * S);
    List<ChangeEvent> spread = neighbors();
    assertEquals(2, spread.size(), spread.toString());
    assertTrue(spread.get(1).spreadUpdate());
    assertEquals(3, spread.get(1).vpCount());
    assertArrayEquals(new long[] {100, 200, 300}, spread.get(1).peerAsns());
    assertEquals("100 10 64999", spread.get(1).asPath()); // the first path seen
    assertEquals(T0 + 10 * S, spread.get(1).neighbor().sinceMicros());

    rib.withdraw(vp[0], P3, 0, T0 + 20 * S);
    rib.withdraw(vp[1], P3, 0, T0 + 21 * S);
    rib.announce(vp[2], P3, 0, path(2, "10 65001"), A, T0 + 22 * S);
    assertEquals(List.of(), neighbors()); // VP 0 still carries it for Q
    rib.withdraw(vp[0], Q, 0, T0 + 23 * S);
    List<ChangeEvent> gone = neighbors();
    assertEquals(1, gone.size(), gone.toString());
    assertEquals(ChangeEvent.Type.NEIGHBOR_GONE, gone.get(0).type());
    assertEquals(64999, gone.get(0).neighbor().neighbor());
    assertEquals(0, gone.get(0).vpCount());

    // a reported neighbour that went is news again when it returns
    rib.announce(vp[3], P3, 0, path(3, "10 64999"), A, T0 + 30 * S);
    List<ChangeEvent> back = neighbors();
    assertEquals(1, back.size(), back.toString());
    assertFalse(back.get(0).spreadUpdate());
    assertEquals(T0 + 30 * S, back.get(0).neighbor().sinceMicros());
  }

  @Test
  void aNewUpstreamOfATransitAsIsReportedButNotTheOriginsUpstream() {
    rib.watch(asns(10, 65001));
    // AS10's new upstream AS20 (AS10 is not the origin); AS65001's upstream stays AS10
    rib.announce(vp[0], P1, 0, path(0, "20 10 65001"), A, T0 + 10 * S);
    List<ChangeEvent> l = neighbors();
    assertEquals(1, l.size(), l.toString());
    assertEquals(10, l.get(0).originAsn());
    assertEquals(20, l.get(0).neighbor().neighbor());
    assertEquals(Neighbor.UPSTREAM, l.get(0).neighbor().side());
    // AS65001 reached through a new upstream AS30: UPSTREAM_ADDED's, not a neighbour report
    rib.announce(vp[1], P1, 0, path(1, "30 65001"), A, T0 + 11 * S);
    List<ChangeEvent> all = new ArrayList<>(events);
    assertEquals(List.of(), neighbors());
    assertTrue(
        all.stream()
            .anyMatch(e -> e.type() == ChangeEvent.Type.UPSTREAM_ADDED && e.upstreamAsn() == 30),
        all.toString());
  }

  @Test
  void prependsCollapseAndAnAsSetBreaksAdjacency() {
    rib.watch(asns(10));
    rib.announce(vp[0], P3, 0, path(0, "10 10 10 {64998,64997}"), A, T0 + 10 * S);
    rib.announce(vp[1], P3, 0, path(1, "10 {64998} 64996"), A, T0 + 11 * S);
    assertEquals(List.of(), neighbors()); // nothing right of AS10 but sets
    // the VP peers with AS10 itself: no upstream on that path, its downstream counts
    int direct = rib.vantagePoint("rrc00", new byte[] {10, 9, 9, 9}, 10, 0);
    rib.ribDumpBegin(direct, T0 + 12 * S);
    rib.announce(direct, P1, 0, AsPath.parse("10 65001"), A, T0 + 12 * S);
    rib.ribDumpEnd(direct, T0 + 13 * S);
    rib.announce(direct, P3, 0, AsPath.parse("10 10 64995"), A, T0 + 14 * S);
    List<ChangeEvent> l = neighbors();
    assertEquals(1, l.size(), l.toString());
    assertEquals(64995, l.get(0).neighbor().neighbor());
    assertEquals(Neighbor.DOWNSTREAM, l.get(0).neighbor().side());
    assertArrayEquals(new long[] {10}, l.get(0).peerAsns());
    assertEquals("10 10 64995", l.get(0).asPath());
  }

  @Test
  void whatAVpsInitialTableLoadBringsIsTheBaseline() {
    rib.watch(asns(10));
    int late = rib.vantagePoint("rrc01", new byte[] {10, 9, 9, 5}, 500, 0);
    rib.ribDumpBegin(late, T0 + 10 * S);
    rib.announce(late, P1, 0, AsPath.parse("500 10 64990"), A, T0 + 10 * S);
    rib.ribDumpEnd(late, T0 + 11 * S);
    assertEquals(List.of(), neighbors());
    // an established VP sees it too now: still the baseline
    rib.announce(vp[0], P3, 0, path(0, "10 64990"), A, T0 + 12 * S);
    assertEquals(List.of(), neighbors());
  }

  @Test
  void anAsThatEntersTheWatchedSpaceBringsItsBaselineOneThatLeavesEndsItsReports() {
    rib.watch(asns(10));
    rib.announce(vp[0], P3, 0, path(0, "10 64999"), A, T0 + 10 * S);
    assertEquals(1, neighbors().size());
    rib.watch(asns(10, 64999)); // the same reports stand; AS64999's neighbours are baseline
    assertEquals(List.of(), neighbors());
    rib.announce(vp[1], P3, 0, path(1, "10 64999"), A, T0 + 11 * S);
    List<ChangeEvent> l = neighbors();
    assertEquals(1, l.size(), l.toString());
    assertTrue(l.get(0).spreadUpdate()); // AS10 → AS64999 kept its report across the change
    rib.watch(asns(64999));
    List<ChangeEvent> gone = neighbors();
    assertEquals(1, gone.size(), gone.toString());
    assertEquals(ChangeEvent.Type.NEIGHBOR_GONE, gone.get(0).type());
    assertEquals(10, gone.get(0).originAsn());
    rib.watch(WatchedSpace.NONE);
    assertEquals(List.of(), neighbors());
    assertEquals(0, rib.neighborEdges());
  }

  @Test
  void edgesBeyondTheCapAreNotTrackedButCounted() {
    rib.neighborLimit(6);
    rib.watch(asns(10)); // five baseline edges
    rib.announce(vp[0], P3, 0, path(0, "10 64999"), A, T0 + 10 * S);
    assertEquals(1, neighbors().size());
    rib.announce(vp[1], P3, 0, path(1, "10 64998"), A, T0 + 11 * S);
    rib.announce(vp[1], Q, 0, path(1, "10 64997"), A, T0 + 12 * S);
    assertEquals(List.of(), neighbors());
    assertEquals(6, rib.neighborEdges());
    assertEquals(2, rib.neighborsDropped());
    rib.withdraw(vp[1], Q, 0, T0 + 13 * S); // an untracked edge going is no report either
    assertEquals(List.of(), neighbors());
  }

  @Test
  void anEdgeIsCountedOncePerPathEvenOnALoop() {
    rib.watch(asns(10));
    rib.announce(vp[0], P3, 0, path(0, "10 64999 10 64999"), A, T0 + 10 * S);
    List<ChangeEvent> l = neighbors();
    // AS10 → AS64999 downstream, AS64999 → AS10 as AS10's upstream: two edges, each once
    assertEquals(2, l.size(), l.toString());
    assertEquals(Neighbor.DOWNSTREAM, l.get(0).neighbor().side());
    assertEquals(Neighbor.UPSTREAM, l.get(1).neighbor().side());
    assertEquals(64999, l.get(1).neighbor().neighbor());
  }

  @Test
  void aRestoreRebuildsTheNeighboursSilently() {
    rib.watch(asns(10));
    rib.announce(vp[0], P3, 0, path(0, "10 64999"), A, T0 + 10 * S);
    assertEquals(1, neighbors().size());
    RibImage image = rib.capture();
    RoutingEngine restored =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(2, 1).withSettle(60 * S, 600 * S),
            CountryRegistry.empty(),
            events::add);
    restored.watch(asns(10));
    restored.restore(image);
    assertEquals(6, restored.neighborEdges());
    restored.announce(vp[1], P3, 0, path(1, "10 64999"), A, T0 + 20 * S);
    restored.announce(vp[2], P3, 0, path(2, "10 64998"), A, T0 + 21 * S);
    List<ChangeEvent> l = neighbors();
    // AS64999 is the restored baseline now; AS64998 is news
    assertEquals(1, l.size(), l.toString());
    assertEquals(64998, l.get(0).neighbor().neighbor());
  }
}
