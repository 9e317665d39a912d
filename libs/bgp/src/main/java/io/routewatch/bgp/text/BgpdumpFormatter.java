package io.routewatch.bgp.text;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;
import io.routewatch.bgp.wire.ByteReader;

/**
 * Writes the lines {@code bgpdump -m} (1.6.2) prints for an MRT record, straight into a byte
 * buffer. Stateful only for the TABLE_DUMP_V2 peer index. Field order and quirks follow bgpdump:
 * see docs/codec.md for the list and for the few places where we deliberately differ.
 *
 * <p>Returns normally for records bgpdump prints nothing for (OPEN, KEEPALIVE, multicast RIBs…);
 * throws {@link DecodeException} for records it cannot decode, after rolling back any partial
 * output of that record.
 */
public final class BgpdumpFormatter {
  private final BgpdumpAttrs attrs = new BgpdumpAttrs();
  private final PrefixList withdrawn = new PrefixList();
  private final PrefixList announced = new PrefixList();
  private final BgpdumpPeers peers = new BgpdumpPeers();
  private final byte[] ip16 = new byte[16];
  private final byte[] ip16b = new byte[16];

  /** Appends the lines for r to out. */
  public void format(MrtRecord r, TextBuffer out) {
    int mark = out.size();
    try {
      switch (r.type()) {
        case MrtType.BGP -> Legacy.format(this, r, out);
        case MrtType.TABLE_DUMP -> tableDump(r, out);
        case MrtType.TABLE_DUMP_V2 -> tableDumpV2(r, out);
        case MrtType.BGP4MP, MrtType.BGP4MP_ET -> bgp4mp(r, out);
        default -> throw unsupported(r, "unknown MRT type " + r.type());
      }
    } catch (DecodeException e) {
      out.truncate(mark);
      throw e;
    }
  }

  static DecodeException unsupported(MrtRecord r, String what) {
    return new DecodeException(
        what + " (" + MrtType.name(r.type(), r.subtype()) + ")",
        -1,
        0,
        new byte[0],
        Rfc7606Action.NONE);
  }

  BgpdumpAttrs attrs() {
    return attrs;
  }

  PrefixList withdrawn() {
    return withdrawn;
  }

  PrefixList announced() {
    return announced;
  }

  static void time(MrtRecord r, TextBuffer out) {
    out.num(r.timestamp());
    if (r.type() == MrtType.BGP4MP_ET)
      out.ch('.').numPad(Integer.toUnsignedLong(r.microseconds()), 6);
  }

  // ---- TABLE_DUMP (RFC 6396 §4.2) ----
  private void tableDump(MrtRecord r, TextBuffer out) {
    int st = r.subtype();
    if (st < 1 || st > 4) throw unsupported(r, "TABLE_DUMP subtype");
    boolean v6 = st == 2 || st == 4;
    MStream s = new MStream(r.body(), 0, r.length());
    s.getw(); // view
    s.getw(); // sequence
    byte[] prefix = ip16;
    s.get(prefix, 0, v6 ? 16 : 4);
    int mask = s.getc();
    s.getc(); // status
    s.getl(); // originated
    byte[] peer = ip16b;
    s.get(peer, 0, v6 ? 16 : 4);
    long peerAs = (st == 3 || st == 4) ? s.getl() & 0xffffffffL : s.getw();
    attrs.parse(s, (st == 3 || st == 4) ? 4 : 2, false);
    out.ascii("TABLE_DUMP|");
    time(r, out);
    out.ascii("|B|");
    // bgpdump formats IPv6 only for subtype 2; for subtype 4 it prints the first 4 bytes as IPv4.
    if (st == 2) out.ipv6(peer, 0);
    else out.ipv4(peer, 0);
    out.ch('|').num(peerAs).ch('|');
    if (st == 2) out.ipv6(prefix, 0);
    else out.ipv4(prefix, 0);
    out.ch('/').num(mask).ch('|');
    ribTail(out, true);
  }

  /** "aspath|origin|nexthop|pref|med|communities|AG|aggregator|" for RIB lines. */
  private void ribTail(TextBuffer out, boolean flagPath) {
    BgpdumpAttrs a = attrs;
    if (flagPath) a.asPath.writeTo(out);
    else a.asPath.writeIfParsed(out);
    out.ch('|');
    origin(a, out);
    out.ch('|');
    PrefixList mp6 = a.announce[2][1];
    if (a.has(BgpdumpAttrs.MP_REACH) && mp6.present) out.ipv6(mp6.nexthop, 0);
    else out.ipv4(a.nexthop);
    out.ch('|');
    prefMedCommAgg(a, out, false);
  }

  static void origin(BgpdumpAttrs a, TextBuffer out) {
    out.ascii(a.origin == 0 ? "IGP" : a.origin == 1 ? "EGP" : "INCOMPLETE");
  }

