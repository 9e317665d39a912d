package io.routewatch.state.rpki;

import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable VRP set answering RFC 6811 §2 origin validation per route without allocating.
 *
 * <p>Per family, the distinct VRP prefixes sit in one open-addressing hash keyed by (masked address
 * bits, length); each slot points at the run of (ASN, maxLength) pairs of that prefix, sorted by
 * ASN. A route of length L is checked by masking its address to each VRP prefix length present in
 * the family that is ≤ L (about 20 lengths for IPv4, fewer used for IPv6) and probing the hash, so
 * the cost does not grow with the number of VRPs. Duplicate VRPs are merged.
 */
public final class VrpTable {
  /** The origin of a route whose AS_PATH ends in an AS_SET (RFC 6811 §2: NONE). */
  public static final long ORIGIN_NONE = -1;

  public static final VrpTable EMPTY = new VrpTable(List.of());

  private final Family v4;
  private final Family v6;
  private final int size;

  private VrpTable(Collection<Vrp> vrps) {
    List<Vrp> a = new ArrayList<>();
    List<Vrp> b = new ArrayList<>();
    for (Vrp v : vrps) {
      (v.prefix().isIpv4() ? a : b).add(v);
    }
    v4 = new Family(a, 32);
    v6 = new Family(b, 128);
    size = v4.asn.length + v6.asn.length;
  }

  /** A table over {@code vrps} (duplicates dropped). */
  public static VrpTable of(Collection<Vrp> vrps) {
    return new VrpTable(vrps);
  }

  /** Distinct VRPs held. */
  public int size() {
    return size;
  }

  /** Distinct IPv4 VRPs held. */
  public int ipv4Size() {
    return v4.asn.length;
  }

  /** Distinct IPv6 VRPs held. */
  public int ipv6Size() {
    return v6.asn.length;
  }

  /**
   * RFC 6811 §2: the state of a route for {@code prefix} originated by {@code origin} (unsigned
   * 32-bit AS, or {@link #ORIGIN_NONE}). A VRP matches when it covers the prefix, its ASN equals
   * the origin and the prefix length ≤ its maxLength. A VRP for AS0 matches nothing (RFC 6483 §4,
   * RFC 7607: AS0 is never a valid origin), and neither does any VRP for origin NONE; both still
   * cover, so such routes are Invalid when covered.
   */
  public RovState validate(Prefix prefix, long origin) {
    Family f = prefix.isIpv4() ? v4 : v6;
    int len = prefix.length();
    long hi = prefix.high64();
    long lo = prefix.low64();
    boolean covered = false;
    boolean originSeen = false;
    int[] lengths = f.lengths;
    for (int i = 0; i < lengths.length; i++) {
      int l = lengths[i];
      if (l > len) {
        break;
      }
      int slot = f.find(maskHi(hi, l, f.bits), maskLo(lo, l), l);
      if (slot < 0) {
        continue;
      }
      covered = true;
      if (origin <= 0) {
        continue; // NONE or AS0: covered, can never match
      }
      int from = f.start[slot];
      int to = from + f.count[slot];
      for (int k = from; k < to; k++) {
        long a = f.asn[k] & 0xffff_ffffL;
        if (a == origin) {
          if (len <= (f.maxLength[k] & 0xff)) {
            return RovState.VALID;
          }
          originSeen = true;
        }
      }
    }
    if (!covered) {
      return RovState.NOT_FOUND;
    }
    return originSeen ? RovState.INVALID_LENGTH : RovState.INVALID_ASN;
  }

  /**
   * RFC 6811 §2 origin of a path: the last AS of a final AS_SEQUENCE; {@link #ORIGIN_NONE} when the
   * path ends in any other segment (AS_SET, confederation) or is empty.
   */
  public static long originOf(AsPath path) {
    int[] enc = path.encoding();
    int last = -1;
    for (int o = 0; o < enc.length; o += enc[o + 1] + 2) {
      last = o;
    }
    if (last < 0 || enc[last] != AsPath.AS_SEQUENCE || enc[last + 1] == 0) {
      return ORIGIN_NONE;
    }
    return enc[last + 1 + enc[last + 1]] & 0xffff_ffffL;
  }

