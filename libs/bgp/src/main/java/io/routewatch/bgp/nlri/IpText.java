package io.routewatch.bgp.nlri;

/** RFC 5952 text for addresses in toString()s and logs (the bgpdump text form lives in text/). */
public final class IpText {
  private IpText() {}

  public static String format(byte[] a) {
    if (a.length == 4) return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    int bestStart = -1, bestLen = 1; // RFC 5952 §4.2.2: never compress a single 16-bit group
    for (int i = 0; i < 8; ) {
      if (group(a, i) == 0) {
        int j = i;
        while (j < 8 && group(a, j) == 0) j++;
        if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
        i = j;
      } else i++;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(group(a, i)));
    }
    return sb.toString();
  }

  private static int group(byte[] a, int i) {
    return ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
  }

  /** Parses dotted IPv4 or IPv6 text (no zone ids) without DNS lookups. */
  public static byte[] parse(String s) {
    if (s.indexOf(':') < 0) {
      String[] p = s.split("\\.");
      if (p.length != 4) throw new IllegalArgumentException(s);
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) b[i] = (byte) Integer.parseInt(p[i]);
      return b;
    }
    byte[] b = new byte[16];
    int dbl = s.indexOf("::");
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    String[] h = head.isEmpty() ? new String[0] : head.split(":");
    String[] t = tail.isEmpty() ? new String[0] : tail.split(":");
    for (int i = 0; i < h.length; i++) putGroup(b, i, Integer.parseInt(h[i], 16));
    for (int i = 0; i < t.length; i++) putGroup(b, 8 - t.length + i, Integer.parseInt(t[i], 16));
    return b;
  }

  private static void putGroup(byte[] b, int i, int v) {
    b[2 * i] = (byte) (v >>> 8);
    b[2 * i + 1] = (byte) v;
  }
}
