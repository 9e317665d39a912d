package io.routewatch.state.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.state.route.AsPath;
import org.junit.jupiter.api.Test;

class AsPathTest {
  @Test
  void parsesBgpdumpText() {
    AsPath p = AsPath.parse("701 1299 1273 55410 38266 {38266}");
    assertEquals(2, p.segmentCount());
    assertEquals(6, p.asnCount());
    assertEquals("701 1299 1273 55410 38266 {38266}", p.toString());
    AsPath c = AsPath.parse("(65001 65002) 701 {1,2}");
    assertEquals(3, c.segmentCount());
    assertEquals("(65001 65002) 701 {1,2}", c.toString());
  }

  @Test
  void fourByteAsnsAreUnsigned() {
    AsPath p = AsPath.parse("4200000000 4294967194");
    assertEquals("4200000000 4294967194", p.toString());
    assertEquals(AsPath.sequence(4200000000L, 4294967194L), p);
  }

  @Test
  void equalPathsAreEqual() {
    assertEquals(AsPath.parse("2914 1239 4837 131279"), AsPath.sequence(2914, 1239, 4837, 131279));
    assertEquals(
        AsPath.parse("2914 1239 4837 131279").hashCode(),
        AsPath.sequence(2914, 1239, 4837, 131279).hashCode());
  }
}
