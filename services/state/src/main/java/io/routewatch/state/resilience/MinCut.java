package io.routewatch.state.resilience;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * Smallest set of foreign ASes whose loss disconnects a domestic AS set from "the rest" (the
 * foreign peer ASes of the vantage points), on the observed AS graph: a unit-vertex-capacity max
 * flow (Menger) with the domestic set contracted into the source. Domestic ASes cannot be cut. Each
 * augmenting path is a BFS over the split graph (v_in → v_out), so the cost is O(cut × edges), and
 * the search stops at {@code limit}. The reported cut is the one closest to the domestic side, i.e.
 * normally the international upstreams themselves.
 */
public final class MinCut {
  /**
   * @param size the cut size ({@code limit} means "at least") ; -1 if no path to the rest
   */
  public record Result(int size, long[] cutAsns, boolean limited) {}

  private MinCut() {}

  public static Result compute(AsGraph g, IntHashSet domestic, IntHashSet sinks, int limit) {
    IntHashSet sinkSet = new IntHashSet();
    sinks.forEach(
        s -> {
          if (!domestic.contains(s)) {
            sinkSet.add(s);
          }
        });
    IntIntHashMap through = new IntIntHashMap(); // foreign v → 1 if v_in→v_out carries flow
    LongIntHashMap flow = new LongIntHashMap(); // (u_out → v_in) flow, u may be -1 (= source)
    int flowValue = 0;
    while (flowValue < limit) {
      long[] path = augmentingPath(g, domestic, sinkSet, through, flow, null);
      if (path == null) {
        break;
      }
      apply(path, through, flow);
      flowValue++;
    }
    LongHashSet reached = new LongHashSet();
    augmentingPath(g, domestic, sinkSet, through, flow, reached);
    IntHashSet cut = new IntHashSet();
    reached.forEach(
        st -> {
          int v = (int) (st >> 1);
          if ((st & 1) == 0 && !reached.contains(((long) v << 1) | 1)) {
            cut.add(v);
          }
        });
    long[] asns = new long[cut.size()];
    int[] i = {0};
    cut.forEach(v -> asns[i[0]++] = v & 0xffffffffL);
    Arrays.sort(asns);
    boolean limited = flowValue >= limit;
    return new Result(flowValue, limited ? new long[0] : asns, limited);
  }

  // States: (asn << 1) | side, side 0 = in, 1 = out. SOURCE and SINK are special longs.
  private static final long SOURCE = Long.MIN_VALUE;
  private static final long SINK = Long.MAX_VALUE;

  private static long st(int v, int side) {
    return ((long) v << 1) | side;
  }

  private static long arc(int u, int v) {
    return ((long) u << 32) | (v & 0xffffffffL);
  }

  /** BFS in the residual graph; returns the state path source..sink or null (fills reached). */
  private static long[] augmentingPath(
      AsGraph g,
      IntHashSet domestic,
      IntHashSet sinks,
      IntIntHashMap through,
      LongIntHashMap flow,
      LongHashSet reachedOut) {
    LongLongHashMap parent = new LongLongHashMap();
    ArrayDeque<Long> queue = new ArrayDeque<>();
    LongHashSet seen = reachedOut != null ? reachedOut : new LongHashSet();
    // Source arcs: to v_in of every foreign neighbour of a domestic AS (infinite capacity).
    domestic.forEach(
        d -> {
          IntHashSet n = g.neighbours(d);
          if (n != null) {
            n.forEach(
                v -> {
                  if (!domestic.contains(v) && seen.add(st(v, 0))) {
                    parent.put(st(v, 0), SOURCE);
                    queue.add(st(v, 0));
                  }
                });
          }
        });
    while (!queue.isEmpty()) {
      long s = queue.poll();
      int v = (int) (s >> 1);
      if ((s & 1) == 0) { // v_in
        if (through.get(v) == 0 && seen.add(st(v, 1))) {
          parent.put(st(v, 1), s);
          queue.add(st(v, 1));
        }
        // Reverse residual of u_out → v_in arcs that carry flow.
        IntHashSet n = g.neighbours(v);
        if (n != null) {
          for (int u : n.toArray()) {
            if (!domestic.contains(u) && flow.get(arc(u, v)) > 0 && seen.add(st(u, 1))) {
              parent.put(st(u, 1), s);
              queue.add(st(u, 1));
            }
          }
        }
      } else { // v_out
        if (sinks.contains(v)) {
          if (reachedOut != null) {
            continue;
          }
          return trace(parent, s);
        }
        if (through.get(v) == 1 && seen.add(st(v, 0))) { // reverse of the internal arc
          parent.put(st(v, 0), s);
          queue.add(st(v, 0));
        }
        IntHashSet n = g.neighbours(v);
        if (n != null) {
          for (int w : n.toArray()) {
            if (!domestic.contains(w) && seen.add(st(w, 0))) {
              parent.put(st(w, 0), s);
              queue.add(st(w, 0));
            }
          }
        }
      }
    }
    return null;
  }

  private static long[] trace(LongLongHashMap parent, long last) {
    ArrayDeque<Long> stack = new ArrayDeque<>();
    stack.push(SINK);
    long s = last;
    while (s != SOURCE) {
      stack.push(s);
      s = parent.get(s);
    }
    stack.push(SOURCE);
    long[] p = new long[stack.size()];
    int i = 0;
    for (long x : stack) {
      p[i++] = x;
    }
    return p;
  }

  private static void apply(long[] path, IntIntHashMap through, LongIntHashMap flow) {
    for (int i = 1; i < path.length - 1; i++) {
      long a = path[i - 1];
      long b = path[i];
      if (a == SOURCE) {
        continue;
      }
      int u = (int) (a >> 1);
      int v = (int) (b >> 1);
      boolean aOut = (a & 1) == 1;
      boolean bOut = (b & 1) == 1;
      if (u == v && !aOut && bOut) {
        through.put(v, 1);
      } else if (u == v && aOut && !bOut) {
        through.put(v, 0);
      } else if (aOut && !bOut) {
        flow.addToValue(arc(u, v), 1);
      } else if (!aOut && bOut) {
        flow.addToValue(arc(v, u), -1); // u_in → v_out undoes flow on v_out → u_in
      }
    }
  }
}
