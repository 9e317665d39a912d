package io.routewatch.state.snapshot;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reader of the primitives {@link ByteSink} writes. Every count is checked against
 * the bytes left before anything is allocated, so a corrupt length cannot ask for gigabytes; every
 * failure is a {@link SnapshotException} naming the byte offset.
 */
final class ByteCursor {
  private final ByteBuffer b;
  private final String name;

  ByteCursor(ByteBuffer b, String name) {
    this.b = b.order(ByteOrder.LITTLE_ENDIAN);
    this.name = name;
  }

  int offset() {
    return b.position();
  }

  SnapshotException error(String what) {
    return new SnapshotException(name + " at byte " + b.position() + ": " + what);
  }

  private void need(int n) throws SnapshotException {
    if (b.remaining() < n) {
      throw error("truncated (need " + n + " bytes, " + b.remaining() + " left)");
    }
  }

  int u8() throws SnapshotException {
    need(1);
    return b.get() & 0xff;
  }

  boolean bool() throws SnapshotException {
    int v = u8();
    if (v > 1) {
      throw error("boolean " + v);
    }
    return v == 1;
  }

  int u32() throws SnapshotException {
    need(4);
    return b.getInt();
  }

  long u64() throws SnapshotException {
    need(8);
    return b.getLong();
  }

  double f64() throws SnapshotException {
    return Double.longBitsToDouble(u64());
  }

  long varlong() throws SnapshotException {
    long v = 0;
    try {
      for (int shift = 0; shift < 64; shift += 7) {
        byte x = b.get();
        v |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          return v;
        }
      }
    } catch (BufferUnderflowException e) {
      throw error("truncated varint");
    }
    throw error("varint longer than 10 bytes");
  }

  int varint() throws SnapshotException {
    long v = varlong();
    if ((v >>> 32) != 0) {
      throw error("32-bit value out of range: " + v);
    }
    return (int) v;
  }

  long zigzag() throws SnapshotException {
    long v = varlong();
    return (v >>> 1) ^ -(v & 1);
  }

  /** A count of items of at least {@code minBytes} each: must fit in what is left. */
  int count(int minBytes) throws SnapshotException {
    int n = varint();
    if (n < 0 || (long) n * minBytes > b.remaining()) {
      throw error("count " + Integer.toUnsignedString(n) + " exceeds the bytes left");
    }
    return n;
  }

  /** An index that must be below {@code limit}. */
  int index(int limit, String what) throws SnapshotException {
    int v = varint();
    if (v < 0 || v >= limit) {
      throw error(what + " " + Integer.toUnsignedString(v) + " outside 0.." + (limit - 1));
    }
    return v;
  }

  byte[] bytes() throws SnapshotException {
    int n = count(1);
    byte[] a = new byte[n];
    b.get(a);
    return a;
  }

  String string() throws SnapshotException {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  int[] ints() throws SnapshotException {
    int n = count(1);
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = varint();
    }
    return a;
  }
}
