package io.routewatch.bgp.mrt;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;

/**
 * Turns framed MRT records into {@link RouteRecord}s, one record at a time. Stateful only for the
 * TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 §4.3.1) and the last peer seen; not thread-safe. Use it
 * directly when records come from somewhere other than {@link MrtReader}; otherwise {@link
 * MrtRouteReader} drives it and does the error reporting.
 *
 * <p>Covers TABLE_DUMP, TABLE_DUMP_V2 (PEER_INDEX_TABLE, RIB_IPV4/IPV6 unicast/multicast,
 * RIB_GENERIC for IPv4/IPv6 unicast/multicast, RFC 8050 add-path), BGP4MP / BGP4MP_ET (MESSAGE*,
 * STATE_CHANGE*, *_LOCAL, *_ADDPATH) and type 5 (BGP_UPDATE, BGP_STATE_CHANGE). Records that carry
 * no routes (OPEN, KEEPALIVE, NOTIFICATION, type 5 SYNC…) yield nothing; records of types or
 * subtypes not covered (BGP4MP_ENTRY, OSPF, ISIS…) throw.
 */
public final class MrtRouteDecoder {
  private final RecordFrame frame = new RecordFrame();
  private final Bgp4mpRoutes bgp4mp = new Bgp4mpRoutes();
  private PeerIndexTable peerIndex;

  /** The latest PEER_INDEX_TABLE, or null before the first. */
  public PeerIndexTable peerIndex() {
    return peerIndex;
  }

  /**
   * Decodes r into sink. A DecodeException thrown from here means nothing of r reached the sink
   * except for TABLE_DUMP_V2 records, whose entries are emitted as they are read; damage found
   * after the first entry goes to {@code problems} instead (entry dropped, the record goes on where
   * it can), as do UPDATEs whose NLRI were partly unreadable (RFC 7606 AFI/SAFI disable) or that
   * were decoded after a repair.
   */
  public void decode(MrtRecord r, RouteRecordSink sink, Problems problems) {
    frame.start(r);
    switch (r.type()) {
      case MrtType.TABLE_DUMP_V2 -> {
        if (r.subtype() == MrtType.PEER_INDEX_TABLE) {
          peerIndex = PeerIndexTable.decode(r);
          sink.peerIndex(peerIndex);
        } else {
          RibRoutes.tableDumpV2(frame, peerIndex, sink, problems);
        }
      }
      case MrtType.TABLE_DUMP -> RibRoutes.tableDump(frame, sink);
      case MrtType.BGP4MP, MrtType.BGP4MP_ET -> bgp4mp.bgp4mp(frame, sink, problems);
      case MrtType.BGP -> bgp4mp.legacy(frame, sink, problems);
        // An undefined type code is not quoted: it may be bytes 4-5 of a file that is not MRT.
      default ->
          throw Bgp4mpRoutes.bad(
              r,
              (MrtType.isDefined(r.type())
                      ? "MRT type " + r.type()
                      : "an MRT type RFC 6396 does not define")
                  + " carries no routes this decoder reads (RFC 6396 §4)",
              0);
    }
  }

  /** Decodes r; partial damage and repairs are thrown like any other error (strict). */
  public void decode(MrtRecord r, RouteRecordSink sink) {
    decode(
        r,
        sink,
        (e, outcome) -> {
          throw e;
        });
  }

  /** Where record-level problems that do not stop the record go. */
  @FunctionalInterface
  public interface Problems {
    void report(DecodeException e, DecodeProblem.Outcome outcome);
  }
}
