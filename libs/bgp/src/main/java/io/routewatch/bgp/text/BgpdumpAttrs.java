package io.routewatch.bgp.text;

/**
 * The path attributes of one record as bgpdump 1.6 sees them, filled in one pass over the wire
 * bytes into reusable fields (no allocation per record once warmed up). It mirrors bgpdump's
 * process_attributes so that quirks carry over: fields read past a short attribute are zero,
 * AGGREGATOR is read with the session's AS width whatever its length, and AS4_PATH / AS4_AGGREGATOR
 * are merged the way bgpdump merges them (see {@link AsPathText}).
 */
final class BgpdumpAttrs {
  static final int ORIGIN = 1,
      AS_PATH = 2,
      NEXT_HOP = 3,
      MED = 4,
      LOCAL_PREF = 5,
      ATOMIC_AGGREGATE = 6,
      AGGREGATOR = 7,
      COMMUNITIES = 8,
      MP_REACH = 14,
      MP_UNREACH = 15,
      AS4_PATH = 17,
      AS4_AGGREGATOR = 18;
  static final int INADDR_NONE = -1;
  static final int AS_TRANS = 23456;

  long flags;
  int origin;
  int nexthop;
  long med;
  long localPref;
  long aggregatorAs;
  int aggregatorAddr;
  long as4AggregatorAs;
  int as4AggregatorAddr;
  // AS_PATH / AS4_PATH as slices of the record body
  byte[] body;
  int asPathOff = -1, asPathLen;
  int as4PathOff = -1, as4PathLen;
  int commOff = -1, commLen;
  final AsPathText asPath = new AsPathText();
  // MP lists indexed [afi 1..2][safi 1..3] (bgpdump's mp_info)
  final PrefixList[][] announce = new PrefixList[3][4];
  final PrefixList[][] withdraw = new PrefixList[3][4];

  BgpdumpAttrs() {
    for (int a = 0; a < 3; a++) {
      for (int s = 0; s < 4; s++) {
        announce[a][s] = new PrefixList();
        withdraw[a][s] = new PrefixList();
      }
    }
  }

  boolean has(int type) {
    return (flags & (1L << type)) != 0;
  }

  /** process_attributes: a 2-byte total length then attributes, then the AS4 transition. */
  void parse(MStream s, int asnLen, boolean addPath) {
    reset(s.b);
    int total = s.getw();
    MStream attrs = s.copy(total);
    while (attrs.left() > 0) parseOne(attrs, asnLen, addPath);
    asPath.build(body, asPathOff, asPathLen, asnLen, has(AS_PATH));
    if (asnLen == 2) as4Transition();
  }

  private void reset(byte[] b) {
    body = b;
    flags = 0;
    origin = -1;
    nexthop = INADDR_NONE;
    med = 0;
    localPref = 0;
    aggregatorAs = -1;
    aggregatorAddr = INADDR_NONE;
    as4AggregatorAs = -1;
    as4AggregatorAddr = INADDR_NONE;
    asPathOff = -1;
    as4PathOff = -1;
    commOff = -1;
    for (int a = 0; a < 3; a++) {
      for (int x = 0; x < 4; x++) {
        if (announce[a][x].present) announce[a][x].reset();
        if (withdraw[a][x].present) withdraw[a][x].reset();
      }
    }
  }

  private void parseOne(MStream outer, int asnLen, boolean addPath) {
    int flag = outer.getc();
    int type = outer.getc();
    int len = (flag & 0x10) != 0 ? outer.getw() : outer.getc(); // RFC 4271 §4.3 extended length bit
    MStream s = outer.copy(len);
    if (s.left() != len) return; // truncated attribute: bgpdump warns and ignores it
    if (type >= 1 && type <= 32) flags |= 1L << type;
    switch (type) {
      case ORIGIN -> origin = s.getc();
      case AS_PATH -> {
        asPathOff = s.pos;
        asPathLen = len;
      }
      case NEXT_HOP -> nexthop = s.getl();
      case MED -> med = s.getl() & 0xffffffffL;
      case LOCAL_PREF -> localPref = s.getl() & 0xffffffffL;
      case AGGREGATOR -> {
        aggregatorAs = asnLen == 2 ? s.getw() : s.getl() & 0xffffffffL;
        aggregatorAddr = s.getl();
      }
      case COMMUNITIES -> {
        commOff = s.pos;
        commLen = len;
      }
      case AS4_PATH -> {
        as4PathOff = s.pos;
        as4PathLen = len;
      }
      case AS4_AGGREGATOR -> {
        as4AggregatorAs = s.getl() & 0xffffffffL;
        as4AggregatorAddr = s.getl();
      }
      case MP_REACH -> mpReach(s, addPath);
      case MP_UNREACH -> mpUnreach(s, addPath);
      default -> {}
    }
  }

