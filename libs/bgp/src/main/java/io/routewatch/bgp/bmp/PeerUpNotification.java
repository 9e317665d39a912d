package io.routewatch.bgp.bmp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Peer Up Notification, RFC 7854 §4.10: per-peer header, local address (16), local port (2), remote
 * port (2), the OPEN the monitored router sent, the OPEN it received, then optional information
 * TLVs (RFC 9069 §5.2.1 adds VRF/Table Name). For a Loc-RIB peer (RFC 9069 §5.2) the address and
 * ports are zero and the OPENs are fabricated by the router.
 */
public record PeerUpNotification(
    PerPeerHeader peer,
    InetAddress localAddress,
    int localPort,
    int remotePort,
    BgpPdu sentOpen,
    BgpPdu receivedOpen,
    List<BmpTlv> information)
    implements BmpMessage {

  @Override
  public int typeCode() {
    return BmpMessageType.PEER_UP_NOTIFICATION.code();
  }

  /** The VRF/Table Name TLV (RFC 9069 §5.2.1) as text, or {@code null}. */
  public String tableName() {
    for (BmpTlv t : information) {
      if (t.type() == BmpTlv.VRF_TABLE_NAME) {
        return t.text();
      }
    }
    return null;
  }

  static PeerUpNotification read(BmpCursor c) {
    PerPeerHeader peer = PerPeerHeader.read(c);
    byte[] local = c.bytes(16, "Peer Up local address");
    int localPort = c.u16("Peer Up local port");
    int remotePort = c.u16("Peer Up remote port");
    BgpPdu sent = BgpPdu.read(c, "Peer Up sent OPEN");
    BgpPdu received = BgpPdu.read(c, "Peer Up received OPEN");
    // RFC 7854 §4.10: both are "the full OPEN message".
    if (sent.type() != BgpPdu.OPEN || received.type() != BgpPdu.OPEN) {
      throw c.fail(
          "Peer Up carries BGP types "
              + sent.type()
              + "/"
              + received.type()
              + " where OPENs are required (RFC 7854 §4.10)");
    }
    List<BmpTlv> info = BmpTlv.readAll(c, "Peer Up information");
    InetAddress addr;
    try {
      // Like the peer address, an IPv4 local address uses the last 4 bytes when V is clear.
      addr =
          peer.ipv6()
              ? InetAddress.getByAddress(local)
              : InetAddress.getByAddress(Arrays.copyOfRange(local, 12, 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return new PeerUpNotification(peer, addr, localPort, remotePort, sent, received, info);
  }
}
