package io.routewatch.bgp.bmp;

/**
 * Decodes one framed BMP message (RFC 7854 §4) into a {@link BmpMessage}. Pure: no state, no I/O.
 * Bad input raises {@link BmpException} with a {@link BmpError} (action {@link
 * BmpError.Action#SKIP_MESSAGE}: the frame was sound, the session can go on); nothing else escapes.
 *
 * <p>The returned message keeps references into {@code b} (BGP PDUs are slices); callers must not
 * modify the array afterwards. {@link BmpFramer} hands out a fresh array per message.
 */
public final class BmpMessageDecoder {
  private BmpMessageDecoder() {}

  /** Decodes the whole array as one message. */
  public static BmpMessage decode(byte[] message) {
    return decode(message, 0, message.length);
  }

  /** Decodes {@code b[off, off+len)} as one message, common header included. */
  public static BmpMessage decode(byte[] b, int off, int len) {
    if (off < 0 || len < 0 || off + len > b.length || off + len < 0) {
      throw new IllegalArgumentException(
          "slice " + off + "+" + len + " outside array of " + b.length);
    }
    BmpCursor c = new BmpCursor(b, off, len);
    c.need(BmpCommonHeader.LENGTH, "BMP common header");
    BmpCommonHeader h = BmpCommonHeader.read(b, off);
    // RFC 7854 §4.1: only version 3 is defined (4 is draft-ietf-grow-bmp-tlv, not decoded).
    if (h.version() != BmpCommonHeader.VERSION) {
      throw c.fail("unsupported BMP version " + h.version() + " (RFC 7854 §4.1)");
    }
    // RFC 7854 §4.1: message length counts the common header and must match the frame.
    if (h.length() != len) {
      throw c.fail(
          "BMP length field "
              + h.length()
              + " does not match the "
              + len
              + "-byte frame (RFC 7854 §4.1)");
    }
    c.skip(BmpCommonHeader.LENGTH, "BMP common header");
    BmpMessageType type = h.messageType();
    if (type == null) {
      return new UnknownBmpMessage(h.type(), c.bytes(c.remaining(), "unknown message body"));
    }
    return switch (type) {
      case ROUTE_MONITORING -> RouteMonitoring.read(c);
      case STATISTICS_REPORT -> StatisticsReport.read(c);
      case PEER_DOWN_NOTIFICATION -> PeerDownNotification.read(c);
      case PEER_UP_NOTIFICATION -> PeerUpNotification.read(c);
      case INITIATION -> Initiation.read(c);
      case TERMINATION -> Termination.read(c);
      case ROUTE_MIRRORING -> RouteMirroring.read(c);
    };
  }
}
