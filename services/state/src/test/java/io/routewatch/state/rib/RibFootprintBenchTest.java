package io.routewatch.state.rib;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap per route and update rate with 5.4 M routes (20 copies of the route-views2 RIB sample).
 * Needs a 4 GB heap; runs only with {@code -Droutewatch.bench=true}.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "routewatch.bench", matches = "true")
class RibFootprintBenchTest {
  @Test
  void fiveMillionRoutes() throws Exception {
    int copies = Integer.getInteger("routewatch.bench.copies", 20);
    RibFootprint.Result r =
        RibFootprint.measure(
            TestData.file("mrt/pyasn/rib.20140523.0600_firstMB.bz2.bgpdump-m.txt.gz"),
            copies,
            EngineConfig.defaults().withFullFeed(5000, 1000));
    System.out.printf(
        "routes=%d heap=%d MB bytes/route=%.1f updates/s=%.0f stats=%s%n",
        r.routes(), r.heapBytes() >> 20, r.bytesPerRoute(), r.updatesPerSecond(), r.stats());
    assertTrue(r.routes() >= 270_000L * copies / 1.01);
  }
}
