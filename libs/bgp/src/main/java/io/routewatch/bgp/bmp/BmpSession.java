package io.routewatch.bgp.bmp;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * State of one BMP session (one TCP connection from one monitored router): the Initiation, and a
 * {@link BmpPeerContext} per monitored peer between its Peer Up and Peer Down, so Route Monitoring
 * UPDATEs can be decoded with the right 4-octet AS and add-path settings (RFC 7854 §4.10).
 *
 * <p>Feed every decoded message to {@link #accept}; ask {@link #encodingFor} before decoding an
 * UPDATE. Not thread-safe: one per connection.
 */
public final class BmpSession {
  private final Map<PeerKey, BmpPeerContext> peers = new HashMap<>();
  private Initiation initiation;
  private Termination termination;
  private long messages;
  private long routeMonitoringWithoutPeerUp;

  /**
   * Updates the state with a message and returns the peer context it refers to: the new one for a
   * Peer Up, the removed one for a Peer Down, the current one for other per-peer messages (empty
   * when no Peer Up was seen for that peer).
   */
  public Optional<BmpPeerContext> accept(BmpMessage m) {
    messages++;
    if (m instanceof PeerUpNotification up) {
      // RFC 7854 §4.10: a Peer Up for a peer already up replaces the old state (session reset
      // without a Peer Down being seen).
      BmpPeerContext ctx = BmpPeerContext.of(up);
      peers.put(ctx.key(), ctx);
      return Optional.of(ctx);
    }
    if (m instanceof PeerDownNotification down) {
      return Optional.ofNullable(peers.remove(down.peer().key()));
    }
    if (m instanceof Initiation init) {
      initiation = init;
      return Optional.empty();
    }
    if (m instanceof Termination term) {
      // RFC 7854 §4.5: the router closes the session after Termination; all peers are gone.
      termination = term;
      peers.clear();
      return Optional.empty();
    }
    PerPeerHeader h = m.peer();
    if (h == null) {
      return Optional.empty();
    }
    BmpPeerContext ctx = peers.get(h.key());
    if (ctx == null && m instanceof RouteMonitoring) {
      routeMonitoringWithoutPeerUp++;
    }
    return Optional.ofNullable(ctx);
  }

  /**
   * How UPDATEs under this per-peer header are encoded. Without a Peer Up for the peer the per-peer
   * header alone decides: Loc-RIB is 4-octet (RFC 9069 §5.4.1), otherwise the A flag does (RFC 7854
   * §4.2: clear means 4-byte AS_PATH); add-path cannot be known and is assumed off. Such a guess
   * ({@link UpdateEncoding#fromPeerUp()} false) is not reliable: real exporters send 2-byte
   * AS_PATHs with A clear (seen in the pmacct captures, even for Loc-RIB), so a decoder should try
   * the other AS width when the AS_PATH does not parse with the guessed one.
   */
  public UpdateEncoding encodingFor(PerPeerHeader h) {
    BmpPeerContext ctx = peers.get(h.key());
    if (ctx != null) {
      return ctx.encodingFor(h);
    }
    return new UpdateEncoding(h.locRib() || !h.legacyAsPath(), Set.of(), false);
  }

  /** The peer context, if the peer is up. */
  public Optional<BmpPeerContext> peer(PeerKey key) {
    return Optional.ofNullable(peers.get(key));
  }

  /** Peers currently up. */
  public Collection<BmpPeerContext> peers() {
    return List.copyOf(peers.values());
  }

  /** The Initiation message, if one arrived. */
  public Optional<Initiation> initiation() {
    return Optional.ofNullable(initiation);
  }

  /** The Termination message, if one arrived. */
  public Optional<Termination> termination() {
    return Optional.ofNullable(termination);
  }

  /** Messages accepted so far. */
  public long messages() {
    return messages;
  }

  /**
   * Route Monitoring messages for peers with no Peer Up in this session (a metric worth exporting).
   */
  public long routeMonitoringWithoutPeerUp() {
    return routeMonitoringWithoutPeerUp;
  }
}
