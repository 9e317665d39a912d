package io.routewatch.bgp.bmp;

import java.util.Arrays;

/**
 * One statistic of a Statistics Report (RFC 7854 §4.8, RFC 8671 §6 for types 14–17). Known types
 * are 32-bit counters, 64-bit gauges, or per-AFI/SAFI 64-bit gauges (AFI 2, SAFI 1, gauge 8);
 * unknown types and unexpected lengths are kept raw.
 */
public record BmpStat(int type, byte[] value) {
  public static final int REJECTED_PREFIXES = 0;
  public static final int DUPLICATE_PREFIX_ADVERTISEMENTS = 1;
  public static final int DUPLICATE_WITHDRAWS = 2;
  public static final int INVALID_CLUSTER_LIST_LOOP = 3;
  public static final int INVALID_AS_PATH_LOOP = 4;
  public static final int INVALID_ORIGINATOR_ID = 5;
  public static final int INVALID_AS_CONFED_LOOP = 6;
  public static final int ADJ_RIB_IN_ROUTES = 7;
  public static final int LOC_RIB_ROUTES = 8;
  public static final int ADJ_RIB_IN_ROUTES_PER_AFI_SAFI = 9;
  public static final int LOC_RIB_ROUTES_PER_AFI_SAFI = 10;
  public static final int UPDATES_TREAT_AS_WITHDRAW = 11;
  public static final int PREFIXES_TREAT_AS_WITHDRAW = 12;
  public static final int DUPLICATE_UPDATES = 13;

  /** RFC 8671 §6: routes in pre-policy Adj-RIB-Out. */
  public static final int ADJ_RIB_OUT_PRE_ROUTES = 14;

  /** RFC 8671 §6: routes in post-policy Adj-RIB-Out. */
  public static final int ADJ_RIB_OUT_POST_ROUTES = 15;

  /** RFC 8671 §6: routes in per-AFI/SAFI pre-policy Adj-RIB-Out. */
  public static final int ADJ_RIB_OUT_PRE_ROUTES_PER_AFI_SAFI = 16;

  /** RFC 8671 §6: routes in per-AFI/SAFI post-policy Adj-RIB-Out. */
  public static final int ADJ_RIB_OUT_POST_ROUTES_PER_AFI_SAFI = 17;

  /** Shape of a stat type's value. */
  public enum Kind {
    COUNTER32,
    GAUGE64,
    AFI_SAFI_GAUGE64,
    UNKNOWN
  }

  /** The shape RFC 7854 / RFC 8671 define for a type. */
  public static Kind kindOf(int type) {
    return switch (type) {
      case 0, 1, 2, 3, 4, 5, 6, 11, 12, 13 -> Kind.COUNTER32;
      case 7, 8, 14, 15 -> Kind.GAUGE64;
      case 9, 10, 16, 17 -> Kind.AFI_SAFI_GAUGE64;
      default -> Kind.UNKNOWN;
    };
  }

  /** Whether the value has the length its type requires (4, 8 or 11 bytes). */
  public boolean wellFormed() {
    return switch (kindOf(type)) {
      case COUNTER32 -> value.length == 4;
      case GAUGE64 -> value.length == 8;
      case AFI_SAFI_GAUGE64 -> value.length == 11;
      case UNKNOWN -> false;
    };
  }

  /**
   * The counter or gauge value: for known well-formed types per their definition; for others a 4-
   * or 8-byte value read as unsigned big-endian; -1 when it cannot be read as a number.
   */
  public long longValue() {
    if (kindOf(type) == Kind.AFI_SAFI_GAUGE64 && value.length == 11) {
      return be(3, 8);
    }
    if (value.length == 4 || value.length == 8) {
      return be(0, value.length);
    }
    return -1;
  }

  /** AFI of a per-AFI/SAFI stat, or -1. */
  public int afi() {
    return kindOf(type) == Kind.AFI_SAFI_GAUGE64 && value.length == 11 ? (int) be(0, 2) : -1;
  }

  /** SAFI of a per-AFI/SAFI stat, or -1. */
  public int safi() {
    return kindOf(type) == Kind.AFI_SAFI_GAUGE64 && value.length == 11 ? value[2] & 0xff : -1;
  }

  private long be(int off, int len) {
    long v = 0;
    for (int i = 0; i < len; i++) {
      v = (v << 8) | (value[off + i] & 0xff);
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BmpStat s && s.type == type && Arrays.equals(s.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "BmpStat[type=" + type + ", value=" + longValue() + "]";
  }
}
