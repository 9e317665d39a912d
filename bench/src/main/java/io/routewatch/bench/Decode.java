package io.routewatch.bench;

import io.routewatch.bgp.attr.AttributeDecoder;
import io.routewatch.bgp.attr.DecodeContext;
import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.message.Update;
import io.routewatch.bgp.mrt.Bgp4mpMessage;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;
import io.routewatch.bgp.wire.ByteReader;

/**
 * Decode-only walk (no text): frames every record and decodes every BGP message and every RIB
 * entry's path attributes with the typed decoders, counting records and routes (one route = one RIB
 * entry, or one announced/withdrawn prefix of an UPDATE; the unit of bgpdump's lines).
 */
final class Decode {
  long records;
  long routes;
  long errors;

  /** Keeps the JIT from dropping decoded values. */
  long sink;

  void all(MrtReader reader) {
    for (MrtRecord r : reader) {
      records++;
      try {
        record(r);
      } catch (DecodeException e) {
        errors++;
      }
    }
  }

  private void record(MrtRecord r) {
    switch (r.type()) {
      case MrtType.BGP4MP, MrtType.BGP4MP_ET -> {
        if (!MrtType.isBgp4mpMessage(r.subtype())) return;
        BgpMessage m = Bgp4mpMessage.of(r).message();
        if (m instanceof Update u) {
          routes += u.announced().size() + u.allWithdrawn().size();
          sink += u.attributes().all().size();
        }
      }
      case MrtType.TABLE_DUMP_V2 -> rib(r);
      case MrtType.TABLE_DUMP -> tableDump(r);
      default -> {}
    }
  }

  /** RFC 6396 §4.3.2 / RFC 8050 §4: RIB_* records, all entries. */
  private void rib(MrtRecord r) {
    int st = r.subtype();
    if (st < MrtType.RIB_IPV4_UNICAST
        || st > MrtType.RIB_IPV6_MULTICAST_ADDPATH
        || st == 6
        || st == 7) return;
    boolean addPath = MrtType.ribAddPath(st);
    byte[] b = r.body();
    ByteReader in = new ByteReader(b);
    in.u32(); // sequence number
    int plen = in.u8();
    in.skip((plen + 7) >>> 3);
    int entries = in.u16();
    DecodeContext ctx = DecodeContext.RIB;
    for (int i = 0; i < entries; i++) {
      in.u16(); // peer index
      in.u32(); // originated time
      if (addPath) in.u32(); // path identifier
      int len = in.u16();
      PathAttributes a = AttributeDecoder.decode(b, in.position(), len, ctx);
      in.skip(len);
      sink += a.all().size();
      routes++;
    }
  }

  /** RFC 6396 §4.2: one entry per record. */
  private void tableDump(MrtRecord r) {
    int st = r.subtype();
    boolean v6 = st == MrtType.TD_AFI_IPV6 || st == MrtType.TD_AFI_IPV6_AS4;
    boolean as4 = st == MrtType.TD_AFI_IPV4_AS4 || st == MrtType.TD_AFI_IPV6_AS4;
    ByteReader in = new ByteReader(r.body());
    in.skip(4 + (v6 ? 16 : 4) + 1 + 1 + 4 + (v6 ? 16 : 4) + (as4 ? 4 : 2));
    int len = in.u16();
    PathAttributes a =
        AttributeDecoder.decode(
            r.body(), in.position(), len, as4 ? DecodeContext.AS4 : DecodeContext.AS2);
    sink += a.all().size();
    routes++;
  }
}
