package io.routewatch.bgp.bmp;

import java.util.List;
import java.util.Optional;

/**
 * Peer Down Notification, RFC 7854 §4.9: per-peer header, reason (1), data depending on the reason.
 *
 * @param reason 1 local NOTIFICATION, 2 local without NOTIFICATION (FSM event code), 3 remote
 *     NOTIFICATION, 4 remote closed without data, 5 peer de-configured, 6 Loc-RIB local system
 *     closed with TLVs (RFC 9069 §5.3); others kept raw in {@code data}
 * @param notification the NOTIFICATION PDU for reasons 1 and 3
 * @param fsmEventCode the FSM event code for reason 2, else -1
 * @param tlvs information TLVs for reason 6 (e.g. VRF/Table name)
 * @param data bytes after the reason octet, as received
 */
public record PeerDownNotification(
    PerPeerHeader peer,
    int reason,
    Optional<BgpPdu> notification,
    int fsmEventCode,
    List<BmpTlv> tlvs,
    byte[] data)
    implements BmpMessage {

  public static final int LOCAL_NOTIFICATION = 1;
  public static final int LOCAL_NO_NOTIFICATION = 2;
  public static final int REMOTE_NOTIFICATION = 3;
  public static final int REMOTE_NO_DATA = 4;
  public static final int PEER_DECONFIGURED = 5;
  public static final int LOCAL_SYSTEM_CLOSED = 6;

  @Override
  public int typeCode() {
    return BmpMessageType.PEER_DOWN_NOTIFICATION.code();
  }

  static PeerDownNotification read(BmpCursor c) {
    PerPeerHeader peer = PerPeerHeader.read(c);
    int reason = c.u8("Peer Down reason");
    int dataStart = c.absolute();
    byte[] data = java.util.Arrays.copyOfRange(c.array(), dataStart, dataStart + c.remaining());
    Optional<BgpPdu> notification = Optional.empty();
    int fsm = -1;
    List<BmpTlv> tlvs = List.of();
    switch (reason) {
      case LOCAL_NOTIFICATION, REMOTE_NOTIFICATION -> {
        // RFC 7854 §4.9: "The BGP PDU ... is the NOTIFICATION message".
        BgpPdu pdu = BgpPdu.read(c, "Peer Down NOTIFICATION");
        if (pdu.type() != BgpPdu.NOTIFICATION) {
          throw c.fail(
              "Peer Down reason "
                  + reason
                  + " carries BGP type "
                  + pdu.type()
                  + ", not NOTIFICATION (RFC 7854 §4.9)");
        }
        notification = Optional.of(pdu);
      }
      case LOCAL_NO_NOTIFICATION -> fsm = c.u16("Peer Down FSM event code (RFC 7854 §4.9)");
      case LOCAL_SYSTEM_CLOSED -> tlvs = BmpTlv.readAll(c, "Peer Down information");
      default -> {
        // 4, 5: no data (RFC 7854 §4.9); unknown reasons: data kept raw.
      }
    }
    return new PeerDownNotification(peer, reason, notification, fsm, tlvs, data);
  }
}