  private void mpReach(MStream s, boolean addPath) {
    // RFC 6396 §4.3.4: TABLE_DUMP_V2 abbreviates MP_REACH_NLRI to next-hop length + next hop.
    // bgpdump tells the forms apart by the first byte (an AFI's high byte is 0).
    int first = s.pos < s.b.length ? s.b[s.pos] & 0xff : 0;
    if (first != 0) {
      PrefixList l = announce[2][1];
      if (!l.present) {
        l.present = true;
        nexthop(s, 2, l);
      }
      return;
    }
    int afi = s.getw();
    int safi = s.getc();
    if (afi > 2 || safi > 3) return;
    PrefixList l = announce[afi][safi];
    if (l.present) return;
    l.present = true;
    nexthop(s, afi, l);
    int snpa = s.getc();
    for (; snpa > 0; snpa--) s.skip(s.getc());
    l.read(s, afi == 2 ? 16 : 4, addPath);
  }

  private static void nexthop(MStream s, int afi, PrefixList l) {
    l.nexthopLen = s.getc();
    if (afi == 1) {
      s.get(l.nexthop, 0, 4);
      return;
    }
    s.get(l.nexthop, 0, 16);
    if (l.nexthopLen == 32) s.get(l.nexthopLocal, 0, 16);
  }

  private void mpUnreach(MStream s, boolean addPath) {
    int afi = s.getw();
    int safi = s.getc();
    if (afi > 2 || safi > 3) return;
    PrefixList l = withdraw[afi][safi];
    if (l.present) return;
    l.present = true;
    l.read(s, afi == 2 ? 16 : 4, addPath);
  }

  /** bgpdump's process_asn32_trans for 2-byte-AS input (RFC 6793 §4.2.3). */
  private void as4Transition() {
    if (has(AGGREGATOR) && has(AS4_AGGREGATOR)) {
      // RFC 6793 §4.2.3: an AGGREGATOR other than AS_TRANS means AS4_AGGREGATOR and AS4_PATH are
      // ignored.
      if (aggregatorAs != AS_TRANS) return;
      aggregatorAs = as4AggregatorAs;
      aggregatorAddr = as4AggregatorAddr;
    }
    if (!has(AS4_PATH) || asPathOff < 0) return;
    asPath.mergeAs4(body, as4PathOff, as4PathLen);
  }

  boolean atomicAggregate() {
    return has(ATOMIC_AGGREGATE);
  }

  /** bgpdump's community string (" a:b no-export ..."), without the leading space. */
  void communities(TextBuffer out) {
    int start = out.size();
    int n = commLen / 4;
    for (int i = 0; i < n; i++) {
      int v = io.routewatch.bgp.wire.ByteReader.getInt(body, commOff + 4 * i);
      int mark = out.size();
      if (i > 0) out.ch(' ');
      switch (v) {
        case 0xFFFFFF01 -> out.ascii("no-export");
        case 0xFFFFFF02 -> out.ascii("no-advertise");
        case 0xFFFFFF03 -> out.ascii("local-AS");
        default -> out.num((v >>> 16) & 0xffff).ch(':').num(v & 0xffff);
      }
      if (out.size() - start >= 8190) { // bgpdump builds the string in a BUFSIZ (8192) buffer
        out.truncate(mark);
        break;
      }
    }
  }
}
