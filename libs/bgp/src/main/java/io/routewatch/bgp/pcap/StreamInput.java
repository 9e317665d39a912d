package io.routewatch.bgp.pcap;

import java.io.IOException;
import java.io.InputStream;

/** Exact reads from an input stream; package-private helper of the capture readers. */
final class StreamInput {
  private StreamInput() {}

  /**
   * Reads exactly {@code n} bytes; returns {@code null} if the stream is at its end before the
   * first byte, throws {@link java.io.EOFException} if it ends part-way.
   */
  static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(b, got, n - got);
      if (r < 0) {
        if (got == 0) {
          return null;
        }
        throw new java.io.EOFException("stream ended after " + got + " of " + n + " bytes");
      }
      got += r;
    }
    return b;
  }

  static int u16(byte[] b, int off, boolean bigEndian) {
    return bigEndian
        ? ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff)
        : ((b[off + 1] & 0xff) << 8) | (b[off] & 0xff);
  }

  static long u32(byte[] b, int off, boolean bigEndian) {
    long v =
        bigEndian
            ? ((b[off] & 0xffL) << 24)
                | ((b[off + 1] & 0xff) << 16)
                | ((b[off + 2] & 0xff) << 8)
                | (b[off + 3] & 0xff)
            : ((b[off + 3] & 0xffL) << 24)
                | ((b[off + 2] & 0xff) << 16)
                | ((b[off + 1] & 0xff) << 8)
                | (b[off] & 0xff);
    return v;
  }
}
