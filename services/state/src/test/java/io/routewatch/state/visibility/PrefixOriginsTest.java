package io.routewatch.state.visibility;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrefixOriginsTest {
  @Test
  void countsOriginsPerPrefix() {
    PrefixOrigins o = new PrefixOrigins();
    o.ensure(3);
    assertEquals(1, o.update(3, 65001, 1));
    assertEquals(2, o.update(3, 65001, 1));
    assertEquals(1, o.update(3, (int) 4200000000L, 1));
    assertArrayEquals(new int[] {65001, (int) 4200000000L}, o.origins(3)); // unsigned order
    assertEquals(1, o.update(3, 65001, -1));
    assertEquals(0, o.update(3, 65001, -1));
    assertArrayEquals(new int[] {(int) 4200000000L}, o.origins(3));
    assertEquals(0, o.update(3, (int) 4200000000L, -1));
    assertArrayEquals(new int[0], o.origins(3));
  }

  @Test
  void visibilityUsesFullFeedVpsOrActiveVps() {
    VisibilityTable v = new VisibilityTable();
    v.ensure(0);
    v.addActiveVps(4);
    v.update(0, false, 1);
    assertEquals(0.25, v.visibility(0));
    v.addFullFeedVps(2);
    assertEquals(0.0, v.visibility(0));
    v.update(0, true, 1);
    assertEquals(0.5, v.visibility(0));
    assertEquals(2, v.seenBy(0));
  }
}
