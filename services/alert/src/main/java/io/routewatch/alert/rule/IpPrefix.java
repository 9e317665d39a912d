package io.routewatch.alert.rule;

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
      throw new IllegalArgumentException("prefix '" + s + "' is not an IPv4 or IPv6 address/length");
    }
    int len;
    byte[] a;
    try {
      len = Integer.parseInt(s.substring(slash + 1));
      a = InetAddress.getByName(addr).getAddress(); // literal only: checked by the patterns above
    } catch (NumberFormatException | UnknownHostException e) {
      throw new IllegalArgumentException("prefix '" + s + "' is not an IPv4 or IPv6 address/length");
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

  @Override
  public String toString() {
    try {
      String h = InetAddress.getByAddress(address).getHostAddress();
      if (address.length == 16) {
        h = compressV6(address);
      }
      return h + "/" + length;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 5952 text: lowercase, longest run of zero groups as "::". */
  static String compressV6(byte[] a) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p && p.length == length && java.util.Arrays.equals(p.address, address);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(address) * 31 + length;
  }
}
