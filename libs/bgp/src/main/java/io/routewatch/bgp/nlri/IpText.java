package io.routewatch.bgp.nlri;

/**
 * The one place that writes IP addresses as text (codec, bgpdump text, state, alert, collector and
 * CLI all call it). IPv6 has two styles: {@link Style#RFC_5952} (canonical text, for toString()s,
 * logs and APIs) and {@link Style#BGPDUMP} (byte-for-byte what bgpdump's fmt_ipv6 prints, for the
 * bgpdump-form output).
 */
public final class IpText {
  private IpText() {}

  /** How IPv6 text is written. */
  public enum Style {
    /**
     * RFC 5952 §4: lower-case hex without leading zeros, the first longest run of two or more zero
     * groups compressed to "::" (a single zero group is never compressed).
     */
    RFC_5952,
    /**
     * bgpdump's fmt_ipv6: as RFC 5952 but a single zero group is compressed too, and IPv4-mapped
     * (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, last word &gt; 1) addresses end in a dotted
     * quad.
     */
    BGPDUMP
  }

  /** Longest text {@link #writeIpv6} writes (IPv4-mapped in BGPDUMP style: 22; plain: 39). */
  public static final int MAX_IPV6_CHARS = 39;

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Dotted quad for 4 bytes, RFC 5952 text for 16. */
  public static String format(byte[] a) {
    if (a.length == 4)
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    byte[] out = new byte[MAX_IPV6_CHARS];
    int n = writeIpv6(a, 0, out, 0, Style.RFC_5952);
    return new String(out, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** {@code address/length} with {@link #format}. */
  public static String formatPrefix(byte[] address, int length) {
    return format(address) + "/" + length;
  }

  /**
   * Writes the 16 bytes at {@code a[off]} as IPv6 text in ASCII into {@code out} from {@code pos}
   * (room for {@link #MAX_IPV6_CHARS} bytes needed) and returns the position after it.
   */
  public static int writeIpv6(byte[] a, int off, byte[] out, int pos, Style style) {
    if (style == Style.BGPDUMP) {
      boolean first80zero = true;
      for (int i = 0; i < 10; i++)
        if (a[off + i] != 0) {
          first80zero = false;
          break;
        }
      if (first80zero) {
        int w5 = ((a[off + 10] & 0xff) << 8) | (a[off + 11] & 0xff);
        int last =
            ((a[off + 12] & 0xff) << 24)
                | ((a[off + 13] & 0xff) << 16)
                | ((a[off + 14] & 0xff) << 8)
                | (a[off + 15] & 0xff);
        if (w5 == 0xffff) return dottedQuad(last, out, ascii("::ffff:", out, pos));
        if (w5 == 0 && Integer.compareUnsigned(last, 1) > 0)
          return dottedQuad(last, out, ascii("::", out, pos));
      }
    }
    // the first longest run of zero groups; RFC 5952 compresses only runs of two or more
    int bestStart = -1, best = style == Style.BGPDUMP ? 0 : 1;
    for (int i = 0; i < 8; ) {
      if (a[off + 2 * i] == 0 && a[off + 2 * i + 1] == 0) {
        int j = i;
        while (j < 8 && a[off + 2 * j] == 0 && a[off + 2 * j + 1] == 0) j++;
        if (j - i > best) {
          best = j - i;
          bestStart = i;
        }
        i = j;
      } else i++;
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        if (i == 0) out[pos++] = ':';
        out[pos++] = ':';
        i += best - 1;
        continue;
      }
      int g = ((a[off + 2 * i] & 0xff) << 8) | (a[off + 2 * i + 1] & 0xff);
      boolean started = false;
      for (int s = 12; s >= 0; s -= 4) {
        int d = (g >>> s) & 15;
        if (d != 0 || started || s == 0) {
          out[pos++] = HEX[d];
          started = true;
        }
      }
      if (i != 7) out[pos++] = ':';
    }
    return pos;
  }

  private static int ascii(String s, byte[] out, int pos) {
    for (int i = 0; i < s.length(); i++) out[pos++] = (byte) s.charAt(i);
    return pos;
  }

  private static int dottedQuad(int v, byte[] out, int pos) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      int o = (v >>> shift) & 0xff;
      if (o >= 100) out[pos++] = (byte) ('0' + o / 100);
      if (o >= 10) out[pos++] = (byte) ('0' + o / 10 % 10);
      out[pos++] = (byte) ('0' + o % 10);
      if (shift != 0) out[pos++] = '.';
    }
    return pos;
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
