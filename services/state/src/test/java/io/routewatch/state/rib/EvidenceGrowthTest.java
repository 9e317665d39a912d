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
 * Evidence, not share steps: 20 VPs (20 peer ASNs) see 2 prefixes of AS65001 via AS10. A new
 * upstream AS20 on one prefix, picked up by one VP after another, moves its share by 2.5 points a
 * step, under share-move-points: each new peer ASN is still reported at once (up to {@link
 * ChangeDetector#EVIDENCE_PEERS}), so the alert service sees 3 peers when 3 peers see it.
 */
class EvidenceGrowthTest {
  private static final long S = 1_000_000L;
  private static final long T0 = 1_000 * S;
  private static final RouteAttributes A = RouteAttributes.NONE;
  private static final Prefix P1 = Prefix.parse("10.0.0.0/24");
  private static final Prefix P2 = Prefix.parse("10.0.1.0/24");
  private static final int N = 20;

  private final List<ChangeEvent> events = new ArrayList<>();
  private RoutingEngine rib;
  private final int[] vp = new int[N];

  @BeforeEach
  void loadBaseline() {
    rib =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(2, 1).withSettle(60 * S, 600 * S),
            CountryRegistry.empty(),
            events::add);
    for (int i = 0; i < N; i++) {
      vp[i] = rib.vantagePoint("rrc00", new byte[] {10, 9, 9, (byte) i}, 100 * (i + 1), 0);
      rib.ribDumpBegin(vp[i], T0);
      for (Prefix p : List.of(P1, P2)) {
        rib.announce(vp[i], p, 0, path(i, "10 65001"), A, T0);
      }
    }
    for (int i = 0; i < N; i++) {
      rib.ribDumpEnd(vp[i], T0 + S);
    }
    events.clear();
  }

  private static AsPath path(int vpIndex, String rest) {
    return AsPath.parse((100 * (vpIndex + 1)) + " " + rest);
  }

  private List<ChangeEvent> upstream20() {
    List<ChangeEvent> l =
        events.stream().filter(e -> e.upstreamAsn() == 20 && e.originAsn() == 65001).toList();
    events.clear();
    return l;
  }

  @Test
  void eachNewPeerAsnIsReportedAtOnceUpToTheCap() {
    rib.announce(vp[0], P1, 0, path(0, "20 65001"), A, T0 + 10 * S);
    List<ChangeEvent> ev = upstream20();
    assertEquals(1, ev.size(), ev.toString());
    assertEquals(ChangeEvent.Type.UPSTREAM_ADDED, ev.get(0).type());
    assertEquals(1, ev.get(0).peerAsns().length);
    for (int i = 1; i < N; i++) {
      rib.announce(vp[i], P1, 0, path(i, "20 65001"), A, T0 + (10 + i) * S);
      ev = upstream20();
      if (i < ChangeDetector.EVIDENCE_PEERS) {
        assertEquals(1, ev.size(), "peer " + (i + 1) + ": " + ev);
        ChangeEvent m = ev.get(0);
        assertEquals(ChangeEvent.Type.UPSTREAM_SHARE_MOVED, m.type());
        assertEquals(i + 1, m.peerAsns().length);
        assertEquals(i + 1, m.vpCount());
        assertEquals((i + 1) / 40.0, m.shareAfter(), 1e-9); // the figure as it is now
        assertTrue(m.shareAfter() - m.shareBefore() < 0.1, "a step under share-move-points");
      } else {
        // enough evidence for any min-peer-asns: small steps are drift again
        assertTrue(
            ev.stream().noneMatch(e -> e.type() == ChangeEvent.Type.UPSTREAM_SHARE_MOVED)
                || ev.stream().anyMatch(e -> e.shareAfter() - e.shareBefore() >= 0.1 - 1e-9),
            "peer " + (i + 1) + ": " + ev);
      }
    }
  }

  @Test
  void theSamePeersAgainAreNotEvidence() {
    rib.announce(vp[0], P1, 0, path(0, "20 65001"), A, T0 + 10 * S);
    rib.announce(vp[1], P1, 0, path(1, "20 65001"), A, T0 + 11 * S);
    upstream20();
    // VP1 also moves its second prefix to AS20: more paths, the same two peer ASNs
    rib.announce(vp[1], P2, 0, path(1, "20 65001"), A, T0 + 12 * S);
    assertEquals(List.of(), upstream20());
  }
}
