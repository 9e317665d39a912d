package io.routewatch.bgp.text;

import io.routewatch.bgp.nlri.IpText;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * An ASCII byte buffer with the few formatting primitives bgpdump output needs (unsigned decimals,
 * dotted quads, bgpdump's IPv6 form). No Strings are created per field; the buffer is drained to an
 * OutputStream in large writes.
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

  public int size() {
    return size;
  }

  /** Drops everything after mark (used to roll back a record that failed half-way). */
  public void truncate(int mark) {
    for (int i = mark; i < size; i++) if (buf[i] == '\n') lines--;
    size = mark;
  }

  /** Lines completed so far, without scanning the text. */
  public long lines() {
    return lines;
  }

  public void clear() {
    truncate(0);
  }

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
    return ipv4(
        ((b[off] & 0xff) << 24)
            | ((b[off + 1] & 0xff) << 16)
            | ((b[off + 2] & 0xff) << 8)
            | (b[off + 3] & 0xff));
  }

  /** IPv6 text exactly as bgpdump's fmt_ipv6 writes it ({@link IpText.Style#BGPDUMP}). */
  public TextBuffer ipv6(byte[] a, int off) {
    ensure(IpText.MAX_IPV6_CHARS);
    size = IpText.writeIpv6(a, off, buf, size, IpText.Style.BGPDUMP);
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
