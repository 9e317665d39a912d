package io.routewatch.bgp.nlri;

import java.util.Arrays;

/**
 * An IP prefix: address family, length in bits and the address bytes with host bits cleared. RFC
 * 4271 §4.3 only transmits ceil(length/8) bytes and says trailing bits are irrelevant, so two
 * encodings of 11.8.0.0/13 (with and without host bits) compare equal; {@link #hostBitsSet()}
 * remembers whether the wire form had them.
 */
public final class Prefix implements Comparable<Prefix> {
  private final Afi afi;
  private final byte[] addr; // always afi.bytes long, masked
  private final int length;
  private final boolean hostBitsSet;

  private Prefix(Afi afi, byte[] addr, int length, boolean hostBitsSet) {
    this.afi = afi;
    this.addr = addr;
    this.length = length;
    this.hostBitsSet = hostBitsSet;
  }

  /** From ceil(length/8) wire bytes at off; extra host bits are masked. */
  public static Prefix fromWire(Afi afi, int length, byte[] src, int off) {
    if (length < 0 || length > afi.maxBits())
      throw new IllegalArgumentException("prefix length " + length + " for " + afi);
    byte[] a = new byte[afi.bytes];
    int n = (length + 7) >>> 3;
    System.arraycopy(src, off, a, 0, n);
    boolean host = false;
    if ((length & 7) != 0) {
      int mask = 0xff << (8 - (length & 7));
      host = (a[n - 1] & ~mask & 0xff) != 0;
      a[n - 1] &= (byte) mask;
    }
    return new Prefix(afi, a, length, host);
  }

  /** From a full-length address (4 or 16 bytes). */
  public static Prefix of(Afi afi, byte[] address, int length) {
    return fromWire(afi, length, address, 0);
  }

  /** Parses "a.b.c.d/len" or an IPv6 "x:y::/len". */
  public static Prefix parse(String s) {
    int slash = s.indexOf('/');
    String a = s.substring(0, slash);
    int len = Integer.parseInt(s.substring(slash + 1));
    byte[] bytes = IpText.parse(a);
    return of(bytes.length == 4 ? Afi.IPV4 : Afi.IPV6, bytes, len);
  }

  public Afi afi() {
    return afi;
  }

  public int length() {
    return length;
  }

  public boolean hostBitsSet() {
    return hostBitsSet;
  }

  /** Number of address bytes on the wire. */
  public int wireBytes() {
    return (length + 7) >>> 3;
  }

  public byte[] address() {
    return addr.clone();
  }

  public int addressByte(int i) {
    return addr[i] & 0xff;
  }

  /** Writes the address bytes (full width) into dst at off, without allocating. */
  public void copyAddress(byte[] dst, int off) {
    System.arraycopy(addr, 0, dst, off, addr.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Prefix p
        && p.afi == afi
        && p.length == length
        && Arrays.equals(p.addr, addr);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(addr) * 31 + length + afi.ordinal() * 1009;
  }

  @Override
  public int compareTo(Prefix o) {
    if (afi != o.afi) return afi.compareTo(o.afi);
    int c = Arrays.compareUnsigned(addr, o.addr);
    return c != 0 ? c : Integer.compare(length, o.length);
  }

  @Override
  public String toString() {
    return IpText.format(addr) + "/" + length;
  }
}
