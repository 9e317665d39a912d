package io.routewatch.bgp.text;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;

/** bgpdump -m lines for BGP4MP / BGP4MP_ET records. */
final class Bgp4mpText {
  private Bgp4mpText() {}

  static void stateChange(MrtRecord r, TextBuffer out, int asnLen, byte[] ip) {
    MStream s = new MStream(r.body(), 0, r.length());
    long peerAs = asnLen == 4 ? s.getl() & 0xffffffffL : s.getw();
    if (asnLen == 4) s.getl();
    else s.getw();
    boolean v6 = false;
    java.util.Arrays.fill(ip, (byte) 0);
    int len = r.length();
    if (len == 8) {
      // Zebra wrote 8-byte state changes without interface/AFI/addresses (bgpdump works around it).
    } else {
      s.getw(); // interface index
      int afi = s.getw();
      if (afi == 1) {
        if (len != 20 && len != 24) throw bad(r, "STATE_CHANGE length " + len + " for IPv4");
        s.get(ip, 0, 4);
        s.getl();
      } else if (afi == 2) {
        if (len != 44 && len != 48) throw bad(r, "STATE_CHANGE length " + len + " for IPv6");
        v6 = true;
        s.get(ip, 0, 16);
        s.skip(16);
      } else {
        throw bad(r, "STATE_CHANGE unknown AFI " + afi);
      }
    }
    int oldState = s.getw();
    int newState = s.getw();
    out.ascii(r.type() == MrtType.BGP4MP_ET ? "BGP4MP_ET|" : "BGP4MP|");
    BgpdumpFormatter.time(r, out);
    out.ascii("|STATE|");
    if (v6) out.ipv6(ip, 0);
    else out.ipv4(ip, 0);
    out.ch('|').num(peerAs).ch('|').num(oldState).ch('|').num(newState).ch('\n');
  }

  static DecodeException bad(MrtRecord r, String what) {
    return DecodeException.at(
        what + " (" + MrtType.name(r.type(), r.subtype()) + ")", r.body(), 0, Rfc7606Action.NONE);
  }

  static void message(BgpdumpFormatter f, MrtRecord r, TextBuffer out, byte[] peerIp) {
    int st = r.subtype();
    int asnLen = MrtType.bgp4mpAs4(st) ? 4 : 2;
    boolean addPath = MrtType.bgp4mpAddPath(st);
    boolean local = MrtType.bgp4mpLocal(st);
    MStream s = new MStream(r.body(), 0, r.length());
    // RFC 6396 §4.4.2: peer AS, local AS, interface, AFI, peer IP, local IP (same order for
    // *_LOCAL).
    long peerAs = asnLen == 4 ? s.getl() & 0xffffffffL : s.getw();
    if (asnLen == 4) s.getl();
    else s.getw();
    int ifIndex = s.getw();
    int afi = s.getw();
    java.util.Arrays.fill(peerIp, (byte) 0);
    boolean v6;
    if (afi == 1) {
      s.get(peerIp, 0, 4);
      s.getl();
      v6 = false;
    } else if (afi == 2) {
      s.get(peerIp, 0, 16);
      s.skip(16);
      v6 = true;
    } else if (afi == 0xFFFF && ifIndex == 0xFFFF) {
      // Old Zebra OPEN records lack interface/AFI/addresses; the 4 bytes read are marker bytes.
      s.pos -= 4;
      v6 = false;
    } else {
      throw bad(r, "BGP4MP unsupported AFI " + afi);
    }
    // RFC 4271 §4.1: 16-byte all-ones marker, 2-byte length, 1-byte type.
    for (int i = 0; i < 16; i++) {
      if (s.getc() != 0xff) throw bad(r, "BGP message marker not all ones (RFC 4271 §4.1)");
    }
    int size = s.getw();
    MStream msg = s.copy(size - 18);
    int type = msg.getc();
    switch (type) {
      case 2 -> {}
      case 1, 3, 4, 5, 128 -> {
        return;
      } // OPEN, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH: no -m output
      default -> throw bad(r, "BGP message type " + type + " not printed by bgpdump");
    }
    BgpdumpAttrs a = f.attrs();
    PrefixList w = f.withdrawn();
    PrefixList n = f.announced();
    w.reset();
    n.reset();
    MStream ws = msg.copy(msg.getw());
    w.read(ws, 4, addPath);
    a.parse(msg, asnLen, addPath);
    n.read(msg, 4, addPath);

    String fmt = format(r.type() == MrtType.BGP4MP_ET, local, addPath);
    Line line = new Line(r, out, fmt, peerIp, v6, peerAs, addPath);
    for (int i = 0; i < w.count; i++) line.withdraw(w, i, false);
    for (int afiI = 1; afiI <= 2; afiI++) {
      for (int safi = 1; safi <= 3; safi++) {
        PrefixList l = a.withdraw[afiI][safi];
        if (!l.present) continue;
        for (int i = 0; i < l.count; i++) line.withdraw(l, i, afiI == 2);
      }
    }
    for (int i = 0; i < n.count; i++) line.announce(a, n, i, false, a.nexthop, null, false);
    for (int afiI = 1; afiI <= 2; afiI++) {
      for (int safi = 1; safi <= 3; safi++) {
        PrefixList l = a.announce[afiI][safi];
        if (!l.present) continue;
        int nh = io.routewatch.bgp.wire.ByteReader.getInt(l.nexthop, 0);
        for (int i = 0; i < l.count; i++)
          line.announce(a, l, i, afiI == 2, nh, l.nexthop, afiI == 1);
      }
    }
  }

  /** bgpdump HEAD's get_bgp4mp_format names. */
  private static String format(boolean et, boolean local, boolean addPath) {
    StringBuilder sb = new StringBuilder(et ? "BGP4MP_ET" : "BGP4MP");
    if (local) sb.append("_LOCAL");
    if (addPath) sb.append("_AP");
    return sb.append('|').toString();
  }

  /** One UPDATE's shared line prefix data. */
  private record Line(
      MrtRecord r,
      TextBuffer out,
      String fmt,
      byte[] peerIp,
      boolean v6,
      long peerAs,
      boolean addPath) {
    void head(char kind) {
      out.ascii(fmt);
      BgpdumpFormatter.time(r, out);
      out.ch('|').ch(kind).ch('|');
      if (v6) out.ipv6(peerIp, 0);
      else out.ipv4(peerIp, 0);
      out.ch('|').num(peerAs).ch('|');
    }

    void prefix(PrefixList l, int i, boolean pv6) {
      if (pv6) out.ipv6(l.addr, i * 16);
      else out.ipv4(l.addr, i * 16);
      out.ch('/').num(l.len[i]);
    }

    void withdraw(PrefixList l, int i, boolean pv6) {
      head('W');
      prefix(l, i, pv6);
      if (addPath) out.ch('|').num(l.pathId[i]);
      out.ch('\n');
    }

    void announce(
        BgpdumpAttrs a, PrefixList l, int i, boolean pv6, int nh4, byte[] nh6, boolean signed) {
      head('A');
      prefix(l, i, pv6);
      out.ch('|');
      if (addPath) out.num(l.pathId[i]).ch('|');
      a.asPath.writeTo(out);
      out.ch('|');
      BgpdumpFormatter.origin(a, out);
      out.ch('|');
      if (pv6) out.ipv6(nh6, 0);
      else out.ipv4(nh4);
      out.ch('|');
      BgpdumpFormatter.prefMedCommAgg(a, out, signed);
    }
  }
}
