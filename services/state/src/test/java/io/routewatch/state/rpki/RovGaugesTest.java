package io.routewatch.state.rpki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class RovGaugesTest {
  @Test
  void countsVpBestPathsPerState() {
    RoutingEngine engine = new RoutingEngine();
    int vp1 = engine.vantagePoint("rrc00", Prefix.parse("10.0.0.1/32").address(), 3356, 0);
    int vp2 = engine.vantagePoint("rrc00", Prefix.parse("10.0.0.2/32").address(), 174, 0);
    long t = 1_700_000_000_000_000L;
    String[][] routes = {
      {"1", "192.0.2.0/24", "3356 64500"},
      {"2", "192.0.2.0/24", "174 64500"},
      {"1", "192.0.2.128/25", "3356 64501"},
      {"2", "192.0.2.0/25", "174 64500"},
      {"1", "198.51.100.0/24", "3356 {64500,64502}"}, // no origin: not counted
      {"2", "203.0.113.0/24", "174 4200000000"},
    };
    for (String[] r : routes) {
      engine.announce(
          r[0].equals("1") ? vp1 : vp2,
          Prefix.parse(r[1]),
          0,
          AsPath.parse(r[2]),
          RouteAttributes.NONE,
          t);
    }
    assertEquals(4, engine.prefixOrigins().size()); // (prefix, origin) pairs
    VrpTable table = VrpTable.of(List.of(new Vrp(Prefix.parse("192.0.2.0/24"), 24, 64500)));
    // VALID, INVALID_ASN, INVALID_LENGTH, NOT_FOUND
    assertArrayEquals(new long[] {2, 1, 1, 1}, RovGauges.count(table, engine.prefixOrigins()));
  }
}
