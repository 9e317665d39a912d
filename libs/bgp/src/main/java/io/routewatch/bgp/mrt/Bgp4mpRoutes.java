package io.routewatch.bgp.mrt;

import io.routewatch.bgp.attr.DecodeContext;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.message.BgpMessageDecoder;
import io.routewatch.bgp.message.SessionContext;
import io.routewatch.bgp.message.Update;
import io.routewatch.bgp.wire.ByteReader;

/**
 * Route records from BGP4MP / BGP4MP_ET (RFC 6396 §4.4, RFC 8050 §3) and the deprecated type 5
 * "BGP" records (RFC 6396 appendix B.2.2). Messages other than UPDATE yield nothing.
 */
final class Bgp4mpRoutes {
  private static final byte[] ZERO4 = new byte[4];

  /** Decoders per (4-byte AS, add-path); MRT may hold RFC 8654 extended messages. */
  private final BgpMessageDecoder[] decoders = new BgpMessageDecoder[4];

  Bgp4mpRoutes() {
    for (int i = 0; i < 4; i++) {
      boolean as4 = (i & 1) != 0, ap = (i & 2) != 0;
      decoders[i] =
          new BgpMessageDecoder(
              new SessionContext(
                  as4, ap ? DecodeContext.AddPath.ALL : DecodeContext.AddPath.NONE, true));
    }
  }

  void bgp4mp(RecordFrame f, RouteRecordSink sink, MrtRouteDecoder.Problems problems) {
    MrtRecord r = f.record();
    int st = r.subtype();
    boolean state = st == MrtType.STATE_CHANGE || st == MrtType.STATE_CHANGE_AS4;
    if (!state && !MrtType.isBgp4mpMessage(st))
      throw bad(r, "BGP4MP subtype not decoded (RFC 6396 §4.4)", 0);
    boolean as4 = MrtType.bgp4mpAs4(st);
    byte[] b = r.body();
    ByteReader in = new ByteReader(b);
    // RFC 6396 §4.4.1/§4.4.2: peer AS, local AS, interface index, AFI, peer IP, local IP.
    long peerAs = as4 ? in.u32L() : in.u16();
    long localAs = as4 ? in.u32L() : in.u16();
    int afiPos = in.position() + 2;
    if (state && r.length() == (as4 ? 12 : 8)) {
      // Old Zebra wrote STATE_CHANGE without interface, AFI and addresses (bgpdump accepts it too).
      f.peer(ZERO4, 0, 4, peerAs, -1, localAs);
      sink.route(f.state(1, in.u16(), in.u16()));
      return;
    }
    int ifIndex = in.u16();
    int afi = in.u16();
    int alen;
    if (afi == 1 || afi == 2) {
      alen = afi == 1 ? 4 : 16;
      int peerOff = in.position();
      in.skip(2 * alen);
      f.peer(b, peerOff, alen, peerAs, peerOff + alen, localAs);
    } else if (!state && afi == 0xFFFF && ifIndex == 0xFFFF) {
      // Old Zebra OPEN records lack interface/AFI/addresses: these 4 bytes already belong to the
      // marker.
      in = new ByteReader(b, afiPos - 2, b.length - afiPos + 2);
      f.peer(ZERO4, 0, 4, peerAs, -1, localAs);
    } else {
      throw bad(r, "BGP4MP unsupported AFI " + afi + " (RFC 6396 §4.4)", afiPos);
    }
    if (state) {
      sink.route(f.state(afi, in.u16(), in.u16()));
      return;
    }
    int at = in.position();
    // RFC 4271 §4.1: the type byte follows the 16-byte marker and the 2-byte length.
    if (in.remaining() < 19 || (b[at + 18] & 0xff) != BgpMessage.UPDATE) return;
    boolean addPath = MrtType.bgp4mpAddPath(st);
    int which = (as4 ? 1 : 0) | (addPath ? 2 : 0);
    Update u;
    try {
      u = (Update) decoders[which].decode(b, at, in.remaining());
    } catch (DecodeException e) {
      u = addPath ? null : retryAddPath(which, b, at, in.remaining(), problems);
      if (u == null) throw e;
    }
    if (!addPath && lostNlri(u)) {
      Update retry = retryAddPath(which, b, at, in.remaining(), problems);
      if (retry != null) u = retry;
    }
    emit(u, f, sink, problems);
  }

