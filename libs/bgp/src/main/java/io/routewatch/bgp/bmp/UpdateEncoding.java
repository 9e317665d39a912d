package io.routewatch.bgp.bmp;

import io.routewatch.bgp.attr.DecodeContext;
import io.routewatch.bgp.message.SessionContext;
import java.util.Set;

/**
 * How the UPDATE inside a Route Monitoring message is encoded: the session context a BGP decoder
 * needs (RFC 7854 §4.10: derived from the OPENs of the matching Peer Up).
 *
 * @param fourOctetAs AS_PATH / AGGREGATOR carry 4-byte ASNs (RFC 6793)
 * @param addPath families whose NLRI carry a 4-byte path identifier (RFC 7911)
 * @param fromPeerUp true when derived from a Peer Up of this session; false when guessed from the
 *     per-peer header alone (no Peer Up seen, e.g. a capture that starts mid-session)
 */
public record UpdateEncoding(
    boolean fourOctetAs, Set<OpenCapabilities.Family> addPath, boolean fromPeerUp) {

  /** Whether NLRI of this family carry path identifiers. */
  public boolean addPath(int afi, int safi) {
    return addPath.contains(new OpenCapabilities.Family(afi, safi));
  }

  /**
   * The {@link SessionContext} for {@code message.BgpMessageDecoder}. Extended messages are
   * allowed: BMP carries whatever the session negotiated (RFC 8654), and the BMP length already
   * framed it.
   */
  public SessionContext sessionContext() {
    DecodeContext.AddPath ap = addPath.isEmpty() ? DecodeContext.AddPath.NONE : this::addPath;
    return new SessionContext(fourOctetAs, ap, true);
  }

  /**
   * The same encoding with the other AS width (for exporters whose A flag / OPENs do not match).
   */
  public UpdateEncoding otherAsWidth() {
    return new UpdateEncoding(!fourOctetAs, addPath, fromPeerUp);
  }
}
