package io.routewatch.state.leak;

import io.routewatch.state.route.AsPath;

/**
 * The valley-free check of an AS path (Gao-Rexford export rules, route leak types of RFC 7908 §3).
 * An AS may pass a route learned from a provider or a peer only to its customers: an AS in the path
 * that learned it from a provider or peer (the next AS towards the origin) and passed it to a
 * provider or peer (the next AS towards the vantage point) leaked it. The four classifications the
 * relationships allow:
 *
 * <ul>
 *   <li>type 1, hairpin turn: provider → leaker → provider (RFC 7908 §3.1);
 *   <li>type 2, lateral ISP-ISP-ISP: peer → leaker → peer (§3.2);
 *   <li>type 3, transit-provider prefixes to a peer: provider → leaker → peer (§3.3);
 *   <li>type 4, peer prefixes to a transit provider: peer → leaker → provider (§3.4).
 * </ul>
 *
 * <p>Types 5 and 6 (re-origination, internal prefixes) cannot be seen in a path. A hop whose
 * relationship is unknown or sibling is not judged; prepends count once; an AS_SET or a
 * confederation segment breaks the chain (its members have no order). When several hops violate,
 * the one nearest the origin is the leak (the others only pass it on).
 *
 * <p>Allocation-free: it walks the path's flat encoding once with two relationship lookups per hop
 * at most, and returns its finding packed in a long ({@link #NONE} = valley-free or not judged).
 */
public final class ValleyFree {
  /** No leak found. */
  public static final long NONE = 0;

  private static final int IDX_BITS = 20;
  private static final long IDX_MASK = (1L << IDX_BITS) - 1;

  private ValleyFree() {}

  /**
   * Checks a path given as {@link AsPath#encoding()} (the vantage point's side first, the origin
   * last). Returns {@link #NONE} or the leak: {@link #type}, and indexes into {@code enc} of the AS
   * it was sent to ({@link #toIndex}), the leaker ({@link #leakerIndex}) and the AS it was learned
   * from ({@link #fromIndex}).
   */
  public static long check(int[] enc, AsRelationships rels) {
    if (rels.isEmpty() || enc.length >= 1 << IDX_BITS) {
      return NONE;
    }
    long found = NONE;
    int i0 = -1; // towards the VP: the AS the middle one sent the route to
    int i1 = -1; // the middle AS
    int i2 = -1; // towards the origin: the AS the middle one learned it from
    for (int o = 0; o < enc.length; o += enc[o + 1] + 2) {
      if (enc[o] != AsPath.AS_SEQUENCE) {
        i0 = i1 = i2 = -1; // RFC 4271 §5.1.2: an AS_SET has no order to judge
        continue;
      }
      int end = o + 2 + enc[o + 1];
      for (int k = o + 2; k < end; k++) {
        if (i2 >= 0 && enc[k] == enc[i2]) {
          continue; // prepending: the same AS again
        }
        i0 = i1;
        i1 = i2;
        i2 = k;
        if (i0 >= 0) {
          int type = hop(enc[i0], enc[i1], enc[i2], rels);
          if (type != 0) {
            found = pack(type, i0, i1, i2);
          }
        }
      }
    }
    return found;
  }

  /** The RFC 7908 type of the hop to → mid ← from, or 0 when it is valley-free or not judged. */
  static int hop(int to, int mid, int from, AsRelationships rels) {
    byte learned = rels.relation(from, mid);
    if (learned != AsRelationships.PROVIDER && learned != AsRelationships.PEER) {
      return 0; // learned from a customer (may go anywhere) or unknown
    }
    byte sent = rels.relation(to, mid);
    if (sent != AsRelationships.PROVIDER && sent != AsRelationships.PEER) {
      return 0; // passed to a customer (allowed) or unknown
    }
    if (learned == AsRelationships.PROVIDER) {
      return sent == AsRelationships.PROVIDER ? 1 : 3;
    }
    return sent == AsRelationships.PEER ? 2 : 4;
  }

  private static long pack(int type, int to, int mid, int from) {
    return (long) type << (3 * IDX_BITS)
        | (long) to << (2 * IDX_BITS)
        | (long) mid << IDX_BITS
        | from;
  }

  /** RFC 7908 type 1..4 of a finding. */
  public static int type(long leak) {
    return (int) (leak >>> (3 * IDX_BITS));
  }

  /** Index of the AS the leaker sent the route to (towards the vantage point). */
  public static int toIndex(long leak) {
    return (int) ((leak >>> (2 * IDX_BITS)) & IDX_MASK);
  }

  /** Index of the leaker. */
  public static int leakerIndex(long leak) {
    return (int) ((leak >>> IDX_BITS) & IDX_MASK);
  }

  /** Index of the AS the leaker learned the route from (towards the origin). */
  public static int fromIndex(long leak) {
    return (int) (leak & IDX_MASK);
  }
}
