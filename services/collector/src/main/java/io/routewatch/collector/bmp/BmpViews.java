package io.routewatch.collector.bmp;

import com.google.protobuf.ByteString;
import io.routewatch.bgp.bmp.PerPeerHeader;
import io.routewatch.proto.v1.VantagePoint;

/**
 * The vantage point a Route Monitoring message belongs to. One monitored peer can be reported in
 * several RIB views (pre-/post-policy Adj-RIB-In, RFC 8671 Adj-RIB-Out, RFC 9069 Loc-RIB) and under
 * route distinguishers; each view is its own VP so they never overwrite each other. The default
 * view (pre-policy Adj-RIB-In, global instance) keeps the plain router name as collector.
 */
final class BmpViews {
  private BmpViews() {}

  static String suffix(PerPeerHeader h) {
    StringBuilder s = new StringBuilder();
    if (h.peerType() == PerPeerHeader.TYPE_RD_INSTANCE
        || h.peerType() == PerPeerHeader.TYPE_LOCAL_INSTANCE) {
      s.append("/rd-").append(Long.toUnsignedString(h.distinguisher()));
    }
    if (h.locRib()) {
      s.append("/loc-rib");
    } else if (h.adjRibOut()) {
      s.append(h.postPolicy() ? "/adj-rib-out-post" : "/adj-rib-out-pre");
    } else if (h.postPolicy()) {
      s.append("/post-policy");
    }
    return s.toString();
  }

  static VantagePoint vp(String router, PerPeerHeader h) {
    return VantagePoint.newBuilder()
        .setCollector(router + suffix(h))
        .setPeerAddress(ByteString.copyFrom(h.address().getAddress()))
        .setPeerAsn((int) h.asn())
        .setPeerBgpId((int) h.bgpId())
        .build();
  }
}
