package io.routewatch.bgp.bmp;

/** BMP message types, RFC 7854 §4.1 (IANA "BMP Message Types"). */
public enum BmpMessageType {
  ROUTE_MONITORING(0),
  STATISTICS_REPORT(1),
  PEER_DOWN_NOTIFICATION(2),
  PEER_UP_NOTIFICATION(3),
  INITIATION(4),
  TERMINATION(5),
  ROUTE_MIRRORING(6);

  private final int code;

  BmpMessageType(int code) {
    this.code = code;
  }

  /** The type code on the wire. */
  public int code() {
    return code;
  }

  /** The type for a code, or {@code null} for codes this library does not know. */
  public static BmpMessageType of(int code) {
    return code >= 0 && code < VALUES.length ? VALUES[code] : null;
  }

  /** Whether messages of this type start with a per-peer header (RFC 7854 §4.2). */
  public boolean hasPerPeerHeader() {
    return this != INITIATION && this != TERMINATION;
  }

  private static final BmpMessageType[] VALUES = values();
}
