package io.routewatch.bgp.bmp;

import java.util.List;

/**
 * Route Monitoring, RFC 7854 §4.6: per-peer header followed by one BGP UPDATE PDU. Bytes after the
 * UPDATE (e.g. draft-ietf-grow-bmp-tlv / path-marking TLVs some exporters add) are kept as TLVs
 * when they parse as such, otherwise ignored and flagged in {@code trailingBytes}.
 *
 * @param peer per-peer header (flags say pre/post-policy, Adj-RIB-In/Out, Loc-RIB, AS_PATH width)
 * @param update the BGP message (normally an UPDATE; {@link BgpPdu#type()} tells)
 * @param trailingTlvs TLVs found after the UPDATE
 * @param trailingBytes number of bytes after the UPDATE
 */
public record RouteMonitoring(
    PerPeerHeader peer, BgpPdu update, List<BmpTlv> trailingTlvs, int trailingBytes)
    implements BmpMessage {

  @Override
  public int typeCode() {
    return BmpMessageType.ROUTE_MONITORING.code();
  }

  /**
   * Decodes the UPDATE with the session's encoding ({@link BmpSession#encodingFor}); see {@link
   * BmpUpdate#decode}.
   */
  public BmpUpdate decodeUpdate(UpdateEncoding encoding) {
    return BmpUpdate.decode(this, encoding, false);
  }

  static RouteMonitoring read(BmpCursor c) {
    PerPeerHeader peer = PerPeerHeader.read(c);
    BgpPdu pdu = BgpPdu.read(c, "Route Monitoring UPDATE");
    int trailing = c.remaining();
    List<BmpTlv> tlvs = List.of();
    if (trailing > 0) {
      try {
        tlvs = BmpTlv.readAll(c, "Route Monitoring trailing");
      } catch (BmpException e) {
        tlvs = List.of();
      }
    }
    return new RouteMonitoring(peer, pdu, tlvs, trailing);
  }
}
