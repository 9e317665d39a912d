package io.routewatch.bgp.bmp;

/**
 * A decoded BMP message (RFC 7854 §4). Each kind is an immutable record; BGP messages inside stay
 * as {@link BgpPdu} slices of the message bytes.
 */
public sealed interface BmpMessage
    permits RouteMonitoring,
        StatisticsReport,
        PeerDownNotification,
        PeerUpNotification,
        Initiation,
        Termination,
        RouteMirroring,
        UnknownBmpMessage {

  /** The message type code (RFC 7854 §4.1). */
  int typeCode();

  /** The per-peer header, or {@code null} for Initiation, Termination and unknown types. */
  default PerPeerHeader peer() {
    return null;
  }
}
