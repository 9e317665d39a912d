package io.routewatch.bgp.bmp;

import java.util.List;

/**
 * Initiation, RFC 7854 §4.3: information TLVs only (§4.4: 0 string, 1 sysDescr, 2 sysName; the RFC
 * requires sysDescr and sysName but exporters omit them, so they are not enforced).
 */
public record Initiation(List<BmpTlv> information) implements BmpMessage {

  @Override
  public int typeCode() {
    return BmpMessageType.INITIATION.code();
  }

  /** sysName (type 2) or {@code null}. */
  public String sysName() {
    return text(BmpTlv.SYS_NAME);
  }

  /** sysDescr (type 1) or {@code null}. */
  public String sysDescr() {
    return text(BmpTlv.SYS_DESCR);
  }

  private String text(int type) {
    for (BmpTlv t : information) {
      if (t.type() == type) {
        return t.text();
      }
    }
    return null;
  }

  static Initiation read(BmpCursor c) {
    return new Initiation(BmpTlv.readAll(c, "Initiation information"));
  }
}
