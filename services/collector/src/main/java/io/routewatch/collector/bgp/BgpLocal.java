package io.routewatch.collector.bgp;

import io.routewatch.bgp.message.Capability;
import io.routewatch.bgp.message.Open;
import io.routewatch.bgp.nlri.IpText;
import java.util.List;

/**
 * Our side of every session: AS, BGP identifier, offered hold time, and the OPEN we send. The
 * collector announces nothing, so it offers only what helps it receive: MP-BGP IPv4/IPv6 unicast
 * (RFC 4760), route refresh (RFC 2918), extended messages (RFC 8654), graceful restart as a
 * receiver with no families of its own (RFC 4724 §3), 4-octet AS (RFC 6793), add-path receive for
 * both families (RFC 7911 §4, Send/Receive = 1).
 */
public record BgpLocal(long asn, int bgpId, int holdSeconds) {
  public static final int AS_TRANS = 23456;

  public static BgpLocal of(long asn, String routerId, int holdSeconds) {
    byte[] b = IpText.parse(routerId);
    if (b == null || b.length != 4) {
      throw new IllegalArgumentException("router-id must be a dotted quad: " + routerId);
    }
    int id = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    // RFC 4271 §4.2: hold time 0 or at least 3 seconds.
    int hold = holdSeconds == 0 ? 0 : Math.max(3, holdSeconds);
    return new BgpLocal(asn, id, hold);
  }

  public Open open() {
    List<Capability> caps =
        List.of(
            Capability.multiprotocol(1, 1),
            Capability.multiprotocol(2, 1),
            new Capability(Capability.ROUTE_REFRESH, new byte[0]),
            new Capability(Capability.EXTENDED_MESSAGE, new byte[0]),
            new Capability(Capability.GRACEFUL_RESTART, new byte[] {0, 0}),
            Capability.fourOctetAs(asn),
            new Capability(Capability.ADD_PATH, new byte[] {0, 1, 1, 1, 0, 2, 1, 1}));
    int myAs = asn > 0xffff ? AS_TRANS : (int) asn;
    return new Open(4, myAs, holdSeconds, bgpId, caps, List.of(), false);
  }
}
