package io.routewatch.alert.watch;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Longest-prefix match over the watched prefixes: one hash map per (family, length) that occurs in
 * the list, probed from the longest length not above the query's down to the shortest. A lookup
 * costs one mask and one hash probe per distinct watched length (a handful in practice, at most 33
 * / 129), whatever the number of prefixes: 100k watched prefixes match as fast as ten. Immutable
 * once built.
 *
 * @param <V> what a watched prefix maps to
 */
final class PrefixIndex<V> {
  /** An address masked to a length: IPv4 in {@code hi}'s low 32 bits, IPv6 in hi:lo. */
  private record Key(long hi, long lo, int length) {}

  private final Map<Key, V> v4 = new HashMap<>();
  private final Map<Key, V> v6 = new HashMap<>();
  private int[] lengths4 = new int[0];
  private int[] lengths6 = new int[0];

  /** Adds (or replaces) a prefix; {@code address} is 4 or 16 bytes, host bits ignored. */
  void put(byte[] address, int length, V value) {
    boolean six = address.length == 16;
    if (!six && address.length != 4) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes, not " + address.length);
    }
    Key k = key(address, address.length, length, six);
    (six ? v6 : v4).put(k, value);
    if (six) {
      lengths6 = withLength(lengths6, length);
    } else {
      lengths4 = withLength(lengths4, length);
    }
  }

  boolean isEmpty() {
    return v4.isEmpty() && v6.isEmpty();
  }

  /**
   * The value of the most specific watched prefix that covers (or equals) the query, or null.
   *
   * @param address the query's address bytes; may be truncated to the bytes its length needs (as on
   *     the wire), missing bytes count as zero
   * @param six IPv6 (else IPv4)
   */
  V longestMatch(byte[] address, int length, boolean six) {
    int[] lengths = six ? lengths6 : lengths4;
    Map<Key, V> map = six ? v6 : v4;
    if (map.isEmpty()) {
      return null;
    }
    int n = Math.min(address.length, six ? 16 : 4);
    // the address read once; each probe only masks it to the watched length
    Key full = key(address, n, six ? 128 : 32, six);
    for (int i = lengths.length - 1; i >= 0; i--) {
      int l = lengths[i];
      if (l > length) {
        continue;
      }
      V v =
          map.get(
              six
                  ? new Key(
                      full.hi() & mask(Math.min(l, 64)), full.lo() & mask(Math.max(0, l - 64)), l)
                  : new Key(full.hi() & (mask(l) >>> 32), 0, l));
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static Key key(byte[] a, int n, int length, boolean six) {
    long hi = 0;
    long lo = 0;
    if (six) {
      for (int i = 0; i < 16; i++) {
        long b = i < n ? a[i] & 0xffL : 0;
        if (i < 8) {
          hi = (hi << 8) | b;
        } else {
          lo = (lo << 8) | b;
        }
      }
      hi &= mask(Math.min(length, 64));
      lo &= mask(Math.max(0, length - 64));
    } else {
      for (int i = 0; i < 4; i++) {
        hi = (hi << 8) | (i < n ? a[i] & 0xffL : 0);
      }
      hi &= mask(length) >>> 32;
    }
    return new Key(hi, lo, length);
  }

  /** The top {@code bits} bits of a long set. */
  private static long mask(int bits) {
    return bits == 0 ? 0 : -1L << (64 - bits);
  }

  private static int[] withLength(int[] sorted, int length) {
    if (Arrays.binarySearch(sorted, length) >= 0) {
      return sorted;
    }
    int[] out = Arrays.copyOf(sorted, sorted.length + 1);
    out[sorted.length] = length;
    Arrays.sort(out);
    return out;
  }
}
