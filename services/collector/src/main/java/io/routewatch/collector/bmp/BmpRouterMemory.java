package io.routewatch.collector.bmp;

import io.routewatch.bgp.bmp.PeerKey;
import io.routewatch.proto.v1.VantagePoint;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the station remembers about one router across its BMP connections: the VPs (one per
 * monitored peer and RIB view) it has reported, and which peers are up. A reconnecting router's
 * re-dump is bracketed for exactly these VPs, so its table is replaced rather than duplicated.
 */
final class BmpRouterMemory {
  private final Map<PeerKey, Set<VantagePoint>> views = new ConcurrentHashMap<>();
  private final Set<PeerKey> up = ConcurrentHashMap.newKeySet();

  synchronized Set<VantagePoint> views(PeerKey k) {
    return Set.copyOf(views.getOrDefault(k, Set.of()));
  }

  synchronized boolean addView(PeerKey k, VantagePoint vp) {
    return views.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(vp);
  }

  void up(PeerKey k) {
    up.add(k);
  }

  void down(PeerKey k) {
    up.remove(k);
  }

  /** VPs of every peer still up (what a router that never comes back leaves behind). */
  synchronized Set<VantagePoint> upViews() {
    Set<VantagePoint> out = new LinkedHashSet<>();
    for (PeerKey k : up) {
      out.addAll(views.getOrDefault(k, Set.of()));
    }
    return out;
  }

  void clearUp() {
    up.clear();
  }
}
