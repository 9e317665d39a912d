package io.routewatch.state.resilience;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.state.route.AsPath;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.junit.jupiter.api.Test;

class MinCutTest {
  @Test
  void singleUpstreamIsACutOfOne() {
    AsGraph g = new AsGraph();
    g.addPath(AsPath.parse("2914 1239 4837 131279"));
    g.addPath(AsPath.parse("3356 4837 131279 131279"));
    MinCut.Result r = MinCut.compute(g, IntHashSet.newSetWith(131279), g.heads(), 32);
    assertEquals(1, r.size());
    assertArrayEquals(new long[] {4837}, r.cutAsns());
  }

  @Test
  void twoIndependentUpstreamsNeedTwo() {
    AsGraph g = new AsGraph();
    g.addPath(AsPath.parse("2914 4837 131279"));
    g.addPath(AsPath.parse("3356 20485 131279"));
    g.addPath(AsPath.parse("3356 20485 64000")); // a second domestic AS behind the same upstream
    g.addPath(AsPath.parse("1299 20485 64000"));
    MinCut.Result r = MinCut.compute(g, IntHashSet.newSetWith(131279, 64000), g.heads(), 32);
    assertEquals(2, r.size());
    assertArrayEquals(new long[] {4837, 20485}, r.cutAsns());
  }

  @Test
  void sharedTransitBehindTwoUpstreamsIsTheCut() {
    AsGraph g = new AsGraph();
    g.addPath(AsPath.parse("174 3356 10 65001"));
    g.addPath(AsPath.parse("174 3356 20 65001"));
    MinCut.Result r = MinCut.compute(g, IntHashSet.newSetWith(65001), g.heads(), 32);
    assertEquals(1, r.size()); // both upstreams reach the rest only through 3356 then 174
    assertEquals(1, r.cutAsns().length);
  }

  @Test
  void edgesGoWhenTheirLastPathGoes() {
    AsGraph g = new AsGraph();
    AsPath p = AsPath.parse("2914 4837 4837 131279");
    g.addPath(p);
    g.addPath(p);
    assertEquals(2, g.edgeCount());
    g.removePath(p);
    assertEquals(2, g.edgeCount());
    g.removePath(p);
    assertEquals(0, g.edgeCount());
    assertEquals(0, g.heads().size());
  }
}
