package io.routewatch.bgp.bmp;

import java.util.List;

/**
 * Termination, RFC 7854 §4.5: TLVs (0 string, 1 reason: 0 administratively closed, 1 unspecified, 2
 * out of resources, 3 redundant connection, 4 permanently administratively closed). The monitored
 * router closes the connection after sending it.
 */
public record Termination(List<BmpTlv> information) implements BmpMessage {

  @Override
  public int typeCode() {
    return BmpMessageType.TERMINATION.code();
  }

  /** The reason code, or -1 when absent. */
  public int reason() {
    for (BmpTlv t : information) {
      if (t.type() == BmpTlv.TERMINATION_REASON) {
        return t.code();
      }
    }
    return -1;
  }

  static Termination read(BmpCursor c) {
    return new Termination(BmpTlv.readAll(c, "Termination information"));
  }
}
