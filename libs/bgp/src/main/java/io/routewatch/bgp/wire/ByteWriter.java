package io.routewatch.bgp.wire;

import java.util.Arrays;

/** Growable big-endian writer; {@link #patchU16} fills in length fields written before the body. */
public final class ByteWriter {
  private byte[] buf;
  private int size;

  public ByteWriter() {
    this(256);
  }

  public ByteWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int n) {
    if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
  }

  public ByteWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  public ByteWriter u16(int v) {
    ensure(2);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
    return this;
  }

  public ByteWriter u32(int v) {
    ensure(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
    return this;
  }

  public ByteWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public ByteWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  public void patchU16(int at, int v) {
    buf[at] = (byte) (v >>> 8);
    buf[at + 1] = (byte) v;
  }

  public void patchU32(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  /** Empties the writer, keeping its buffer. */
  public void reset() {
    size = 0;
  }

  /** Writes what was written so far to {@code out} (no copy). */
  public void writeTo(java.io.OutputStream out) throws java.io.IOException {
    out.write(buf, 0, size);
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
