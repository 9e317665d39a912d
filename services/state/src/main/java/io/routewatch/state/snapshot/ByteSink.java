package io.routewatch.state.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Buffered little-endian writer of snapshot primitives (fixed-width, LEB128 varints, zigzag,
 * length-prefixed strings) to a channel, keeping a CRC-32C of everything written.
 */
final class ByteSink {
  private final WritableByteChannel out;
  private final ByteBuffer buf =
      ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();
  private long written;

  ByteSink(WritableByteChannel out) {
    this.out = out;
  }

  private void room(int n) throws IOException {
    if (buf.remaining() < n) {
      flush();
    }
  }

  void flush() throws IOException {
    buf.flip();
    crc.update(buf.array(), 0, buf.limit());
    written += buf.limit();
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    buf.clear();
  }

  /** Bytes written so far (flushed or buffered). */
  long position() {
    return written + buf.position();
  }

  /** CRC-32C of everything written; call after {@link #flush()}. */
  int crc() {
    return (int) crc.getValue();
  }

  void u8(int v) throws IOException {
    room(1);
    buf.put((byte) v);
  }

  void bool(boolean v) throws IOException {
    u8(v ? 1 : 0);
  }

  void u32(int v) throws IOException {
    room(4);
    buf.putInt(v);
  }

  void u64(long v) throws IOException {
    room(8);
    buf.putLong(v);
  }

  void f64(double v) throws IOException {
    u64(Double.doubleToRawLongBits(v));
  }

  /** Unsigned LEB128 of a 64-bit value (1..10 bytes). */
  void varlong(long v) throws IOException {
    room(10);
    while ((v & ~0x7fL) != 0) {
      buf.put((byte) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    buf.put((byte) v);
  }

  /** An int read as unsigned 32-bit (ASNs, ids). */
  void varint(int v) throws IOException {
    varlong(v & 0xffffffffL);
  }

  /** Signed 64-bit, zigzag-encoded so small negatives (-1 = "none") stay short. */
  void zigzag(long v) throws IOException {
    varlong((v << 1) ^ (v >> 63));
  }

  void bytes(byte[] b) throws IOException {
    varint(b.length);
    raw(b, 0, b.length);
  }

  void raw(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      room(1);
      int n = Math.min(len, buf.remaining());
      buf.put(b, off, n);
      off += n;
      len -= n;
    }
  }

  void string(String s) throws IOException {
    bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  void ints(int[] a) throws IOException {
    varint(a.length);
    for (int v : a) {
      varint(v);
    }
  }
}