  /** "pref|med|comm|AG|agg|\n"; signed=true reproduces the "%d" of table_line_announce_1. */
  static void prefMedCommAgg(BgpdumpAttrs a, TextBuffer out, boolean signed) {
    long pref = a.has(BgpdumpAttrs.LOCAL_PREF) ? a.localPref : 0;
    long med = a.has(BgpdumpAttrs.MED) ? a.med : 0;
    if (signed) {
      pref = (int) pref;
      med = (int) med;
    }
    out.num(pref).ch('|').num(med).ch('|');
    commAgg(a, out);
  }

  static void commAgg(BgpdumpAttrs a, TextBuffer out) {
    if (a.has(BgpdumpAttrs.COMMUNITIES)) a.communities(out);
    out.ch('|').ascii(a.atomicAggregate() ? "AG" : "NAG").ch('|');
    if (a.aggregatorAddr != BgpdumpAttrs.INADDR_NONE)
      out.num(a.aggregatorAs).ch(' ').ipv4(a.aggregatorAddr);
    out.ch('|').ch('\n');
  }

  // ---- TABLE_DUMP_V2 (RFC 6396 §4.3, RFC 8050 §4) ----
  private void tableDumpV2(MrtRecord r, TextBuffer out) {
    int st = r.subtype();
    if (st == MrtType.PEER_INDEX_TABLE) {
      peers.load(r);
      return;
    }
    boolean v4 = st == MrtType.RIB_IPV4_UNICAST || st == MrtType.RIB_IPV4_UNICAST_ADDPATH;
    boolean v6 = st == MrtType.RIB_IPV6_UNICAST || st == MrtType.RIB_IPV6_UNICAST_ADDPATH;
    if (!v4 && !v6) {
      if (st >= 2 && st <= 12 && st != 7)
        return; // multicast / generic RIBs: decoded, not printed by bgpdump
      throw unsupported(r, "TABLE_DUMP_V2 subtype");
    }
    boolean addPath = MrtType.ribAddPath(st);
    ByteReader hdr = new ByteReader(r.body());
    hdr.u32(); // sequence
    int plen = hdr.u8();
    int max = v4 ? 32 : 128;
    if (plen > max)
      throw DecodeException.at(
          "RIB prefix length " + plen + " > " + max + " (RFC 6396 §4.3.2)",
          r.body(),
          4,
          Rfc7606Action.NONE);
    int pbytes = (plen + 7) >>> 3;
    byte[] prefix = ip16;
    java.util.Arrays.fill(prefix, (byte) 0);
    System.arraycopy(r.body(), hdr.position(), prefix, 0, Math.min(pbytes, hdr.remaining()));
    hdr.skip(pbytes);
    int entries = hdr.u16();
    if (!peers.loaded())
      throw DecodeException.at(
          "RIB record without a preceding PEER_INDEX_TABLE (RFC 6396 §4.3.1)",
          r.body(),
          0,
          Rfc7606Action.NONE);
    MStream s = new MStream(r.body(), hdr.position(), r.length());
    for (int i = 0; i < entries; i++) {
      if (s.left() < 8)
        throw DecodeException.at(
            "truncated RIB entry " + i + " of " + entries, r.body(), s.pos, Rfc7606Action.NONE);
      int peerIndex = s.getw();
      s.getl(); // originated time; bgpdump -m prints the dump time ("-t dump")
      long pathId = addPath ? s.getl() & 0xffffffffL : 0;
      if (peerIndex >= peers.count())
        throw DecodeException.at(
            "RIB entry peer index " + peerIndex + " >= " + peers.count() + " peers",
            r.body(),
            s.pos - 6,
            Rfc7606Action.NONE);
      attrs.parse(s, 4, addPath);
      out.ascii(addPath ? "TABLE_DUMP2_AP|" : "TABLE_DUMP2|");
      time(r, out);
      out.ascii("|B|");
      peers.writeIp(peerIndex, out);
      out.ch('|').num(peers.as(peerIndex)).ch('|');
      if (v4) out.ipv4(prefix, 0);
      else out.ipv6(prefix, 0);
      out.ch('/').num(plen).ch('|');
      if (addPath) out.num(pathId).ch('|');
      ribTail(out, false);
    }
  }

  // ---- BGP4MP / BGP4MP_ET (RFC 6396 §4.4, RFC 8050 §3) ----
  private void bgp4mp(MrtRecord r, TextBuffer out) {
    int st = r.subtype();
    if (st == MrtType.STATE_CHANGE || st == MrtType.STATE_CHANGE_AS4) {
      Bgp4mpText.stateChange(r, out, st == MrtType.STATE_CHANGE_AS4 ? 4 : 2, ip16);
      return;
    }
    if (!MrtType.isBgp4mpMessage(st)) throw unsupported(r, "BGP4MP subtype");
    Bgp4mpText.message(this, r, out, ip16);
  }
}
