package io.routewatch.bgp.mrt;

import io.routewatch.bgp.attr.AttributeDecoder;
import io.routewatch.bgp.attr.DecodeContext;
import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.nlri.Afi;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.bgp.nlri.Prefix;
import io.routewatch.bgp.nlri.Safi;
import io.routewatch.bgp.wire.ByteReader;

/**
 * RIB_ENTRY records from TABLE_DUMP (RFC 6396 §4.2, one entry per record; subtypes 3/4 are the
 * 4-byte-AS variants bgpdump also reads) and TABLE_DUMP_V2 RIB records (§4.3.2 AFI/SAFI-specific,
 * §4.3.3 RIB_GENERIC, RFC 8050 §4 add-path variants with a path id per entry).
 *
 * <p>TABLE_DUMP_V2 entries are framed by their attribute length, so a bad entry (unknown peer
 * index) is dropped alone and reported as partial; an entry overrunning the record ends the record.
 */
final class RibRoutes {
  private RibRoutes() {}

  static void tableDump(RecordFrame f, RouteRecordSink sink) {
    MrtRecord r = f.record();
    int st = r.subtype();
    if (st < MrtType.TD_AFI_IPV4 || st > MrtType.TD_AFI_IPV6_AS4)
      throw Bgp4mpRoutes.bad(r, "TABLE_DUMP subtype (RFC 6396 §4.2)", 0);
    Afi afi = st == MrtType.TD_AFI_IPV6 || st == MrtType.TD_AFI_IPV6_AS4 ? Afi.IPV6 : Afi.IPV4;
    boolean as4 = st >= MrtType.TD_AFI_IPV4_AS4;
    byte[] b = r.body();
    ByteReader in = new ByteReader(b);
    in.skip(4); // view number, sequence number
    int prefixOff = in.position();
    in.skip(afi.bytes);
    int plen = in.u8();
    in.u8(); // status (RFC 6396 §4.2: unused, 1)
    long originated = in.u32L();
    int peerOff = in.position();
    in.skip(afi.bytes);
    long peerAs = as4 ? in.u32L() : in.u16();
    int alen = in.u16();
    int aoff = in.position();
    in.skip(alen);
    Prefix p = prefix(r, afi, plen, b, prefixOff);
    f.peer(b, peerOff, afi.bytes, peerAs, -1, MrtPeer.UNKNOWN);
    PathAttributes attrs =
        AttributeDecoder.decode(b, aoff, alen, as4 ? DecodeContext.AS4 : DecodeContext.AS2);
    sink.route(
        f.make(
            RouteRecord.Kind.RIB_ENTRY,
            new Nlri(Nlri.NO_PATH_ID, p),
            afi.code,
            Safi.UNICAST,
            attrs,
            attrs.action(),
            false,
            originated));
  }

  static void tableDumpV2(
      RecordFrame f,
      PeerIndexTable peers,
      RouteRecordSink sink,
      MrtRouteDecoder.Problems problems) {
    MrtRecord r = f.record();
    int st = r.subtype();
    boolean addPath = MrtType.ribAddPath(st);
    int base = addPath ? st - 6 : st; // the RFC 8050 subtypes are the RFC 6396 ones + 6
    byte[] b = r.body();
    ByteReader in = new ByteReader(b);
    in.u32(); // sequence number
    int afiCode, safi;
    switch (base) {
      case MrtType.RIB_IPV4_UNICAST -> {
        afiCode = 1;
        safi = Safi.UNICAST;
      }
      case MrtType.RIB_IPV4_MULTICAST -> {
        afiCode = 1;
        safi = Safi.MULTICAST;
      }
      case MrtType.RIB_IPV6_UNICAST -> {
        afiCode = 2;
        safi = Safi.UNICAST;
      }
      case MrtType.RIB_IPV6_MULTICAST -> {
        afiCode = 2;
        safi = Safi.MULTICAST;
      }
      case MrtType.RIB_GENERIC -> {
        afiCode = in.u16();
        safi = in.u8();
      }
      default -> throw Bgp4mpRoutes.bad(r, "TABLE_DUMP_V2 subtype not decoded (RFC 6396 §4.3)", 0);
    }
    Afi afi = Afi.of(afiCode);
    if (afi == null || !Safi.supported(safi)) {
      throw Bgp4mpRoutes.bad(
          r, "RIB_GENERIC AFI " + afiCode + " SAFI " + safi + " not decoded (RFC 6396 §4.3.3)", 4);
    }
    int plen = in.u8();
    int prefixOff = in.position();
    in.skip((plen + 7) >>> 3);
    Prefix p = prefix(r, afi, plen, b, prefixOff);
    int entries = in.u16();
    if (peers == null)
      throw Bgp4mpRoutes.bad(
          r, "RIB record without a preceding PEER_INDEX_TABLE (RFC 6396 §4.3.1)", 0);
    Nlri shared = addPath ? null : new Nlri(Nlri.NO_PATH_ID, p);
    DecodeContext ctx = addPath ? DecodeContext.RIB_ADDPATH : DecodeContext.RIB;
    for (int i = 0; i < entries; i++) {
      int at = in.position();
      int peerIndex;
      long originated, pathId;
      int aoff, alen;
      try {
        // RFC 6396 §4.3.4: peer index, originated time, [RFC 8050 path id], attribute length,
        // attributes.
        peerIndex = in.u16();
        originated = in.u32L();
        pathId = addPath ? in.u32L() : Nlri.NO_PATH_ID;
        alen = in.u16();
        aoff = in.position();
        in.skip(alen);
      } catch (DecodeException e) {
        problems.report(
            DecodeException.at(
                "RIB entry "
                    + i
                    + " of "
                    + entries
                    + " overruns the record; "
                    + (entries - i)
                    + " entries dropped (RFC 6396 §4.3.4)",
                b,
                at,
                Rfc7606Action.NONE),
            DecodeProblem.Outcome.PARTIAL);
        return;
      }
      MrtPeer peer = peers.peer(peerIndex);
      if (peer == null) {
        problems.report(
            DecodeException.at(
                "RIB entry "
                    + i
                    + " peer index "
                    + peerIndex
                    + " >= "
                    + peers.peers().size()
                    + " peers; entry dropped (RFC 6396 §4.3.4)",
                b,
                at,
                Rfc7606Action.NONE),
            DecodeProblem.Outcome.PARTIAL);
        continue;
      }
      f.peer = peer;
      PathAttributes attrs = AttributeDecoder.decode(b, aoff, alen, ctx);
      Nlri n = shared != null ? shared : new Nlri(pathId, p);
      sink.route(
          f.make(
              RouteRecord.Kind.RIB_ENTRY,
              n,
              afiCode,
              safi,
              attrs,
              attrs.action(),
              false,
              originated));
    }
  }

  private static Prefix prefix(MrtRecord r, Afi afi, int plen, byte[] b, int off) {
    if (plen > afi.maxBits()) {
      throw DecodeException.at(
          "RIB prefix length " + plen + " > " + afi.maxBits() + " (RFC 6396 §4.3.2)",
          b,
          off - 1,
          Rfc7606Action.NONE);
    }
    return Prefix.fromWire(afi, plen, b, off);
  }
}
