package io.routewatch.state.rib;

import io.routewatch.state.route.Prefix;
import java.util.Arrays;

/**
 * The path attributes of a route other than the AS_PATH (interned separately): ORIGIN, NEXT_HOP,
 * MED, LOCAL_PREF (RFC 4271 §5.1), ATOMIC_AGGREGATE and standard communities (RFC 1997). Immutable
 * and hash-consed by the RIB, so equal attribute sets are stored once.
 */
public final class RouteAttributes {
  public static final int ORIGIN_IGP = 0;
  public static final int ORIGIN_EGP = 1;
  public static final int ORIGIN_INCOMPLETE = 2;

  /** Marks an absent MED or LOCAL_PREF (both are unsigned 32-bit when present). */
  public static final long ABSENT = -1;

  public static final RouteAttributes NONE =
      new RouteAttributes(ORIGIN_IGP, null, ABSENT, ABSENT, false, null);

  private final byte origin;
  private final boolean atomicAggregate;
  private final byte[] nextHop;
  private final long med;
  private final long localPref;
  private final int[] communities;
  private final int hash;

  /**
   * @param nextHop 4 or 16 bytes (or 32 for a link-local pair), or null
   * @param communities RFC 1997 communities as {@code asn << 16 | value}, or null
   */
  public RouteAttributes(
      int origin,
      byte[] nextHop,
      long med,
      long localPref,
      boolean atomicAggregate,
      int[] communities) {
    this.origin = (byte) origin;
    this.nextHop = nextHop == null ? null : nextHop.clone();
    this.med = med;
    this.localPref = localPref;
    this.atomicAggregate = atomicAggregate;
    this.communities = communities == null || communities.length == 0 ? null : communities.clone();
    int h = origin;
    h = h * 31 + Arrays.hashCode(this.nextHop);
    h = h * 31 + Long.hashCode(med);
    h = h * 31 + Long.hashCode(localPref);
    h = h * 31 + (atomicAggregate ? 1 : 0);
    this.hash = h * 31 + Arrays.hashCode(this.communities);
  }

  public int origin() {
    return origin;
  }

  public byte[] nextHop() {
    return nextHop == null ? null : nextHop.clone();
  }

  public long med() {
    return med;
  }

  public long localPref() {
    return localPref;
  }

  public boolean atomicAggregate() {
    return atomicAggregate;
  }

  public int[] communities() {
    return communities == null ? new int[0] : communities.clone();
  }

  /** Parses bgpdump's ORIGIN text (IGP / EGP / INCOMPLETE). */
  public static int parseOrigin(String s) {
    return switch (s) {
      case "IGP" -> ORIGIN_IGP;
      case "EGP" -> ORIGIN_EGP;
      default -> ORIGIN_INCOMPLETE;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteAttributes a
        && a.hash == hash
        && a.origin == origin
        && a.med == med
        && a.localPref == localPref
        && a.atomicAggregate == atomicAggregate
        && Arrays.equals(a.nextHop, nextHop)
        && Arrays.equals(a.communities, communities);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "origin="
        + origin
        + " nextHop="
        + (nextHop == null
            ? "-"
            : Prefix.formatAddress(nextHop.length == 4 ? nextHop : Arrays.copyOf(nextHop, 16)))
        + " med="
        + med
        + " localPref="
        + localPref
        + (communities == null ? "" : " communities=" + communities.length);
  }
}
