package io.routewatch.cli.scenario;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Address and prefix literals of scenario files, checked without any name lookup. */
final class Addresses {
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  /** Hex groups, colons and an optional dotted IPv4 tail; checked further by InetAddress. */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private Addresses() {}

  /** Checks "a.b.c.d/len" (len ≤ 32) or "x:…/len" (len ≤ 128) with no host bits set. */
  static void prefix(String p, String where) {
    int slash = p.indexOf('/');
    String addr = slash < 0 ? p : p.substring(0, slash);
    boolean v6 = Scenario.isIpv6(p);
    int max = v6 ? 128 : 32;
    int len;
    try {
      len = slash < 0 ? -1 : Integer.parseInt(p.substring(slash + 1));
    } catch (NumberFormatException e) {
      len = -1;
    }
    if (len < 0 || len > max || !(v6 ? IPV6 : IPV4).matcher(addr).matches()) {
      throw new IllegalArgumentException(
          where + ": not a prefix '" + p + "' (e.g. 192.0.2.0/24, 2001:db8::/32)");
    }
    byte[] b = v6 ? ipv6(addr, where) : new byte[4];
    if (!v6) {
      Matcher q = IPV4.matcher(addr);
      q.matches();
      for (int k = 0; k < 4; k++) {
        int octet = Integer.parseInt(q.group(k + 1));
        if (octet > 255) {
          throw new IllegalArgumentException(
              where + ": not a prefix '" + p + "' (octet " + octet + ")");
        }
        b[k] = (byte) octet;
      }
    }
    if (b.length * 8 != max) {
      throw new IllegalArgumentException(
          where + ": not a prefix '" + p + "' (an IPv4-mapped address is not an IPv6 prefix)");
    }
    for (int bit = len; bit < max; bit++) {
      if ((b[bit / 8] & (0x80 >> (bit % 8))) != 0) {
        throw new IllegalArgumentException(
            where + ": host bits set in '" + p + "' (past /" + len + ")");
      }
    }
  }

  /**
   * An IPv6 literal's bytes; with a colon in it InetAddress takes it as a literal, never a name.
   */
  static byte[] ipv6(String addr, String where) {
    if (!IPV6.matcher(addr).matches() || addr.indexOf(':') < 0) {
      throw new IllegalArgumentException(where + ": not an IPv6 address '" + addr + "'");
    }
    try {
      return java.net.InetAddress.getByName(addr).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(where + ": not an IPv6 address '" + addr + "'");
    }
  }
}
