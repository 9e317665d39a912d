package io.routewatch.state.route;

import io.routewatch.bgp.nlri.IpText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix: address family, address bytes (host bits zeroed) and length. Immutable;
 * equal prefixes are equal whatever host bits the input had (RFC 4271 §4.3 NLRI semantics).
 */
public final class Prefix implements Comparable<Prefix> {
  /** IANA address family numbers, as in MP_REACH_NLRI (RFC 4760 §3). */
  public static final int AFI_IPV4 = 1;

  public static final int AFI_IPV6 = 2;

  private final byte[] address;
  private final byte length;
  private final int hash;

  private Prefix(byte[] masked, int length) {
    this.address = masked;
    this.length = (byte) length;
    this.hash = Arrays.hashCode(masked) * 131 + length;
  }

  /** A prefix from 4 (IPv4) or 16 (IPv6) address bytes; bits beyond {@code length} are cleared. */
  public static Prefix of(byte[] address, int length) {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
    }
    int max = address.length * 8;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException("prefix length " + length + " out of 0.." + max);
    }
    byte[] a = Arrays.copyOf(address, address.length);
    for (int bit = length; bit < max; bit++) {
      a[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
    }
    return new Prefix(a, length);
  }

  /** An IPv4 prefix from a 32-bit address (network byte order in an int). */
  public static Prefix ipv4(int address, int length) {
    int masked = length == 0 ? 0 : address & (-1 << (32 - length));
    return new Prefix(
        new byte[] {
          (byte) (masked >>> 24), (byte) (masked >>> 16), (byte) (masked >>> 8), (byte) masked
        },
        checkLen(length, 32));
  }

  private static int checkLen(int length, int max) {
    if (length < 0 || length > max) {
      throw new IllegalArgumentException("prefix length " + length + " out of 0.." + max);
    }
    return length;
  }

  /** Parses {@code a.b.c.d/len} or an IPv6 literal {@code x::y/len}. */
  public static Prefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("no '/' in prefix: " + text);
    }
    String addr = text.substring(0, slash);
    int len = Integer.parseInt(text.substring(slash + 1));
    if (addr.indexOf(':') < 0) {
      String[] parts = addr.split("\\.", -1);
      if (parts.length != 4) {
        throw new IllegalArgumentException("bad IPv4 address: " + text);
      }
      int a = 0;
      for (String p : parts) {
        int v = Integer.parseInt(p);
        if (v < 0 || v > 255) {
          throw new IllegalArgumentException("bad IPv4 address: " + text);
        }
        a = (a << 8) | v;
      }
      return ipv4(a, len);
    }
    try {
      // An IPv6 literal (contains ':') is never resolved through DNS.
      return of(InetAddress.getByName(addr).getAddress(), len);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad IPv6 address: " + text, e);
    }
  }

  public int afi() {
    return address.length == 4 ? AFI_IPV4 : AFI_IPV6;
  }

  public boolean isIpv4() {
    return address.length == 4;
  }

  public int length() {
    return length & 0xff;
  }

  /** A copy of the (masked) address bytes. */
  public byte[] address() {
    return address.clone();
  }

  /** Bit {@code i} of the address (0 = the most significant), without copying it. */
  public boolean bit(int i) {
    return (address[i >>> 3] & (0x80 >>> (i & 7))) != 0;
  }

  /** IPv4 only: the address as an int. */
  public int ipv4Address() {
    return ((address[0] & 0xff) << 24)
        | ((address[1] & 0xff) << 16)
        | ((address[2] & 0xff) << 8)
        | (address[3] & 0xff);
  }

  /** The first 64 bits of the address as a long (IPv6), or the IPv4 address zero-extended. */
  public long high64() {
    if (isIpv4()) {
      return ipv4Address() & 0xffffffffL;
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (address[i] & 0xff);
    }
    return v;
  }

  /** IPv6: the last 64 bits of the address as a long; 0 for IPv4. */
  public long low64() {
    if (isIpv4()) {
      return 0;
    }
    long v = 0;
    for (int i = 8; i < 16; i++) {
      v = (v << 8) | (address[i] & 0xff);
    }
    return v;
  }

  /** Number of addresses covered: 2^(32-len) for IPv4, 2^(128-len) for IPv6. */
  public double addressCount() {
    return Math.scalb(1.0, address.length * 8 - length());
  }

  /** True if {@code other} is this prefix or a more-specific of it (same family). */
  public boolean covers(Prefix other) {
    if (other.address.length != address.length || other.length() < length()) {
      return false;
    }
    return other.truncate(length()).equals(this);
  }

  /** This prefix shortened to {@code len} bits. */
  public Prefix truncate(int len) {
    return len == length() ? this : of(address, len);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Prefix p
        && p.hash == hash
        && p.length == length
        && Arrays.equals(p.address, address);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Prefix o) {
    if (address.length != o.address.length) {
      return address.length - o.address.length;
    }
    int c = Arrays.compareUnsigned(address, o.address);
    return c != 0 ? c : length() - o.length();
  }

  @Override
  public String toString() {
    return formatAddress(address) + "/" + length();
  }

  /** Formats 4 or 16 address bytes: dotted quad, or RFC 5952 text for IPv6 ({@link IpText}). */
  public static String formatAddress(byte[] a) {
    return IpText.format(a);
  }
}
