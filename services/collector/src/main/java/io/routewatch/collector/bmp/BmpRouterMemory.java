package io.routewatch.collector.bmp;

import io.routewatch.bgp.bmp.PeerKey;
import io.routewatch.proto.v1.VantagePoint;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the station remembers about one router across its BMP connections: the VPs (one per
 * monitored peer and RIB view) it has reported, and which peers are up. A reconnecting router's
 * re-dump is bracketed for exactly these VPs, so its table is replaced rather than duplicated.
 *
 * <p>The peer keys are the router's choice (RFC 7854 §4.2: type, distinguisher, address, AS), so
 * the memory is bounded: at most {@code maxPeers} peers, least recently used first to go, and only
 * a peer that is down may go (an up peer's VPs are needed to take them down later); with every
 * remembered peer up a new one is refused. At most {@code maxViews} VPs per peer.
 */
final class BmpRouterMemory {
  /** What {@link #admit} did. */
  enum Admit {
    KNOWN,
    ADDED,
    /** Added in place of the least recently used down peer. */
    EVICTED,
    REFUSED
  }

  private final int maxPeers;
  private final int maxViews;

  /** Access-ordered: the first entry is the least recently used peer. */
  private final Map<PeerKey, Set<VantagePoint>> views = new LinkedHashMap<>(64, 0.75f, true);

  /** Peers up; always a subset of {@code views}' keys. */
  private final Set<PeerKey> up = new HashSet<>();

  BmpRouterMemory(int maxPeers, int maxViews) {
    this.maxPeers = maxPeers;
    this.maxViews = maxViews;
  }

  /**
   * Makes room for {@code k} (marking it used): known, added, added in place of the least recently
   * used down peer, or refused (the memory is full of peers that are up).
   */
  synchronized Admit admit(PeerKey k) {
    if (views.get(k) != null) {
      return Admit.KNOWN;
    }
    Admit result = Admit.ADDED;
    if (views.size() >= maxPeers) {
      if (up.size() >= views.size()) {
        return Admit.REFUSED; // every remembered peer is up: none may be forgotten
      }
      for (Iterator<PeerKey> it = views.keySet().iterator(); it.hasNext(); ) {
        if (!up.contains(it.next())) {
          it.remove();
          break;
        }
      }
      result = Admit.EVICTED;
    }
    views.put(k, new LinkedHashSet<>());
    return result;
  }

  synchronized Set<VantagePoint> views(PeerKey k) {
    Set<VantagePoint> v = views.get(k);
    return v == null ? Set.of() : Set.copyOf(v);
  }

  /**
   * Records a VP of an admitted peer; false if the peer is not remembered or already has {@code
   * maxViews} other VPs (the VP is then not used).
   */
  synchronized boolean addView(PeerKey k, VantagePoint vp) {
    Set<VantagePoint> v = views.get(k);
    if (v == null) {
      return false;
    }
    if (v.contains(vp)) {
      return true;
    }
    if (v.size() >= maxViews) {
      return false;
    }
    return v.add(vp);
  }

  /** Marks an admitted peer up. */
  synchronized void up(PeerKey k) {
    if (views.containsKey(k)) {
      up.add(k);
    }
  }

  synchronized void down(PeerKey k) {
    up.remove(k);
  }

  /** Peers remembered. */
  synchronized int peers() {
    return views.size();
  }

  /** VPs of every peer still up (what a router that never comes back leaves behind). */
  synchronized Set<VantagePoint> upViews() {
    Set<VantagePoint> out = new LinkedHashSet<>();
    for (PeerKey k : up) {
      out.addAll(views.getOrDefault(k, Set.of()));
    }
    return out;
  }

  synchronized void clearUp() {
    up.clear();
  }
}