  /**
   * BIRD (before 2.0.8) wrote add-path NLRI under the plain MESSAGE_AS4 subtype (RFC 8050 §3 wants
   * MESSAGE_AS4_ADDPATH). When an UPDATE does not parse without path ids, try once with them; a
   * clean result is used and reported as repaired, otherwise the original error stands.
   */
  private Update retryAddPath(
      int which, byte[] b, int at, int len, MrtRouteDecoder.Problems problems) {
    Update u;
    try {
      u = (Update) decoders[which | 2].decode(b, at, len);
    } catch (DecodeException e) {
      return null;
    }
    if (lostNlri(u) || u.action() != Rfc7606Action.NONE) return null;
    problems.report(
        DecodeException.at(
            "UPDATE NLRI only parse with RFC 7911 path ids although the MRT subtype has no add-path"
                + " (BIRD mrtdump); decoded with path ids",
            b,
            at,
            Rfc7606Action.NONE),
        DecodeProblem.Outcome.REPAIRED);
    return u;
  }

  /** RFC 7606 §7.11/§7.12 AFI/SAFI disable or worse: some NLRI could not be read at all. */
  private static boolean lostNlri(Update u) {
    return u.action().compareTo(Rfc7606Action.AFI_SAFI_DISABLE) >= 0;
  }

  private static void emit(
      Update u, RecordFrame f, RouteRecordSink sink, MrtRouteDecoder.Problems problems) {
    if (lostNlri(u)) {
      problems.report(
          new DecodeException(
              "UPDATE "
                  + u.action()
                  + ": "
                  + String.join("; ", u.errors())
                  + "; routes of the"
                  + " unreadable attribute are lost",
              -1,
              -1,
              null,
              u.action()),
          DecodeProblem.Outcome.PARTIAL);
    }
    UpdateRoutes.emit(u, f, sink);
  }

  /** Type 5: BGP_UPDATE and BGP_STATE_CHANGE carry routes / state; the other subtypes nothing. */
  void legacy(RecordFrame f, RouteRecordSink sink, MrtRouteDecoder.Problems problems) {
    MrtRecord r = f.record();
    byte[] b = r.body();
    ByteReader in = new ByteReader(b);
    switch (r.subtype()) {
      case MrtType.BGP_STATE_CHANGE -> {
        // RFC 6396 B.2.2: peer AS, peer IP, old state, new state.
        long as = in.u16();
        in.skip(4);
        f.peer(b, 2, 4, as, -1, MrtPeer.UNKNOWN);
        sink.route(f.state(1, in.u16(), in.u16()));
      }
      case MrtType.BGP_UPDATE -> {
        // RFC 6396 B.2.2: source AS + IP, destination AS + IP, then the UPDATE without its header;
        // 2-byte ASes.
        long as = in.u16();
        in.skip(4);
        long localAs = in.u16();
        in.skip(4);
        f.peer(b, 2, 4, as, 8, localAs);
        emit(BgpMessageDecoder.update(in, DecodeContext.AS2), f, sink, problems);
      }
      default -> {}
    }
  }

  static DecodeException bad(MrtRecord r, String what, int at) {
    // type/subtype quoted only for a type RFC 6396 defines (else they may be bytes of a non-MRT
    // file)
    String kind =
        MrtType.isDefined(r.type()) ? " (" + MrtType.name(r.type(), r.subtype()) + ")" : "";
    return DecodeException.at(what + kind, r.body(), at, Rfc7606Action.NONE);
  }
}
