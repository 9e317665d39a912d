package io.routewatch.bgp.nlri;

/** Address family identifiers (IANA "Address Family Numbers") used by MP-BGP (RFC 4760 §3). */
public enum Afi {
  IPV4(1, 4),
  IPV6(2, 16);

  public final int code;

  /** Address length in bytes. */
  public final int bytes;

  Afi(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  public int maxBits() {
    return bytes * 8;
  }

  /** The AFI for a code, or null when this codec does not handle it. */
  public static Afi of(int code) {
    return code == 1 ? IPV4 : code == 2 ? IPV6 : null;
  }
}
