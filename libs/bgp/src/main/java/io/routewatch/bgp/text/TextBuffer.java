package io.routewatch.bgp.text;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * An ASCII byte buffer with the few formatting primitives bgpdump output needs (unsigned decimals,
 * dotted quads, bgpdump's IPv6 form). No Strings are created per field; the buffer is drained to
 * an OutputStream in large writes.
 */
public final class TextBuffer {
  private static final byte[] HEX = "0123456789abcdef".getBytes();
  private static final byte[][] OCTET = new byte[256][];

  static {
    for (int i = 0; i < 256; i++) OCTET[i] = Integer.toString(i).getBytes();
  }

  byte[] buf;
  int size;
  /** Newlines appended so far (all come through {@link #ch}); survives {@link #writeTo}. */
  private long lines;

  public TextBuffer(int capacity) {
    buf = new byte[capacity];
  }

  private void ensure(int n) {
    if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
  }

  public int size() { return size; }

  /** Drops everything after mark (used to roll back a record that failed half-way). */
  public void truncate(int mark) {
    for (int i = mark; i < size; i++) if (buf[i] == '\n') lines--;
    size = mark;
  }

  /** Lines completed so far, without scanning the text. */
  public long lines() { return lines; }

  public void clear() { truncate(0); }

  public TextBuffer ch(char c) {
    ensure(1);
    buf[size++] = (byte) c;
    if (c == '\n') lines++;
    return this;
  }

  public TextBuffer ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) buf[size++] = (byte) s.charAt(i);
    return this;
  }

  public TextBuffer bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  /** Non-negative decimal (callers pass unsigned 32-bit values as long). */
  public TextBuffer num(long v) {
    if (v < 0) {
      ch('-');
      v = -v;
    }
    ensure(20);
    if (v < 10) {
      buf[size++] = (byte) ('0' + v);
      return this;
    }
    int start = size;
    while (v > 0) {
      buf[size++] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    for (int i = start, j = size - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
    return this;
  }

  /** Zero-padded to width digits (BGP4MP_ET microseconds, C "%06ld"). */
  public TextBuffer numPad(long v, int width) {
    String s = Long.toString(v);
    for (int i = s.length(); i < width; i++) ch('0');
    return ascii(s);
  }

  /** Dotted quad of a network-order int (inet_ntoa). */
  public TextBuffer ipv4(int a) {
    ensure(15);
    octet(a >>> 24);
    buf[size++] = '.';
    octet((a >>> 16) & 0xff);
    buf[size++] = '.';
    octet((a >>> 8) & 0xff);
    buf[size++] = '.';
    octet(a & 0xff);
    return this;
  }

  private void octet(int v) {
    byte[] o = OCTET[v];
    for (byte b : o) buf[size++] = b;
  }

  /** Dotted quad of four bytes at off. */
  public TextBuffer ipv4(byte[] b, int off) {
    return ipv4(((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff));
  }

  /**
   * IPv6 text exactly as bgpdump's fmt_ipv6 writes it: IPv4-mapped (::ffff:a.b.c.d) and
   * IPv4-compatible (::a.b.c.d, last word &gt; 1) forms, lower-case hex without leading zeros, and
   * the first longest run of zero groups compressed to "::" even when it is a single group (RFC
   * 5952 §4.2.2 says a single group must not be compressed; bgpdump does, so we do too).
   */
  public TextBuffer ipv6(byte[] a, int off) {
    boolean first80zero = true;
    for (int i = 0; i < 10; i++) if (a[off + i] != 0) { first80zero = false; break; }
    if (first80zero) {
      int w5 = ((a[off + 10] & 0xff) << 8) | (a[off + 11] & 0xff);
      int last = ((a[off + 12] & 0xff) << 24) | ((a[off + 13] & 0xff) << 16) | ((a[off + 14] & 0xff) << 8) | (a[off + 15] & 0xff);
      if (w5 == 0xffff) return ascii("::ffff:").ipv4(last);
      if (w5 == 0 && Integer.compareUnsigned(last, 1) > 0) return ascii("::").ipv4(last);
    }
    int bestStart = -1, best = 0;
    for (int i = 0; i < 8; ) {
      if (a[off + 2 * i] == 0 && a[off + 2 * i + 1] == 0) {
        int j = i;
        while (j < 8 && a[off + 2 * j] == 0 && a[off + 2 * j + 1] == 0) j++;
        if (j - i > best) { best = j - i; bestStart = i; }
        i = j;
      } else i++;
    }
    ensure(41);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        if (i == 0) buf[size++] = ':';
        buf[size++] = ':';
        i += best - 1;
        continue;
      }
      int g = ((a[off + 2 * i] & 0xff) << 8) | (a[off + 2 * i + 1] & 0xff);
      boolean started = false;
      for (int s = 12; s >= 0; s -= 4) {
        int d = (g >>> s) & 15;
        if (d != 0 || started || s == 0) {
          buf[size++] = HEX[d];
          started = true;
        }
      }
      if (i != 7) buf[size++] = ':';
    }
    return this;
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, size);
    size = 0;
  }

  public void appendTo(Appendable out) throws IOException {
    for (int i = 0; i < size; i++) out.append((char) (buf[i] & 0xff));
    size = 0;
  }

  @Override
  public String toString() {
    return new String(buf, 0, size, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
