package io.routewatch.alert.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Heap per network held by {@link ViewStore}, measured: 20,000 networks of four upstreams each,
 * every upstream seen by 20 peer ASNs (40 over its presence), as the store holds them after a load.
 * The figure bounds the store's {@link ViewStore#CAPACITY} in docs/alerts.md; entities here are not
 * bytecode-enhanced (the service's are: a few more references each).
 */
class ViewStoreFootprintTest {
  static final int NETWORKS = 20_000;

  static long used() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static String peers(long from, int n) {
    return LongStream.range(from, from + n)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(","));
  }

  @Test
  void aNetworkOfFourUpstreamsCostsLessThanFourKilobytes() {
    long before = used();
    Map<String, ViewStore.Net> nets = new LinkedHashMap<>(1024, 0.75f, true);
    for (int i = 0; i < NETWORKS; i++) {
      String key = "AS" + (4_200_000_000L + i);
      ViewStore.Net n = new ViewStore.Net();
      NetworkTargetEntity t = new NetworkTargetEntity();
      t.target = key;
      t.firstSeen = 1_700_000_000_000_000L + i;
      t.visibility = 0.98;
      t.setChangedAt = t.firstSeen + 5;
      t.country = "NL";
      n.target = t;
      for (long up : new long[] {3356, 174, 2914, 1299}) {
        NetworkUpstreamEntity u = new NetworkUpstreamEntity();
        u.target = key;
        u.upstream = up;
        u.share = 0.25;
        u.vpCount = 20;
        u.peerAsns = peers(64_496 + i % 50, 20);
        u.seenBy = peers(64_496 + i % 50, 40);
        u.since = t.firstSeen;
        u.baseline = true;
        u.peakShare = 0.3;
        u.peakVps = 22;
        u.refShare = 0.25;
        n.ups.put(up, u);
      }
      nets.put(key, n);
    }
    long perNetwork = (used() - before) / NETWORKS;
    List<Object> keep = new ArrayList<>(List.of(nets));
    System.out.printf(
        "view store footprint: %d bytes per network of 4 upstreams; %d MB at the bound of %d%n",
        perNetwork, perNetwork * ViewStore.CAPACITY >> 20, ViewStore.CAPACITY);
    assertTrue(perNetwork > 0 && perNetwork < 4_000, "bytes per network: " + perNetwork);
    assertTrue(keep.size() == 1);
  }
}
