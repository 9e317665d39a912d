package io.routewatch.bgp.text;

import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;

/**
 * bgpdump -m lines for the deprecated MRT type 5 "BGP" (RFC 6396 appendix B.2.2): the BGP UPDATE
 * body follows the peer and local AS/IP without a BGP header. bgpdump's line for these omits the
 * "|" between MED and the communities ("...|0|08918:60 8918:1000|NAG||"); we print the same.
 */
final class Legacy {
  private Legacy() {}

  static void format(BgpdumpFormatter f, MrtRecord r, TextBuffer out) {
    int st = r.subtype();
    MStream s = new MStream(r.body(), 0, r.length());
    if (st == MrtType.BGP_STATE_CHANGE) {
      long as = s.getw();
      int ip = s.getl();
      int oldState = s.getw();
      int newState = s.getw();
      out.ascii("BGP|")
          .num(r.timestamp())
          .ascii("|STATE|")
          .ipv4(ip)
          .ch('|')
          .num(as)
          .ch('|')
          .num(oldState)
          .ch('|')
          .num(newState)
          .ch('\n');
      return;
    }
    if (st != MrtType.BGP_UPDATE) return; // OPEN, NOTIFY, KEEPALIVE, SYNC...: nothing in -m
    long srcAs = s.getw();
    int srcIp = s.getl();
    s.getw(); // local AS
    s.getl(); // local IP
    BgpdumpAttrs a = f.attrs();
    PrefixList w = f.withdrawn();
    PrefixList n = f.announced();
    w.reset();
    n.reset();
    MStream ws = s.copy(s.getw());
    w.read(ws, 4, false);
    a.parse(s, 2, false);
    n.read(s, 4, false);
    for (int i = 0; i < w.count; i++) {
      head(r, out, 'W', srcIp, srcAs);
      // bgpdump passes inet_ntoa() twice to one printf; its static buffer makes both print the
      // peer address, so type 5 withdrawals show the peer IP with the prefix length. Reproduced.
      out.ipv4(srcIp).ch('/').num(w.len[i]).ch('\n');
    }
    for (int i = 0; i < n.count; i++) {
      head(r, out, 'A', srcIp, srcAs);
      out.ipv4(n.addr, i * 16).ch('/').num(n.len[i]).ch('|');
      a.asPath.writeTo(out);
      out.ch('|');
      BgpdumpFormatter.origin(a, out);
      out.ch('|').ipv4(a.nexthop).ch('|');
      out.num(a.has(BgpdumpAttrs.LOCAL_PREF) ? a.localPref : 0).ch('|');
      out.num(a.has(BgpdumpAttrs.MED) ? a.med : 0);
      BgpdumpFormatter.commAgg(a, out);
    }
  }

  private static void head(MrtRecord r, TextBuffer out, char kind, int ip, long as) {
    out.ascii("BGP|").num(r.timestamp()).ch('|').ch(kind).ch('|').ipv4(ip).ch('|').num(as).ch('|');
  }
}
