package io.routewatch.bgp.bmp;

import java.util.HashSet;
import java.util.Set;

/**
 * What a BMP session knows about one monitored peer after its Peer Up (RFC 7854 §4.10): both OPENs'
 * capabilities and, from them, how the peer's UPDATEs are encoded in each direction.
 *
 * @param key the peer
 * @param peerUp the Peer Up that created this context
 * @param sent capabilities the monitored router sent ({@code null} if its OPEN was unreadable)
 * @param received capabilities the peer sent ({@code null} if unreadable)
 */
public record BmpPeerContext(
    PeerKey key, PeerUpNotification peerUp, OpenCapabilities sent, OpenCapabilities received) {

  /** Builds the context for a Peer Up; unreadable OPENs leave their side {@code null}. */
  public static BmpPeerContext of(PeerUpNotification up) {
    return new BmpPeerContext(
        up.peer().key(), up, capabilities(up.sentOpen()), capabilities(up.receivedOpen()));
  }

  private static OpenCapabilities capabilities(BgpPdu open) {
    try {
      return OpenCapabilities.read(open);
    } catch (BmpException e) {
      return null;
    }
  }

  /** RFC 6793 §4: 4-octet AS_PATHs are used only when both speakers advertise the capability. */
  public boolean fourOctetAs() {
    return sent != null && received != null && sent.fourOctetAs() && received.fourOctetAs();
  }

  /**
   * Families where the sender's UPDATEs carry path ids (RFC 7911 §5): the sender advertised Send
   * and the receiver Receive. {@code toPeer} true = the monitored router sending (Adj-RIB-Out),
   * false = the peer sending (Adj-RIB-In).
   */
  public Set<OpenCapabilities.Family> addPath(boolean toPeer) {
    Set<OpenCapabilities.Family> out = new HashSet<>();
    if (sent == null || received == null) {
      return Set.of();
    }
    OpenCapabilities sender = toPeer ? sent : received;
    OpenCapabilities receiver = toPeer ? received : sent;
    for (OpenCapabilities.Family f : sender.addPath().keySet()) {
      if (sender.addPath(f, OpenCapabilities.ADD_PATH_SEND)
          && receiver.addPath(f, OpenCapabilities.ADD_PATH_RECEIVE)) {
        out.add(f);
      }
    }
    return Set.copyOf(out);
  }

  /**
   * The encoding of UPDATEs reported under {@code h} for this peer:
   *
   * <ul>
   *   <li>Loc-RIB (RFC 9069 §5.4.1): always 4-octet AS; add-path wherever the fabricated OPEN
   *       carries the capability, whatever its send/receive bits (§5.2).
   *   <li>A flag set (RFC 7854 §4.2): legacy 2-byte AS_PATH.
   *   <li>Otherwise: 4-octet AS when both OPENs advertise it (RFC 7854 §4.10 with RFC 6793);
   *       add-path per family in the direction the routes travel (O flag, RFC 8671).
   * </ul>
   */
  public UpdateEncoding encodingFor(PerPeerHeader h) {
    if (h.locRib()) {
      OpenCapabilities o = sent != null ? sent : received;
      return new UpdateEncoding(
          true, o == null ? Set.of() : Set.copyOf(o.addPath().keySet()), true);
    }
    boolean four = !h.legacyAsPath() && fourOctetAs();
    return new UpdateEncoding(four, addPath(h.adjRibOut()), true);
  }
}
