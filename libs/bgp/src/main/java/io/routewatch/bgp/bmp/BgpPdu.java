package io.routewatch.bgp.bmp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A BGP message carried inside a BMP message, kept as a slice of the BMP message bytes (no copy).
 * The slice covers the whole BGP message: 16-byte marker, 2-byte length, 1-byte type, body (RFC
 * 4271 §4.1). The backing array is never handed out for writing.
 */
public final class BgpPdu {
  /** BGP header size (RFC 4271 §4.1). */
  public static final int HEADER = 19;

  public static final int OPEN = 1;
  public static final int UPDATE = 2;
  public static final int NOTIFICATION = 3;
  public static final int KEEPALIVE = 4;
  public static final int ROUTE_REFRESH = 5;

  private final byte[] buf;
  private final int offset;
  private final int length;

  BgpPdu(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.offset = offset;
    this.length = length;
  }

  /**
   * Reads one BGP message at the cursor, checking the marker and the length field (RFC 4271 §4.1:
   * 19..4096, or up to 65535 with RFC 8654 extended messages).
   */
  static BgpPdu read(BmpCursor c, String field) {
    c.need(HEADER, field + " BGP header");
    byte[] b = c.array();
    int p = c.absolute();
    for (int i = 0; i < 16; i++) {
      if (b[p + i] != (byte) 0xff) {
        throw c.fail(field + ": BGP marker is not all ones (RFC 4271 §4.1)");
      }
    }
    int len = c.peekU16(16);
    if (len < HEADER) {
      throw c.fail(field + ": BGP length " + len + " below 19 (RFC 4271 §4.1)");
    }
    c.need(len, field + " BGP message of length " + len);
    c.skip(len, field);
    return new BgpPdu(b, p, len);
  }

  /** BGP message type (1 OPEN, 2 UPDATE, 3 NOTIFICATION, 4 KEEPALIVE, 5 ROUTE-REFRESH). */
  public int type() {
    return buf[offset + 18] & 0xff;
  }

  /** Length of the whole BGP message in bytes. */
  public int length() {
    return length;
  }

  /** Offset of the message within {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  /** A read-only view of the BGP message (position 0 = first marker byte). */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(buf, offset, length).slice().asReadOnlyBuffer();
  }

  /** A fresh copy of the BGP message bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(buf, offset, offset + length);
  }

  /** Byte {@code i} of the BGP message (0 = first marker byte). */
  public int byteAt(int i) {
    if (i < 0 || i >= length) {
      throw new IndexOutOfBoundsException(i);
    }
    return buf[offset + i] & 0xff;
  }

  /** Copies the message into {@code dst} at {@code dstOff}. */
  public void copyTo(byte[] dst, int dstOff) {
    System.arraycopy(buf, offset, dst, dstOff, length);
  }

  @Override
  public String toString() {
    return "BgpPdu[type=" + type() + ", length=" + length + "]";
  }
}
