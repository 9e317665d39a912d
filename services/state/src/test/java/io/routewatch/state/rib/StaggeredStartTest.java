package io.routewatch.state.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Baseline per VP: sessions that come up one after another (staggered start, a new BMP peer, a new
 * archive) show how a network was reached all along. AS65001 is multi-homed (AS10, AS20, AS30); the
 * first VP sees only AS10, and the engine is warm before the others come up, each seeing another
 * upstream: none of that is UPSTREAM_ADDED. A new upstream seen by an established VP still is, and
 * so is one that a VP shows only after its first load settled.
 */
class StaggeredStartTest {
  private static final long S = 1_000_000L;
  private static final long T0 = 1_000 * S;
  private static final RouteAttributes A = RouteAttributes.NONE;
  private static final Prefix P1 = Prefix.parse("10.0.0.0/24");
  private static final Prefix P2 = Prefix.parse("10.0.1.0/24");
  private static final Prefix P3 = Prefix.parse("10.0.2.0/24");

  private final List<ChangeEvent> events = new ArrayList<>();
  private RoutingEngine rib;

  @BeforeEach
  void firstVpOnly() {
    rib =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(1, 1).withSettle(60 * S, 120 * S),
            CountryRegistry.empty(),
            events::add);
    int v0 = vp(0);
    rib.ribDumpBegin(v0, T0);
    rib.announce(v0, P1, 0, path(0, "10 65001"), A, T0);
    rib.ribDumpEnd(v0, T0 + S);
    rib.tick(T0 + 200 * S); // warm: every known VP settled, warm-up over
    assertTrue(rib.stats().warm());
    events.clear();
  }

  private int vp(int i) {
    return rib.vantagePoint("rrc00", new byte[] {10, 9, 9, (byte) i}, 100 * (i + 1), 0);
  }

  private static AsPath path(int vpIndex, String rest) {
    return AsPath.parse((100 * (vpIndex + 1)) + " " + rest);
  }

  private List<ChangeEvent> upstreamEvents() {
    List<ChangeEvent> l = events.stream().filter(e -> e.upstreamAsn() > 0).toList();
    events.clear();
    return l;
  }

  /** A live session: routes without a dump; it settles after the settle time. */
  private void sessionComesUp(int i, String upstream, long at) {
    int v = vp(i);
    rib.announce(v, P1, 0, path(i, upstream + " 65001"), A, at);
  }

  @Test
  void sessionsComingUpOneAfterAnotherAreBaseline() {
    long t = T0 + 300 * S;
    sessionComesUp(1, "20", t);
    sessionComesUp(2, "30", t + S);
    sessionComesUp(3, "20", t + 2 * S);
    rib.tick(t + 200 * S); // all settled
    assertEquals(List.of(), upstreamEvents(), "a late session is not a new upstream");
    // after that, a real change through an established VP is reported
    rib.announce(
        rib.vantagePoint("rrc00", new byte[] {10, 9, 9, 0}, 100, 0),
        P1,
        0,
        path(0, "40 65001"),
        A,
        t + 300 * S);
    List<ChangeEvent> ev = upstreamEvents();
    assertTrue(
        ev.stream()
            .anyMatch(e -> e.type() == ChangeEvent.Type.UPSTREAM_ADDED && e.upstreamAsn() == 40),
        ev.toString());
  }

  @Test
  void anUpstreamAnEstablishedVpAlsoSeesIsNew() {
    long t = T0 + 300 * S;
    sessionComesUp(1, "20", t); // VP1 loading: AS65001 pending
    // meanwhile the established VP0 moves to AS20 as well
    rib.announce(
        rib.vantagePoint("rrc00", new byte[] {10, 9, 9, 0}, 100, 0),
        P1,
        0,
        path(0, "20 65001"),
        A,
        t + S);
    rib.tick(t + 200 * S);
    List<ChangeEvent> ev = upstreamEvents();
    assertTrue(
        ev.stream()
            .anyMatch(e -> e.type() == ChangeEvent.Type.UPSTREAM_ADDED && e.upstreamAsn() == 20),
        ev.toString());
  }

  @Test
  void aNewUpstreamAfterTheFirstLoadIsNew() {
    long t = T0 + 300 * S;
    sessionComesUp(1, "20", t);
    rib.tick(t + 200 * S);
    assertEquals(List.of(), upstreamEvents());
    rib.announce(
        rib.vantagePoint("rrc00", new byte[] {10, 9, 9, 1}, 200, 0),
        P1,
        0,
        path(1, "30 65001"),
        A,
        t + 300 * S);
    List<ChangeEvent> ev = upstreamEvents();
    assertTrue(
        ev.stream()
            .anyMatch(e -> e.type() == ChangeEvent.Type.UPSTREAM_ADDED && e.upstreamAsn() == 30),
        ev.toString());
  }

  private int vp0() {
    return rib.vantagePoint("rrc00", new byte[] {10, 9, 9, 0}, 100, 0);
  }

  /** VP0 (established) reaches AS65001's P1 through AS10 and P2, P3 through AS20. */
  private long splitOverTwoUpstreams() {
    long t = T0 + 300 * S;
    rib.announce(vp0(), P2, 0, path(0, "20 65001"), A, t);
    rib.announce(vp0(), P3, 0, path(0, "20 65001"), A, t);
    rib.tick(t + 200 * S);
    events.clear();
    return t + 300 * S;
  }

  @Test
  void aJoiningSessionThatDilutesTheSharesIsNoShift() {
    long t = splitOverTwoUpstreams();
    // AS10 33 % → 67 %, AS20 67 % → 33 %, all of it the late session's view
    int v1 = vp(1);
    for (Prefix p : List.of(P1, P2, P3)) {
      rib.announce(v1, p, 0, path(1, "10 65001"), A, t);
    }
    rib.tick(t + 200 * S);
    assertEquals(List.of(), upstreamEvents(), "a late session's view moves no share");
    // the new split is the baseline: an established VP's later move is measured against it
    rib.announce(vp0(), P2, 0, path(0, "10 65001"), A, t + 300 * S);
    List<ChangeEvent> ev = upstreamEvents();
    assertTrue(
        ev.stream()
            .anyMatch(
                e ->
                    e.type() == ChangeEvent.Type.UPSTREAM_SHARE_MOVED
                        && e.upstreamAsn() == 20
                        && Math.abs(e.shareBefore() - 2 / 6.0) < 1e-9),
        ev.toString());
  }

  @Test
  void aShareAnEstablishedVpMovesWhileASessionJoinsIsReported() {
    long t = splitOverTwoUpstreams();
    int v1 = vp(1);
    for (Prefix p : List.of(P1, P2, P3)) {
      rib.announce(v1, p, 0, path(1, "10 65001"), A, t);
    }
    // meanwhile VP0 moves P3 to AS10: among the established VPs AS10 33 % → 67 %
    rib.announce(vp0(), P3, 0, path(0, "10 65001"), A, t + S);
    rib.tick(t + 200 * S);
    List<ChangeEvent> ev = upstreamEvents();
    assertTrue(
        ev.stream()
            .anyMatch(
                e -> e.type() == ChangeEvent.Type.UPSTREAM_SHARE_MOVED && e.upstreamAsn() == 10),
        ev.toString());
  }
}