  /** Every VRP covering {@code prefix} (the candidates of RFC 6811 §2), shortest prefix first. */
  public List<Vrp> covering(Prefix prefix) {
    Family f = prefix.isIpv4() ? v4 : v6;
    List<Vrp> out = new ArrayList<>();
    for (int l : f.lengths) {
      if (l > prefix.length()) {
        break;
      }
      int slot = f.find(maskHi(prefix.high64(), l, f.bits), maskLo(prefix.low64(), l), l);
      if (slot < 0) {
        continue;
      }
      Prefix p = prefix.truncate(l);
      for (int k = f.start[slot]; k < f.start[slot] + f.count[slot]; k++) {
        out.add(new Vrp(p, f.maxLength[k] & 0xff, f.asn[k] & 0xffff_ffffL));
      }
    }
    return out;
  }

  /** The high 64 bits (IPv4: the 32-bit address zero-extended) kept to the first {@code len}. */
  private static long maskHi(long hi, int len, int bits) {
    if (bits == 32) {
      return len == 0 ? 0 : hi & (0xffff_ffffL << (32 - len)) & 0xffff_ffffL;
    }
    return len == 0 ? 0 : len >= 64 ? hi : hi & (-1L << (64 - len));
  }

  private static long maskLo(long lo, int len) {
    return len <= 64 ? 0 : len == 128 ? lo : lo & (-1L << (128 - len));
  }

  /** One address family: the hash of distinct VRP prefixes and their (ASN, maxLength) runs. */
  private static final class Family {
    final int bits;
    final int[] lengths;
    // hash slots; len -1 = empty
    final long[] keyHi;
    final long[] keyLo;
    final byte[] keyLen;
    final int[] start;
    final int[] count;
    final int mask;
    // VRP runs, grouped by prefix
    final int[] asn;
    final byte[] maxLength;

    Family(List<Vrp> vrps, int bits) {
      this.bits = bits;
      Vrp[] sorted = vrps.toArray(new Vrp[0]);
      Arrays.sort(
          sorted,
          Comparator.comparing(Vrp::prefix)
              .thenComparingLong(Vrp::asn)
              .thenComparingInt(Vrp::maxLength));
      int n = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (n == 0 || !sorted[i].equals(sorted[n - 1])) {
          sorted[n++] = sorted[i];
        }
      }
      asn = new int[n];
      maxLength = new byte[n];
      int distinct = 0;
      boolean[] seenLen = new boolean[bits + 1];
      for (int i = 0; i < n; i++) {
        asn[i] = (int) sorted[i].asn();
        maxLength[i] = (byte) sorted[i].maxLength();
        if (i == 0 || !sorted[i].prefix().equals(sorted[i - 1].prefix())) {
          distinct++;
          seenLen[sorted[i].prefix().length()] = true;
        }
      }
      int cap = Integer.highestOneBit(Math.max(4, distinct * 2)) << 1;
      mask = cap - 1;
      keyHi = new long[cap];
      keyLo = new long[cap];
      keyLen = new byte[cap];
      Arrays.fill(keyLen, (byte) -1);
      start = new int[cap];
      count = new int[cap];
      for (int i = 0; i < n; ) {
        Prefix p = sorted[i].prefix();
        int j = i;
        while (j < n && sorted[j].prefix().equals(p)) {
          j++;
        }
        int s = slotFor(p.high64(), p.low64(), p.length());
        keyHi[s] = p.high64();
        keyLo[s] = p.low64();
        keyLen[s] = (byte) p.length();
        start[s] = i;
        count[s] = j - i;
        i = j;
      }
      int m = 0;
      for (boolean b : seenLen) {
        m += b ? 1 : 0;
      }
      lengths = new int[m];
      m = 0;
      for (int l = 0; l <= bits; l++) {
        if (seenLen[l]) {
          lengths[m++] = l;
        }
      }
    }

    private int slotFor(long hi, long lo, int len) {
      int s = hash(hi, lo, len) & mask;
      while (keyLen[s] != -1) {
        s = (s + 1) & mask;
      }
      return s;
    }

    /** The slot of (hi, lo, len), or -1. */
    int find(long hi, long lo, int len) {
      int s = hash(hi, lo, len) & mask;
      byte l = (byte) len;
      while (true) {
        byte k = keyLen[s];
        if (k == -1) {
          return -1;
        }
        if (k == l && keyHi[s] == hi && keyLo[s] == lo) {
          return s;
        }
        s = (s + 1) & mask;
      }
    }

    private static int hash(long hi, long lo, int len) {
      long h = hi * 0x9E3779B97F4A7C15L + lo * 0xC2B2AE3D27D4EB4FL + len;
      h ^= h >>> 33;
      h *= 0xff51afd7ed558ccdL;
      h ^= h >>> 33;
      return (int) h;
    }
  }
}
