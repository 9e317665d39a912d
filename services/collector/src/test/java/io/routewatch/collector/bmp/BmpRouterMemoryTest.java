package io.routewatch.collector.bmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.bgp.bmp.PeerKey;
import io.routewatch.collector.bmp.BmpRouterMemory.Admit;
import io.routewatch.proto.v1.VantagePoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The per-router peer memory is bounded: LRU down peers go first, up peers are never forgotten. */
class BmpRouterMemoryTest {
  static PeerKey peer(int i) throws UnknownHostException {
    return new PeerKey(
        0, 0, InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 65000 + i);
  }

  static VantagePoint vp(String c) {
    return VantagePoint.newBuilder().setCollector(c).build();
  }

  @Test
  void fullOfUpPeersRefusesThenEvictsTheLeastRecentlyUsedDownPeer() throws Exception {
    BmpRouterMemory m = new BmpRouterMemory(3, 2);
    for (int i = 0; i < 3; i++) {
      assertEquals(Admit.ADDED, m.admit(peer(i)));
      m.up(peer(i));
    }
    assertEquals(Admit.REFUSED, m.admit(peer(3)));
    assertEquals(3, m.peers());
    m.down(peer(0));
    m.down(peer(1));
    assertEquals(Admit.KNOWN, m.admit(peer(0))); // 0 is now more recently used than 1
    assertEquals(Admit.EVICTED, m.admit(peer(3)));
    assertFalse(m.addView(peer(1), vp("x")), "1, the least recently used down peer, is forgotten");
    assertTrue(m.addView(peer(0), vp("x")), "0 is kept");
    assertEquals(3, m.peers());
  }

  @Test
  void viewsPerPeerAreCapped() throws Exception {
    BmpRouterMemory m = new BmpRouterMemory(3, 2);
    assertFalse(m.addView(peer(0), vp("a")), "a peer not admitted gets no view");
    m.admit(peer(0));
    assertTrue(m.addView(peer(0), vp("a")));
    assertTrue(m.addView(peer(0), vp("b")));
    assertTrue(m.addView(peer(0), vp("a")), "known view");
    assertFalse(m.addView(peer(0), vp("c")));
    assertEquals(2, m.views(peer(0)).size());
  }
}
