package io.routewatch.bgp.wire;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;

/**
 * Bounds-checked big-endian cursor over a byte[] window [position, limit). Every read checks the
 * limit and throws a located {@link DecodeException}; nothing is copied unless asked. The default
 * action on overrun is {@link Rfc7606Action#SESSION_RESET} because a framing overrun means the
 * message cannot be parsed (RFC 4271 §6.1); callers that know better catch and re-classify.
 */
public final class ByteReader {
  private final byte[] buf;
  private int pos;
  private final int limit;

  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteReader(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw DecodeException.at(
          "window " + offset + "+" + length + " outside buffer of " + buf.length,
          buf,
          offset,
          Rfc7606Action.SESSION_RESET);
    }
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  public byte[] array() {
    return buf;
  }

  public int position() {
    return pos;
  }

  public int limit() {
    return limit;
  }

  public int remaining() {
    return limit - pos;
  }

  public boolean hasRemaining() {
    return pos < limit;
  }

  private void need(int n, String what) {
    if (n < 0 || limit - pos < n) {
      throw DecodeException.at(
          what + ": need " + n + " bytes, have " + (limit - pos),
          buf,
          pos,
          Rfc7606Action.SESSION_RESET);
    }
  }

  public int u8() {
    need(1, "u8");
    return buf[pos++] & 0xff;
  }

  public int u16() {
    need(2, "u16");
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  /** Unsigned 32-bit value in an int (callers use Integer.toUnsignedLong when printing). */
  public int u32() {
    need(4, "u32");
    int v = getInt(buf, pos);
    pos += 4;
    return v;
  }

  public long u32L() {
    return u32() & 0xffffffffL;
  }

  public void skip(int n) {
    need(n, "skip");
    pos += n;
  }

  public byte[] bytes(int n) {
    need(n, "bytes");
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** A reader over the next n bytes; this reader moves past them. */
  public ByteReader slice(int n) {
    need(n, "slice");
    ByteReader r = new ByteReader(buf, pos, n);
    pos += n;
    return r;
  }

  public static int getInt(byte[] b, int i) {
    return ((b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }

  public static int getShort(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }
}
