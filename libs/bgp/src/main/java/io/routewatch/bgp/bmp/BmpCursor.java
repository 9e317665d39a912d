package io.routewatch.bgp.bmp;

/**
 * Bounds-checked big-endian reader over one BMP message. Every read past the limit becomes a {@link
 * BmpException} naming the field, the offset and the message bytes.
 */
final class BmpCursor {
  private final byte[] b;
  private final int base;
  private final int limit;
  private int pos;

  /** A cursor over {@code b[offset, offset+length)}; positions are relative to {@code offset}. */
  BmpCursor(byte[] b, int offset, int length) {
    this.b = b;
    this.base = offset;
    this.limit = offset + length;
    this.pos = offset;
  }

  int position() {
    return pos - base;
  }

  int remaining() {
    return limit - pos;
  }

  /** Absolute index into the backing array of the next byte. */
  int absolute() {
    return pos;
  }

  byte[] array() {
    return b;
  }

  void need(int n, String field) {
    if (n < 0 || n > limit - pos) {
      throw fail(field + " needs " + n + " bytes, " + (limit - pos) + " left");
    }
  }

  int u8(String field) {
    need(1, field);
    return b[pos++] & 0xff;
  }

  int u16(String field) {
    need(2, field);
    int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  long u32(String field) {
    need(4, field);
    long v =
        ((b[pos] & 0xffL) << 24)
            | ((b[pos + 1] & 0xff) << 16)
            | ((b[pos + 2] & 0xff) << 8)
            | (b[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  long u64(String field) {
    long hi = u32(field);
    return (hi << 32) | u32(field);
  }

  byte[] bytes(int n, String field) {
    need(n, field);
    byte[] r = new byte[n];
    System.arraycopy(b, pos, r, 0, n);
    pos += n;
    return r;
  }

  void skip(int n, String field) {
    need(n, field);
    pos += n;
  }

  /** Peeks an unsigned 16-bit value {@code ahead} bytes past the position, or -1 if beyond. */
  int peekU16(int ahead) {
    int p = pos + ahead;
    if (ahead < 0 || p + 2 > limit) {
      return -1;
    }
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  BmpException fail(String what) {
    return new BmpException(
        new BmpError(
            what,
            0,
            -1,
            pos - base,
            BmpError.cap(b, base, limit - base),
            BmpError.Action.SKIP_MESSAGE));
  }
}
