package io.routewatch.state.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
