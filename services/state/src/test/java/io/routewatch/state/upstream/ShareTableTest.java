package io.routewatch.state.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ShareTableTest {
  @Test
  void countsFirstSeenSinceAndLastSeen() {
    ShareTable t = new ShareTable();
    t.update(131279, 4837, 0, true, 24, 1, 100);
    t.update(131279, 4837, 1, true, 24, 1, 200);
    t.update(131279, 20485, 2, true, 24, 1, 300);
    t.update(131279, ShareTable.NONE, 3, true, 24, 1, 300);
    UpstreamView v = t.view("131279", 131279, vp -> 1000 + vp);
    assertEquals(4, v.totalPaths());
    assertEquals(1, v.pathsWithoutUpstream());
    assertEquals(4837, v.upstreams().get(0).upstreamAsn());
    assertEquals(0.5, v.upstreams().get(0).vpShare());
    assertEquals(2, v.upstreams().get(0).vpCount());
    assertArrayEquals(new long[] {1000, 1001}, v.upstreams().get(0).peerAsns());
    assertEquals(100, v.upstreams().get(0).firstSeenMicros());
    t.update(131279, 20485, 2, true, 24, -1, 400);
    t.update(131279, 20485, 2, true, 24, 1, 500);
    UpstreamShare u = t.view("131279", 131279, vp -> vp).upstream(20485);
    assertEquals(300, u.firstSeenMicros());
    assertEquals(500, u.sinceMicros());
    assertEquals(500, u.lastSeenMicros());
  }

  /** A history sample holds the view's shares, by upstream ASN, without NONE; IPv6 when no IPv4. */
  @Test
  void sampleHasTheSharesOfTheView() {
    ShareTable t = new ShareTable();
    t.update(64500, 20485, 0, true, 24, 1, 100);
    t.update(64500, 4837, 0, true, 22, 1, 100);
    t.update(64500, 4837, 1, true, 24, 1, 100);
    t.update(64500, ShareTable.NONE, 2, true, 24, 1, 100);
    t.update(64501, 3356, 0, false, 48, 1, 100);
    ShareSample s = t.sample(64500);
    UpstreamView v = t.view("64500", 64500, vp -> vp);
    assertArrayEquals(new long[] {4837, 20485}, s.upstreams());
    for (int i = 0; i < s.size(); i++) {
      UpstreamShare u = v.upstream(s.upstreams()[i]);
      assertEquals(u.vpShare(), s.vpShares()[i]);
      assertEquals(u.addressShareV4(), s.addressShares()[i]);
    }
    assertEquals(0.5, s.vpShares()[0]);
    assertEquals(5.0 / 7, s.addressShares()[0], 1e-12); // a /22 and a /24 of a /22 + 3 /24s
    assertEquals(
        new ShareSample(new long[] {3356}, new double[] {1}, new double[] {1}), t.sample(64501));
    assertEquals(0, t.sample(64502).size());

    long f = s.fingerprint();
    t.update(64500, 20485, 0, true, 24, -1, 200);
    t.update(64500, 20485, 0, true, 24, 1, 200); // back where it was: the same sample
    assertEquals(f, t.sample(64500).fingerprint());
    t.update(64500, 4837, 2, true, 24, 1, 300);
    assertNotEquals(f, t.sample(64500).fingerprint());
  }
}
