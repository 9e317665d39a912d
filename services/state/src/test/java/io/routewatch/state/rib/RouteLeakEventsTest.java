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

import io.routewatch.state.leak.AsRelationships;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route leak reports: AS65001 originates P1 and P2 through its provider AS10; AS20, a customer of
 * AS10 and of AS30, leaks AS10's route to AS30 (RFC 7908 type 1). Four VPs (peer ASNs 100..400).
 */
class RouteLeakEventsTest {
  private static final AsRelationships RELS =
      new AsRelationships.Builder()
          .put(10, 65001, AsRelationships.PROVIDER)
          .put(10, 20, AsRelationships.PROVIDER)
          .put(30, 20, AsRelationships.PROVIDER)
          .build();

  private final List<ChangeEvent> events = new ArrayList<>();
  private RoutingEngine rib;
  private final int[] vp = new int[4];

  @BeforeEach
  void loadBaseline() {
    rib = SmallTable.load(SmallTable.CONFIG, events, vp, r -> r.relationships(RELS));
    events.clear();
  }

  private List<ChangeEvent> leaks() {
    List<ChangeEvent> l =
        events.stream()
            .filter(
                e ->
                    e.type() == ChangeEvent.Type.ROUTE_LEAK
                        || e.type() == ChangeEvent.Type.ROUTE_LEAK_ENDED)
            .toList();
    events.clear();
    return l;
  }

  private static WatchedSpace prefixes(Prefix... p) {
    return WatchedSpace.of(List.of(p), new int[0]);
  }

  @Test
  void aType1LeakIsReportedWhileItSpreadsAndEndsOnce() {
    rib.watch(prefixes(P1));
    rib.announce(vp[0], P1, 0, path(0, "30 20 10 65001"), A, T0 + 10 * S);
    List<ChangeEvent> first = leaks();
    assertEquals(1, first.size(), first.toString());
    ChangeEvent e = first.get(0);
    assertEquals(ChangeEvent.Type.ROUTE_LEAK, e.type());
    assertEquals("10.0.0.0/24", e.prefix());
    assertEquals(65001, e.originAsn());
    assertEquals(20, e.leak().leaker());
    assertArrayEquals(new long[] {30, 20, 10}, e.leak().segment());
    assertEquals(1, e.leak().type());
    assertEquals(1, e.vpCount());
    assertArrayEquals(new long[] {100}, e.peerAsns());
    assertEquals("100 30 20 10 65001", e.asPath());
    assertFalse(e.spreadUpdate());
    assertEquals(1, e.leak().vantagePoints().size());

    rib.announce(vp[1], P1, 0, path(1, "30 20 10 65001"), A, T0 + 11 * S);
    rib.announce(vp[2], P1, 0, path(2, "30 20 10 10 65001"), A, T0 + 12 * S);
    List<ChangeEvent> spread = leaks();
    assertEquals(2, spread.size(), spread.toString());
    assertTrue(spread.get(1).spreadUpdate());
    assertEquals(3, spread.get(1).vpCount());
    assertArrayEquals(new long[] {100, 200, 300}, spread.get(1).peerAsns());
    assertEquals("100 30 20 10 65001", spread.get(1).asPath()); // the first leaked path

    rib.announce(vp[0], P1, 0, path(0, "10 65001"), A, T0 + 20 * S);
    rib.withdraw(vp[1], P1, 0, T0 + 21 * S);
    assertEquals(List.of(), leaks());
    rib.announce(vp[2], P1, 0, path(2, "10 65001"), A, T0 + 22 * S);
    List<ChangeEvent> ended = leaks();
    assertEquals(1, ended.size(), ended.toString());
    assertEquals(ChangeEvent.Type.ROUTE_LEAK_ENDED, ended.get(0).type());
    assertEquals(0, ended.get(0).vpCount());
    assertEquals(20, ended.get(0).leak().leaker());
  }

  @Test
  void unwatchedRoutesAreNotReportedUntilWatched() {
    rib.watch(prefixes(P1));
    rib.announce(vp[0], P2, 0, path(0, "30 20 10 65001"), A, T0 + 10 * S);
    assertEquals(List.of(), leaks());
    // watching the leaker's AS judges the current RIB: P2's leaked route goes through AS20
    rib.watch(WatchedSpace.of(List.of(P1), new int[] {20}));
    List<ChangeEvent> now = leaks();
    assertEquals(1, now.size(), now.toString());
    assertEquals("10.0.1.0/24", now.get(0).prefix());
    // unwatching ends it
    rib.watch(prefixes(P1));
    List<ChangeEvent> gone = leaks();
    assertEquals(1, gone.size(), gone.toString());
    assertEquals(ChangeEvent.Type.ROUTE_LEAK_ENDED, gone.get(0).type());
  }

  @Test
  void valleyFreeAndUnjudgedPathsAreQuiet() {
    rib.watch(prefixes(P1, P2));
    rib.announce(vp[0], P1, 0, path(0, "30 20 65001"), A, T0 + 10 * S); // 20 unknown to 65001
    rib.announce(vp[1], P1, 0, path(1, "20 10 65001"), A, T0 + 10 * S); // down to a customer
    rib.announce(vp[2], P1, 0, path(2, "40 20 10 65001"), A, T0 + 10 * S); // 40 unknown
    assertEquals(List.of(), leaks());
  }

  @Test
  void noRelationshipsNoLeakCheck() {
    rib.relationships(AsRelationships.EMPTY);
    rib.watch(prefixes(P1));
    rib.announce(vp[0], P1, 0, path(0, "30 20 10 65001"), A, T0 + 10 * S);
    assertEquals(List.of(), leaks());
    rib.relationships(RELS); // loaded later: the RIB is judged at once
    assertEquals(1, leaks().size());
  }
}
