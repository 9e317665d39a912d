package io.routewatch.bgp.bmp;

/**
 * BMP common header, RFC 7854 §4.1: version (1), message length (4, including this header), message
 * type (1).
 */
public record BmpCommonHeader(int version, long length, int type) {
  /** Header size in bytes. */
  public static final int LENGTH = 6;

  /** The only version this library decodes (RFC 7854 §4.1; 1 and 2 were drafts). */
  public static final int VERSION = 3;

  /**
   * BMPv4 of draft-ietf-grow-bmp-tlv keeps the same common header (so it can be framed) but changes
   * message bodies; the decoder reports it as unsupported.
   */
  public static final int VERSION_4_DRAFT = 4;

  /** Reads the header at {@code b[off]}; {@code b} must hold at least 6 bytes from there. */
  public static BmpCommonHeader read(byte[] b, int off) {
    long len =
        ((b[off + 1] & 0xffL) << 24)
            | ((b[off + 2] & 0xff) << 16)
            | ((b[off + 3] & 0xff) << 8)
            | (b[off + 4] & 0xff);
    return new BmpCommonHeader(b[off] & 0xff, len, b[off + 5] & 0xff);
  }

  /** The known message type, or {@code null}. */
  public BmpMessageType messageType() {
    return BmpMessageType.of(type);
  }
}
