package io.routewatch.state.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchedSpaceTest {
  private static final int[] NO_ORIGINS = new int[0];

  private static WatchedSpace space(int[] asns, String... prefixes) {
    return WatchedSpace.of(List.of(prefixes).stream().map(Prefix::parse).toList(), asns);
  }

  private static boolean watches(WatchedSpace w, String prefix, int... origins) {
    return w.watches(Prefix.parse(prefix), origins);
  }

  @Test
  void equalMoreSpecificAndCoveringAreWatchedSiblingsAreNot() {
    WatchedSpace w = space(NO_ORIGINS, "208.65.152.0/22", "2001:db8:100::/40");
    assertTrue(watches(w, "208.65.152.0/22"));
    assertTrue(watches(w, "208.65.153.0/24"));
    assertTrue(watches(w, "208.65.153.255/32"));
    assertTrue(watches(w, "208.65.0.0/16"));
    assertTrue(watches(w, "0.0.0.0/0"));
    assertFalse(watches(w, "208.65.156.0/22"));
    assertFalse(watches(w, "208.65.148.0/22"));
    assertFalse(watches(w, "10.0.0.0/8"));
    assertTrue(watches(w, "2001:db8:100:1::/64"));
    assertTrue(watches(w, "2001:db8::/32"));
    assertFalse(watches(w, "2001:db8:200::/40"));
    assertFalse(watches(w, "2001:db9::/32"));
    assertTrue(watches(w, "::/0"));
    assertFalse(
        watches(space(NO_ORIGINS, "208.65.152.0/22"), "::/0"), "IPv4 entries watch no IPv6 space");
    assertEquals(2, w.prefixCount());
  }

  @Test
  void originsMatchByAsnOnlyWhenWatched() {
    WatchedSpace w = space(new int[] {36561, (int) 4_200_000_000L, 0});
    assertTrue(watches(w, "198.51.100.0/24", 3491, 36561));
    assertTrue(watches(w, "198.51.100.0/24", (int) 4_200_000_000L));
    assertFalse(watches(w, "198.51.100.0/24", 17557));
    assertFalse(watches(w, "198.51.100.0/24"));
    assertEquals(2, w.asnCount(), "AS0 is not an origin");
  }

  @Test
  void nothingWatchedWatchesNothing() {
    assertTrue(WatchedSpace.NONE.isEmpty());
    assertFalse(watches(WatchedSpace.NONE, "0.0.0.0/0", 1));
    assertFalse(watches(WatchedSpace.NONE, "::/0"));
    WatchedSpace dup = space(NO_ORIGINS, "10.0.0.0/8", "10.0.0.0/8", "10.0.0.0/8");
    assertEquals(1, dup.prefixCount());
    assertFalse(dup.isEmpty());
  }

  /** Many entries (the trie grows); every one found, its neighbour not. */
  @Test
  void aLargeSpaceFindsEachEntry() {
    List<Prefix> l = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      l.add(Prefix.ipv4((i * 2) << 8, 24)); // every other /24 from 0.0.0.0
    }
    WatchedSpace w = WatchedSpace.of(l, NO_ORIGINS);
    assertEquals(50_000, w.prefixCount());
    for (int i = 0; i < 50_000; i++) {
      assertTrue(w.watches(Prefix.ipv4((i * 2) << 8, 24), NO_ORIGINS));
      assertFalse(w.watches(Prefix.ipv4((i * 2 + 1) << 8, 24), NO_ORIGINS));
    }
  }
}
