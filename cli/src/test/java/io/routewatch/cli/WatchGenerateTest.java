package io.routewatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.cli.watchimport.ForeignWatchList;
import io.routewatch.proto.v1.OriginPrefix;
import io.routewatch.proto.v1.WatchEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** watch generate: state's prefixes of an AS → PREFIX entries with their origins now. */
class WatchGenerateTest {
  static OriginPrefix p(String prefix, int... origins) {
    OriginPrefix.Builder b = OriginPrefix.newBuilder().setPrefix(prefix).setVpCount(3);
    for (int o : origins) {
      b.addOrigins(o);
    }
    return b.build();
  }

  static final List<OriginPrefix> STATE =
      List.of(
          p("208.65.152.0/22", 36561),
          p("208.65.153.0/24", 17557, 36561),
          p("208.65.156.0/24", 36561),
          p("2620:0:2d0::/48", 36561),
          p("2620:0:2d0:100::/56", 36561));

  @Test
  void everyPrefixWithItsOriginsAndMoasNoted() {
    ForeignWatchList.Result r = WatchCommand.generated(STATE, false, false, "youtube");
    assertEquals(5, r.entries().size());
    WatchEntry moas = r.entries().get(1);
    assertEquals("208.65.153.0/24", moas.getValue());
    assertEquals("AS17557, AS36561", moas.getOverridesMap().get("origins"));
    assertEquals("youtube", moas.getDescription());
    assertEquals(1, r.notes().size(), r.notes().toString());
    assertTrue(r.notes().get(0).startsWith("208.65.153.0/24 has several origins"));
  }

  @Test
  void excludeAndIgnoreMoreSpecifics() {
    ForeignWatchList.Result r = WatchCommand.generated(STATE, true, true, null);
    assertEquals(
        List.of("208.65.152.0/22", "208.65.156.0/24", "2620:0:2d0::/48"),
        r.entries().stream().map(WatchEntry::getValue).toList());
    assertEquals("false", r.entries().get(0).getOverridesMap().get("more-specific.enabled"));
    assertFalse(WatchCommand.contains(new byte[] {10, 0, 0, 0}, 8, new byte[16], 16));
  }
}
