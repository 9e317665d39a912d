package io.routewatch.alert.rule;

import io.routewatch.bgp.nlri.IpText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** A parsed IPv4/IPv6 prefix with containment, for matching more-specifics to watched prefixes. */
public record IpPrefix(byte[] address, int length) {
  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /** Parses "a.b.c.d/len" or "x::/len"; host bits must be zero. */
  public static IpPrefix parse(String text) {
    String s = text == null ? "" : text.trim();
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("prefix '" + s + "' has no /length");
    }
    String addr = s.substring(0, slash);
    if (!V4.matcher(addr).matches() && !V6.matcher(addr).matches()) {
      throw new IllegalArgumentException(
          "prefix '" + s + "' is not an IPv4 or IPv6 address/length");
    }
    int len;
    byte[] a;
    try {
      len = Integer.parseInt(s.substring(slash + 1));
      a = InetAddress.getByName(addr).getAddress(); // literal only: checked by the patterns above
    } catch (NumberFormatException | UnknownHostException e) {
      throw new IllegalArgumentException(
          "prefix '" + s + "' is not an IPv4 or IPv6 address/length");
    }
    if (len < 0 || len > a.length * 8) {
      throw new IllegalArgumentException("prefix '" + s + "' length must be 0.." + a.length * 8);
    }
    IpPrefix p = new IpPrefix(a, len);
    if (!p.contains(new IpPrefix(a, a.length * 8)) || !p.hostBitsZero()) {
      throw new IllegalArgumentException("prefix '" + s + "' has host bits set");
    }
    return p;
  }

  /** True when {@code other} equals this prefix or is a more-specific of it (same family). */
  public boolean contains(IpPrefix other) {
    if (other.address.length != address.length || other.length < length) {
      return false;
    }
    int full = length / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != other.address[i]) {
        return false;
      }
    }
    int rest = length % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (other.address[full] & mask);
  }

  private boolean hostBitsZero() {
    for (int bit = length; bit < address.length * 8; bit++) {
      if ((address[bit / 8] & (0x80 >> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Dotted quad or RFC 5952 text ({@link IpText}), then "/length". */
  @Override
  public String toString() {
    return IpText.formatPrefix(address, length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p
        && p.length == length
        && java.util.Arrays.equals(p.address, address);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(address) * 31 + length;
  }
}
