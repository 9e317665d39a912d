package io.routewatch.bgp.mrt;

import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.nlri.Nlri;

/**
 * What every route record of one MRT record shares (vantage point, time, source position), and the
 * last peer seen so consecutive BGP4MP / TABLE_DUMP records from one peer reuse one {@link
 * MrtPeer}. One mutable instance per decoder; the records built from it are immutable.
 */
final class RecordFrame {
  MrtPeer peer;
  private MrtRecord record;

  void start(MrtRecord r) {
    this.record = r;
  }

  MrtRecord record() {
    return record;
  }

  RouteRecord make(
      RouteRecord.Kind kind,
      Nlri nlri,
      int afi,
      int safi,
      PathAttributes attrs,
      Rfc7606Action action,
      boolean treatAsWithdraw,
      long originated) {
    MrtRecord r = record;
    return new RouteRecord(
        kind,
        peer,
        r.timestamp(),
        r.microseconds(),
        nlri,
        afi,
        safi,
        attrs,
        action,
        treatAsWithdraw,
        originated,
        0,
        0,
        r.type(),
        r.subtype(),
        r.recordNumber(),
        r.offset());
  }

  RouteRecord state(int afi, int oldState, int newState) {
    MrtRecord r = record;
    return new RouteRecord(
        RouteRecord.Kind.STATE,
        peer,
        r.timestamp(),
        r.microseconds(),
        null,
        afi,
        0,
        PathAttributes.EMPTY,
        Rfc7606Action.NONE,
        false,
        0,
        oldState,
        newState,
        r.type(),
        r.subtype(),
        r.recordNumber(),
        r.offset());
  }

  /**
   * Sets {@link #peer} from addresses in b, reusing the previous instance when nothing changed.
   *
   * @param localOff offset of the local address (same length as the peer's), or -1 when absent
   */
  void peer(byte[] b, int off, int len, long asn, int localOff, long localAsn) {
    MrtPeer p = peer;
    if (p != null
        && !p.hasBgpId()
        && p.sameAs(b, off, len, asn, localOff < 0 ? null : b, localOff, localAsn)) return;
    byte[] addr = java.util.Arrays.copyOfRange(b, off, off + len);
    byte[] local = localOff < 0 ? null : java.util.Arrays.copyOfRange(b, localOff, localOff + len);
    peer = new MrtPeer(addr, asn, MrtPeer.UNKNOWN, local, localAsn);
  }
}
