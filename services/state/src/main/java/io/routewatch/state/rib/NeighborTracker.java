package io.routewatch.state.rib;

import io.routewatch.state.route.AsPath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * The neighbours of watched ASes (BGPalerter's {@code monitorPathNeighbors}). For each watched AS
 * W, over every VP's best path: its upstream (the AS left of W, toward the VP) where W is not the
 * path's origin (the origin's upstream is UPSTREAM_ADDED's) and its downstream (the AS right of W,
 * toward the origin). Prepends collapse; an AS_SET or a confederation segment breaks adjacency; W
 * first on the path (the VP peers with W) has no upstream there. Each (W, neighbour, side) edge
 * counts the (VP, prefix) best paths carrying it and, per VP, how many.
 *
 * <p>An edge is news ({@code NEIGHBOR_APPEARED}) when an established VP's best path first carries
 * it after warm-up, again as new peer ASNs see it (up to {@link ChangeDetector#EVIDENCE_PEERS}),
 * and {@code NEIGHBOR_GONE} when its last path goes. Baseline, never reported: edges present before
 * warm-up, when W enters the watched space, after a restore, or first carried by a VP on its
 * initial table load; a baseline edge that goes is remembered, so its return is not news. A
 * reported edge that goes is forgotten: its return is news again.
 *
 * <p>Cost: the edges of a path are computed once per interned path ({@link Engine#pathNeighbors},
 * an empty array for the paths that touch no watched AS, reset when the watched ASes change), so a
 * best-path move off and onto such paths costs two array reads; nothing at all while no AS is
 * watched. Each watched AS holds at most {@link #MAX_NEIGHBORS} edges (and as many remembered
 * ones); beyond, new edges are not tracked and {@link #dropped} counts them.
 *
 * <p>Not in snapshots: rebuilt silently (baseline) from the restored routes.
 */
final class NeighborTracker {
  /** Most edges (and remembered baseline edges) per watched AS: peer data is unbounded. */
  static final int MAX_NEIGHBORS = 65_536;

  /** Most peer ASNs listed in a report. */
  static final int LISTED = 64;

  private static final long[] NONE = new long[0];

  private final Engine e;

  /** {@link #MAX_NEIGHBORS}; lower in tests. */
  int max;

  /** Watched AS → its edges; empty while no AS is watched (the update path then skips at once). */
  private IntObjectHashMap<Watched> byAs = new IntObjectHashMap<>();

  /** Set while rebuilding: every edge found is baseline, nothing is reported. */
  private boolean rebuilding;

  /** Edges not tracked because their watched AS was at {@link #max} (a metric). */
  long dropped;

  private static final class Watched {
    /** (side << 32 | neighbour) → edge carried now. */
    final LongObjectHashMap<Edge> edges = new LongObjectHashMap<>();

    /** Baseline edges carried no more: back is not news. */
    final LongHashSet known = new LongHashSet();
  }

  private static final class Edge {
    final int w;
    final int n;
    final int side;
    final String firstPath;
    final String firstPrefix;
    final long since;
    boolean baseline;
    int paths;

    /** VP id → its best paths carrying the edge. */
    final IntIntHashMap vps = new IntIntHashMap();

    int reported; // peer ASNs (capped at EVIDENCE_PEERS) last reported, 0 = never

    Edge(int w, int n, int side, String firstPath, String firstPrefix, long since) {
      this.w = w;
      this.n = n;
      this.side = side;
      this.firstPath = firstPath;
      this.firstPrefix = firstPrefix;
      this.since = since;
    }
  }

  NeighborTracker(Engine e, int max) {
    this.e = e;
    this.max = max;
  }

  /** Some AS is watched: best-path moves must be looked at. */
  boolean active() {
    return !byAs.isEmpty();
  }

  /** Edges tracked now, over all watched ASes. */
  int size() {
    int[] n = {0};
    byAs.forEachValue(w -> n[0] += w.edges.size());
    return n[0];
  }

  /**
   * The best path of (VP, prefix) moved from interned path {@code oldPath} to {@code newPath} (-1:
   * none). The new path's edges join first, so an edge both paths carry never drops to zero.
   */
  void bestChanged(VantagePoint v, int pid, int oldPath, int newPath, long ts) {
    long[] add = newPath >= 0 ? edgesOf(newPath) : NONE;
    long[] rem = oldPath >= 0 ? edgesOf(oldPath) : NONE;
    for (int i = 0; i < add.length; i += 2) {
      join(v, pid, newPath, (int) add[i], add[i + 1], ts);
    }
    for (int i = 0; i < rem.length; i += 2) {
      leave(v, (int) rem[i], rem[i + 1], ts);
    }
  }

  /** The path's edges as pairs (watched AS, side << 32 | neighbour), computed once per path. */
  private long[] edgesOf(int path) {
    long[] x = e.pathNeighbors[path];
    if (x == null) {
      x = e.throughWatchedAs(path) ? edges(e.paths.get(path).encoding()) : NONE;
      e.pathNeighbors[path] = x;
    }
    return x;
  }

  /** The watched-AS edges of a path's flat encoding ({@link AsPath#encoding()}), deduplicated. */
  long[] edges(int[] enc) {
    // the ASNs of AS_SEQUENCE segments with prepends collapsed; -1 marks a break (a set or a
    // confederation segment: no adjacency across it, RFC 4271 §5.1.2 / RFC 5065)
    long[] tok = new long[enc.length];
    int n = 0;
    for (int o = 0; o < enc.length; o += enc[o + 1] + 2) {
      int end = o + 2 + enc[o + 1];
      if (enc[o] != AsPath.AS_SEQUENCE) {
        if (n == 0 || tok[n - 1] != -1) {
          tok[n++] = -1;
        }
        continue;
      }
      for (int k = o + 2; k < end; k++) {
        long a = enc[k] & 0xffffffffL;
        if (n == 0 || tok[n - 1] != a) {
          tok[n++] = a;
        }
      }
    }
    long[] out = new long[8];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (tok[i] < 0 || !byAs.containsKey((int) tok[i])) {
        continue;
      }
      boolean origin = i == n - 1;
      if (i > 0 && tok[i - 1] >= 0 && !origin) {
        m = add(out, m, tok[i], Neighbor.UPSTREAM, tok[i - 1]);
        out = m + 2 > out.length ? Arrays.copyOf(out, out.length * 2) : out;
      }
      if (i < n - 1 && tok[i + 1] >= 0) {
        m = add(out, m, tok[i], Neighbor.DOWNSTREAM, tok[i + 1]);
        out = m + 2 > out.length ? Arrays.copyOf(out, out.length * 2) : out;
      }
    }
    return m == 0 ? NONE : Arrays.copyOf(out, m);
  }

  private static int add(long[] out, int m, long w, int side, long neighbour) {
    long sk = ((long) side << 32) | neighbour;
    for (int i = 0; i < m; i += 2) {
      if (out[i] == w && out[i + 1] == sk) {
        return m; // a looped path carries an edge once
      }
    }
    out[m] = w;
    out[m + 1] = sk;
    return m + 2;
  }

  private void join(VantagePoint v, int pid, int path, int w, long sk, long ts) {
    Watched wa = byAs.get(w);
    if (wa == null) {
      return;
    }
    Edge ed = wa.edges.get(sk);
    if (ed == null) {
      if (wa.edges.size() >= max) {
        dropped++;
        return;
      }
      ed =
          new Edge(
              w,
              (int) sk,
              (int) (sk >>> 32),
              e.paths.get(path).toString(),
              e.prefixes[pid].toString(),
              ts);
      boolean back = wa.known.remove(sk);
      // the baseline: before warm-up, on a rebuild (W entered the watched space, a restore), an
      // edge that was baseline before, or one a VP's initial table load brings
      ed.baseline = rebuilding || !e.warm || back || !v.everSettled;
      wa.edges.put(sk, ed);
    }
    ed.paths++;
    if (ed.vps.addToValue(v.id, 1) == 1
        && !ed.baseline
        && ed.reported < ChangeDetector.EVIDENCE_PEERS) {
      spread(ed, ts); // a VP new to the edge: its peer AS may be new evidence
    }
  }

  private void leave(VantagePoint v, int w, long sk, long ts) {
    Watched wa = byAs.get(w);
    Edge ed = wa == null ? null : wa.edges.get(sk);
    if (ed == null) {
      return; // not tracked (at the cap)
    }
    ed.paths--;
    if (ed.vps.addToValue(v.id, -1) <= 0) {
      ed.vps.remove(v.id);
    }
    if (ed.paths <= 0) {
      wa.edges.remove(sk);
      gone(wa, sk, ed, ts);
    }
  }

  /** An edge no path carries: a reported one ends, a baseline one is remembered. */
  private void gone(Watched wa, long sk, Edge ed, long ts) {
    if (ed.reported != 0) {
      emit(ChangeEvent.Type.NEIGHBOR_GONE, ed, false, NONE, ts);
    } else if (wa != null && ed.baseline) {
      if (wa.known.size() < max) {
        wa.known.add(sk);
      } else {
        dropped++;
      }
    }
  }

  /** First report of an edge, or a follow-up when more peer ASNs see it. */
  private void spread(Edge ed, long ts) {
    long[] peers = peers(ed);
    int seen = Math.max(1, Math.min(peers.length, ChangeDetector.EVIDENCE_PEERS));
    if (ed.reported == 0 || seen > ed.reported) {
      boolean update = ed.reported != 0;
      ed.reported = seen;
      emit(ChangeEvent.Type.NEIGHBOR_APPEARED, ed, update, peers, ts);
    }
  }

  /** Distinct peer ASNs of the VPs carrying the edge, sorted, at most {@link #LISTED}. */
  private long[] peers(Edge ed) {
    long[] out = new long[Math.min(ed.vps.size(), LISTED)];
    int[] np = {0};
    ed.vps.forEachKey(
        id -> {
          long a = e.vps[id].peerAsn & 0xffffffffL;
          if (np[0] < out.length && indexOf(out, np[0], a) < 0) {
            out[np[0]++] = a;
          }
        });
    long[] p = Arrays.copyOf(out, np[0]);
    Arrays.sort(p);
    return p;
  }

  private static int indexOf(long[] a, int n, long v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The watched ASes may have changed ({@code silent}: a restore, nothing is reported). When they
   * did, every VP's best path is walked again: edges of ASes that stay keep what was reported of
   * them; edges of an AS new to the watched space are its baseline; reported edges no longer
   * carried (their AS left the watched space) end.
   */
  void rebuild(long ts, boolean silent) {
    int[] now = e.watched.asns();
    if (!silent && Arrays.equals(now, byAs.keySet().toSortedArray())) {
      return; // the same ASes (a prefix-only change): the edges stand
    }
    IntObjectHashMap<Watched> before = byAs;
    byAs = new IntObjectHashMap<>();
    for (int w : now) {
      byAs.put(w, new Watched());
    }
    Arrays.fill(e.pathNeighbors, null); // computed against the old set
    if (!byAs.isEmpty()) {
      rebuilding = true;
      try {
        for (int i = 0; i < e.vpCount; i++) {
          VantagePoint v = e.vps[i];
          v.routes.forEachKeyValue(
              (k, attr) -> {
                int pid = Engine.keyPrefix(k);
                if (v.addPath == null || v.addPath.get(pid).get(0) == Engine.keyPathId(k)) {
                  int path = e.attrPath[attr];
                  long[] x = edgesOf(path);
                  for (int j = 0; j < x.length; j += 2) {
                    join(v, pid, path, (int) x[j], x[j + 1], ts);
                  }
                }
              });
        }
      } finally {
        rebuilding = false;
      }
    }
    for (Edge old : sorted(before)) {
      Watched wa = byAs.get(old.w);
      long sk = ((long) old.side << 32) | (old.n & 0xffffffffL);
      Edge cur = wa == null ? null : wa.edges.get(sk);
      if (cur != null) {
        // the edge continues: what was reported of it (first path, since) stands
        old.paths = cur.paths;
        old.vps.clear();
        old.vps.putAll(cur.vps);
        wa.edges.put(sk, old);
      } else if (old.reported != 0 && !silent) {
        emit(ChangeEvent.Type.NEIGHBOR_GONE, old, false, NONE, ts);
      } else if (wa != null && old.baseline) {
        wa.known.add(sk);
      }
    }
    before.forEachKeyValue(
        (w, old) -> {
          Watched wa = byAs.get(w);
          if (wa != null) {
            old.known.forEach(
                sk -> {
                  if (!wa.edges.containsKey(sk) && wa.known.size() < max) {
                    wa.known.add(sk);
                  }
                });
          }
        });
  }

  private static List<Edge> sorted(IntObjectHashMap<Watched> m) {
    List<Edge> out = new ArrayList<>();
    m.forEachValue(w -> w.edges.forEachValue(out::add));
    out.sort(
        (a, b) ->
            a.w != b.w
                ? Integer.compareUnsigned(a.w, b.w)
                : a.side != b.side
                    ? Integer.compare(a.side, b.side)
                    : Integer.compareUnsigned(a.n, b.n));
    return out;
  }

  private void emit(ChangeEvent.Type type, Edge ed, boolean update, long[] peers, long ts) {
    long w = ed.w & 0xffffffffL;
    e.detector.emitNeighbor(
        new ChangeEvent(
            type,
            ChangeEvent.Scope.ORIGIN,
            ts,
            w,
            e.countries.code(e.countries.countryOfAsn(w)),
            ed.firstPrefix,
            -1,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            type == ChangeEvent.Type.NEIGHBOR_GONE ? 0 : ed.vps.size(),
            peers,
            null,
            ChangeEvent.NO_ASNS,
            ChangeEvent.NO_ASNS,
            null,
            ts,
            ed.firstPath,
            update,
            null,
            new Neighbor(w, ed.n & 0xffffffffL, ed.side, ed.since)));
  }
}
