package io.routewatch.bgp.text;

/**
 * A cursor with bgpdump's "mstream" semantics, used only to reproduce its output byte for byte:
 * reads past the end return zeros and park the cursor at the end instead of failing, and a
 * sub-stream takes at most what is left. The codec proper uses the strict {@link
 * io.routewatch.bgp.wire.ByteReader}.
 */
final class MStream {
  final byte[] b;
  int pos;
  final int end;

  MStream(byte[] b, int pos, int end) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }

  int left() {
    return end - pos;
  }

  int getc() {
    if (pos < end) return b[pos++] & 0xff;
    pos = end;
    return 0;
  }

  int getw() {
    return (getc() << 8) | getc();
  }

  /** 32-bit big-endian; missing bytes read as zero (and a short read zero-fills the rest). */
  int getl() {
    if (end - pos >= 4) {
      int v = io.routewatch.bgp.wire.ByteReader.getInt(b, pos);
      pos += 4;
      return v;
    }
    int v = 0;
    for (int i = 0; i < 4; i++) v = (v << 8) | getc();
    return v;
  }

  /** Copies n bytes into dst (zero-filled past the end). */
  void get(byte[] dst, int off, int n) {
    for (int i = 0; i < n; i++) dst[off + i] = (byte) getc();
  }

  void skip(int n) {
    pos = (n < 0 || n > end - pos) ? end : pos + n;
  }

  /** mstream_copy: a sub-stream of min(n, left) bytes; this stream moves past them. */
  MStream copy(int n) {
    int take = (n < 0 || n > end - pos) ? end - pos : n;
    MStream c = new MStream(b, pos, pos + take);
    pos += take;
    return c;
  }
}
