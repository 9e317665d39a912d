package io.routewatch.state.rib;

import io.routewatch.state.leak.ValleyFree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Route leaks on watched routes. Each time a VP's best path moves, the new path's valley-free
 * finding (computed once per distinct path, {@link Engine#leakOf}) decides whether the route leaks;
 * a leaking route of watched space (the prefix is watched, or a watched AS is on the path) joins
 * its leak, a (prefix, leaker) pair, and leaves it when the VP's best path moves again. A leak is
 * reported (after warm-up) when its first VP carries it, again while it spreads, and once more when
 * the last VP drops it. Only leaking routes are held, so the cost of a clean update is one array
 * read and, while some route leaks, one primitive hash lookup.
 *
 * <p>Not in snapshots: after a restore the restored routes rebuild the leaks and report them again
 * (the alert service finds the alert already firing).
 */
final class LeakTracker {
  /** Most VPs listed in a report (the count has them all). */
  static final int LISTED = 64;

  /** A spreading leak is reported for every new VP up to this count, then when it doubles. */
  static final int EVERY_VP_UP_TO = 8;

  private final Engine e;

  /** (VP id, prefix id) of each leaking best path → its leak's key. */
  private final LongLongHashMap routes = new LongLongHashMap();

  /** (prefix id, leaker) → leak. */
  private final LongObjectHashMap<Leak> leaks = new LongObjectHashMap<>();

  private static final class Leak {
    final int pid;
    final int leaker;
    final long[] segment;
    final int type;
    final String path;
    final int origin;
    final IntHashSet vps = new IntHashSet();
    int reported; // VP count last reported, 0 = never

    Leak(int pid, int leaker, long[] segment, int type, String path, int origin) {
      this.pid = pid;
      this.leaker = leaker;
      this.segment = segment;
      this.type = type;
      this.path = path;
      this.origin = origin;
    }
  }

  LeakTracker(Engine e) {
    this.e = e;
  }

  /** Leaks some VP carries now. */
  int size() {
    return leaks.size();
  }

  /**
   * The best path of (VP, prefix) moved from interned path {@code oldPath} to {@code newPath} (-1:
   * none). The route can be tracked only when its old path was judged leaking (a route joins with
   * the finding of its path, and the findings are judged again, the routes cleared, only by a
   * rescan), so a move off a clean or unjudged path costs an array read, not a hash lookup.
   */
  void bestChanged(VantagePoint v, int pid, int oldPath, int newPath, long ts) {
    if (oldPath >= 0 && leaking(e.pathLeak[oldPath]) && !routes.isEmpty()) {
      long rk = routeKey(v.id, pid);
      if (routes.containsKey(rk)) {
        leave(routes.removeKeyIfAbsent(rk, 0), v.id, ts);
      }
    }
    Leak l = join(v, pid, newPath);
    if (l != null && e.warm) {
      spread(l, ts);
    }
  }

  /** A judged path's finding that is a leak (not {@link Engine#UNCHECKED}, not clean). */
  private static boolean leaking(long finding) {
    return finding != ValleyFree.NONE && finding != Engine.UNCHECKED;
  }

  private static long routeKey(int vp, int pid) {
    return ((long) vp << 32) | (pid & 0xffffffffL);
  }

  /** Tracks the route when its path leaks and it is watched; the leak if it newly carries it. */
  private Leak join(VantagePoint v, int pid, int path) {
    if (path < 0 || e.watched.isEmpty() || e.pathLeak[path] == ValleyFree.NONE) {
      return null; // a path already judged clean needs neither the watched-space test nor the check
    }
    // watched first: only routes of the watched space pay the check (a trie walk, and a cached
    // per-path answer for "passes through a watched AS")
    if (!e.watched.watchesPrefix(e.prefixes[pid]) && !e.throughWatchedAs(path)) {
      return null;
    }
    long leak = e.leakOf(path);
    if (leak == ValleyFree.NONE) {
      return null;
    }
    int[] enc = e.paths.get(path).encoding();
    int leaker = enc[ValleyFree.leakerIndex(leak)];
    long lk = ((long) pid << 32) | (leaker & 0xffffffffL);
    Leak l = leaks.get(lk);
    if (l == null) {
      long[] segment = {
        enc[ValleyFree.toIndex(leak)] & 0xffffffffL,
        leaker & 0xffffffffL,
        enc[ValleyFree.fromIndex(leak)] & 0xffffffffL
      };
      l =
          new Leak(
              pid,
              leaker,
              segment,
              ValleyFree.type(leak),
              e.paths.get(path).toString(),
              e.pathOrigin[path]);
      leaks.put(lk, l);
    }
    routes.put(routeKey(v.id, pid), lk);
    return l.vps.add(v.id) ? l : null;
  }

  /**
   * The watched space or the relationships changed: every VP's best path is judged again (a walk of
   * the whole RIB, on a watch-list change only, and only while relationships are loaded). Leaks
   * that continue keep what was reported of them; new ones are reported (once warm) and reported
   * ones no longer carried end.
   */
  void rescan(long ts) {
    LongObjectHashMap<Leak> before = new LongObjectHashMap<>(leaks);
    leaks.clear();
    routes.clear();
    if (!e.rels.isEmpty() && !e.watched.isEmpty()) {
      for (int i = 0; i < e.vpCount; i++) {
        VantagePoint v = e.vps[i];
        v.routes.forEachKeyValue(
            (k, attr) -> {
              int pid = Engine.keyPrefix(k);
              if (v.addPath == null || v.addPath.get(pid).get(0) == Engine.keyPathId(k)) {
                join(v, pid, e.attrPath[attr]);
              }
            });
      }
    }
    List<Leak> now = sorted(leaks);
    for (Leak l : now) {
      Leak old = before.get(key(l));
      if (old != null) {
        l.reported = old.reported;
      }
      if (e.warm) {
        spread(l, ts);
      }
    }
    for (Leak old : sorted(before)) {
      if (!leaks.containsKey(key(old)) && old.reported != 0) {
        emit(ChangeEvent.Type.ROUTE_LEAK_ENDED, old, false, ts);
      }
    }
  }

  private static long key(Leak l) {
    return ((long) l.pid << 32) | (l.leaker & 0xffffffffL);
  }

  private static List<Leak> sorted(LongObjectHashMap<Leak> m) {
    List<Leak> out = new ArrayList<>(m.size());
    m.forEachValue(out::add);
    out.sort(
        (a, b) ->
            a.pid != b.pid ? Integer.compare(a.pid, b.pid) : Integer.compare(a.leaker, b.leaker));
    return out;
  }

  /** State became warm: the leaks carried now are reported once. */
  void reportCarried(long ts) {
    for (Leak l : sorted(leaks)) {
      if (l.reported == 0) {
        spread(l, ts);
      }
    }
  }

  private void spread(Leak l, long ts) {
    int n = l.vps.size();
    if (l.reported == 0 || (n > l.reported && (n <= EVERY_VP_UP_TO || n >= 2 * l.reported))) {
      boolean update = l.reported != 0;
      l.reported = n;
      emit(ChangeEvent.Type.ROUTE_LEAK, l, update, ts);
    }
  }

  private void leave(long lk, int vp, long ts) {
    Leak l = leaks.get(lk);
    if (l == null) {
      return;
    }
    l.vps.remove(vp);
    if (l.vps.isEmpty()) {
      leaks.remove(lk);
      if (l.reported != 0) {
        emit(ChangeEvent.Type.ROUTE_LEAK_ENDED, l, false, ts);
      }
    }
  }

  private void emit(ChangeEvent.Type type, Leak l, boolean update, long ts) {
    int[] ids = type == ChangeEvent.Type.ROUTE_LEAK_ENDED ? new int[0] : l.vps.toSortedArray();
    List<VantagePointKey> keys = new ArrayList<>(Math.min(ids.length, LISTED));
    long[] peers = new long[Math.min(ids.length, LISTED)];
    int np = 0;
    for (int id : ids) {
      VantagePoint v = e.vps[id];
      if (keys.size() < LISTED) {
        keys.add(v.key);
      }
      long asn = v.peerAsn & 0xffffffffL;
      if (np < peers.length && indexOf(peers, np, asn) < 0) {
        peers[np++] = asn;
      }
    }
    peers = Arrays.copyOf(peers, np);
    Arrays.sort(peers);
    e.detector.emitLeak(
        new ChangeEvent(
            type,
            ChangeEvent.Scope.PREFIX,
            ts,
            l.origin == 0 ? -1 : l.origin & 0xffffffffL,
            e.countries.code(e.prefixCountry[l.pid]),
            e.prefixes[l.pid].toString(),
            -1,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            ids.length,
            peers,
            null,
            ChangeEvent.NO_ASNS,
            ChangeEvent.NO_ASNS,
            null,
            ts,
            l.path,
            update,
            new RouteLeak(l.leaker & 0xffffffffL, l.segment, l.type, List.copyOf(keys))));
  }

  private static int indexOf(long[] a, int n, long v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }
}
