package io.routewatch.state.visibility;

import java.util.Arrays;

/**
 * Per prefix id, the origin ASes currently announced for it and how many VP best paths carry each
 * (MOAS when more than one). Stored as a small {@code [asn, count]*} int array per prefix: almost
 * every prefix has one origin, so this is 24 bytes instead of a map.
 */
public final class PrefixOrigins {
  private static final int[] EMPTY = new int[0];
  private int[][] origins = new int[1024][];

  public void ensure(int prefixId) {
    if (prefixId >= origins.length) {
      origins = Arrays.copyOf(origins, Math.max(origins.length * 2, prefixId + 1));
    }
  }

  /** Adds (+1) or removes (-1) one VP best path with this origin; returns the new count. */
  public int update(int prefixId, int origin, int sign) {
    int[] a = origins[prefixId];
    if (a != null) {
      for (int i = 0; i < a.length; i += 2) {
        if (a[i] == origin) {
          a[i + 1] += sign;
          int c = a[i + 1];
          if (c <= 0) {
            if (a.length == 2) {
              origins[prefixId] = null;
            } else {
              int[] b = new int[a.length - 2];
              System.arraycopy(a, 0, b, 0, i);
              System.arraycopy(a, i + 2, b, i, a.length - i - 2);
              origins[prefixId] = b;
            }
          }
          return c;
        }
      }
    }
    if (sign < 0) {
      return 0;
    }
    int[] b = a == null ? new int[2] : Arrays.copyOf(a, a.length + 2);
    b[b.length - 2] = origin;
    b[b.length - 1] = sign;
    origins[prefixId] = b;
    return sign;
  }

  /** The origins (ASNs as unsigned ints), sorted unsigned; empty if none. */
  public int[] origins(int prefixId) {
    int[] a = prefixId < origins.length ? origins[prefixId] : null;
    if (a == null) {
      return EMPTY;
    }
    int[] r = new int[a.length / 2];
    for (int i = 0; i < r.length; i++) {
      r[i] = a[2 * i];
    }
    if (r.length > 1) {
      for (int i = 0; i < r.length; i++) { // tiny insertion sort, unsigned order
        for (int j = i; j > 0 && Integer.compareUnsigned(r[j - 1], r[j]) > 0; j--) {
          int t = r[j];
          r[j] = r[j - 1];
          r[j - 1] = t;
        }
      }
    }
    return r;
  }

  /**
   * The prefix's {@code [asn, count]*} pairs as held (shared, not copied: callers under the engine
   * lock copy what they need and never modify it), or null when it has no origin.
   */
  public int[] pairs(int prefixId) {
    return prefixId < origins.length ? origins[prefixId] : null;
  }

  /** VP best paths of the prefix with this origin. */
  public int count(int prefixId, int origin) {
    int[] a = prefixId < origins.length ? origins[prefixId] : null;
    if (a != null) {
      for (int i = 0; i < a.length; i += 2) {
        if (a[i] == origin) {
          return a[i + 1];
        }
      }
    }
    return 0;
  }
}
