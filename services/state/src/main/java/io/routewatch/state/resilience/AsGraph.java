package io.routewatch.state.resilience;

import io.routewatch.state.route.AsPath;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * The observed AS graph: an undirected edge between ASes adjacent in an AS_SEQUENCE of some
 * interned AS path (prepends collapsed; sets and confederation segments break adjacency), with a
 * reference count per edge. The RIB adds a path's edges when the path is first interned and removes
 * them when it is freed, so the graph costs nothing per route update.
 */
public final class AsGraph {
  private final LongIntHashMap edgeRefs = new LongIntHashMap();
  private final IntObjectHashMap<IntHashSet> adjacency = new IntObjectHashMap<>();
  private final IntIntHashMap heads = new IntIntHashMap(); // first AS of paths → paths

  public void addPath(AsPath path) {
    walk(path, +1);
  }

  public void removePath(AsPath path) {
    walk(path, -1);
  }

  private void walk(AsPath path, int sign) {
    int[] e = path.encoding();
    if (e.length > 2 && e[0] == AsPath.AS_SEQUENCE) {
      if (heads.addToValue(e[2], sign) <= 0) {
        heads.remove(e[2]);
      }
    }
    boolean havePrev = false;
    int prev = 0;
    for (int o = 0; o < e.length; o += e[o + 1] + 2) {
      if (e[o] != AsPath.AS_SEQUENCE) {
        havePrev = false;
        continue;
      }
      for (int k = 0; k < e[o + 1]; k++) {
        int asn = e[o + 2 + k];
        if (havePrev && asn != prev) {
          edge(prev, asn, sign);
        }
        prev = asn;
        havePrev = true;
      }
    }
  }

  private void edge(int a, int b, int sign) {
    int lo = Integer.compareUnsigned(a, b) < 0 ? a : b;
    int hi = lo == a ? b : a;
    long key = ((long) lo << 32) | (hi & 0xffffffffL);
    int n = edgeRefs.addToValue(key, sign);
    if (sign > 0 && n == 1) {
      adjacency.getIfAbsentPut(a, IntHashSet::new).add(b);
      adjacency.getIfAbsentPut(b, IntHashSet::new).add(a);
    } else if (n <= 0) {
      edgeRefs.remove(key);
      unlink(a, b);
      unlink(b, a);
    }
  }

  private void unlink(int a, int b) {
    IntHashSet s = adjacency.get(a);
    if (s != null) {
      s.remove(b);
      if (s.isEmpty()) {
        adjacency.remove(a);
      }
    }
  }

  /** Neighbours of an AS (shared set: do not modify), or null. */
  public IntHashSet neighbours(int asn) {
    return adjacency.get(asn);
  }

  /**
   * The ASes the vantage points hear routes from (first AS of each held path): "the rest of the
   * Internet" for a min cut. Peer ASNs alone do not do: route-server peers are not in the paths.
   */
  public IntHashSet heads() {
    IntHashSet s = new IntHashSet(heads.size());
    heads.forEachKey(s::add);
    return s;
  }

  public boolean contains(int asn) {
    return adjacency.containsKey(asn);
  }

  public int edgeCount() {
    return edgeRefs.size();
  }

  public int nodeCount() {
    return adjacency.size();
  }
}
