package io.routewatch.bgp.bmp;

import java.util.ArrayList;
import java.util.List;

/**
 * Route Mirroring, RFC 7854 §4.7: per-peer header then TLVs: type 0 a BGP message (possibly
 * errored, so kept raw), type 1 information (0 errored PDU, 1 messages lost).
 */
public record RouteMirroring(PerPeerHeader peer, List<BmpTlv> tlvs) implements BmpMessage {

  @Override
  public int typeCode() {
    return BmpMessageType.ROUTE_MIRRORING.code();
  }

  /** The raw bytes of the mirrored BGP messages (TLV type 0), in order. */
  public List<byte[]> bgpMessages() {
    List<byte[]> out = new ArrayList<>();
    for (BmpTlv t : tlvs) {
      if (t.type() == BmpTlv.MIRROR_BGP_MESSAGE) {
        out.add(t.value().clone());
      }
    }
    return out;
  }

  static RouteMirroring read(BmpCursor c) {
    PerPeerHeader peer = PerPeerHeader.read(c);
    return new RouteMirroring(peer, BmpTlv.readAll(c, "Route Mirroring"));
  }
}
