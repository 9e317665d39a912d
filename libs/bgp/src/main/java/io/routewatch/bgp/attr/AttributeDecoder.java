package io.routewatch.bgp.attr;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.nlri.Afi;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.bgp.nlri.NlriReader;
import io.routewatch.bgp.nlri.Safi;
import io.routewatch.bgp.wire.ByteReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a path attribute field in one tight pass. Each malformed attribute yields an RFC 7606
 * decision recorded on the result; only errors that make the field unparseable end the pass.
 */
public final class AttributeDecoder {
  private AttributeDecoder() {}

  public static PathAttributes decode(byte[] buf, int off, int len, DecodeContext ctx) {
    List<PathAttribute> out = new ArrayList<>(12);
    List<String> errors = new ArrayList<>(0);
    Rfc7606Action action = Rfc7606Action.NONE;
    long seen = 0; // types 0..63 already present
    ByteReader r = new ByteReader(buf, off, len);
    while (r.hasRemaining()) {
      int start = r.position();
      if (r.remaining() < 3) {
        // RFC 7606 §4: a header that does not fit is a malformed attribute list ->
        // treat-as-withdraw.
        errors.add("attribute header truncated at " + start + " (RFC 7606 §4)");
        action = action.max(Rfc7606Action.TREAT_AS_WITHDRAW);
        break;
      }
      int flags = r.u8();
      int type = r.u8();
      boolean ext = (flags & PathAttribute.FLAG_EXTENDED) != 0;
      if (ext && r.remaining() < 2) {
        errors.add("attribute length truncated (RFC 7606 §4)");
        action = action.max(Rfc7606Action.TREAT_AS_WITHDRAW);
        break;
      }
      int alen = ext ? r.u16() : r.u8();
      if (alen > r.remaining()) {
        // RFC 7606 §4: attribute length exceeding the field -> treat-as-withdraw.
        errors.add(
            "attribute type "
                + type
                + " length "
                + alen
                + " exceeds remaining "
                + r.remaining()
                + " (RFC 7606 §4)");
        action = action.max(Rfc7606Action.TREAT_AS_WITHDRAW);
        break;
      }
      int vOff = r.position();
      r.skip(alen);
      if (type < 64 && (seen & (1L << type)) != 0) {
        // RFC 7606 §3(g): repeated MP_(UN)REACH_NLRI -> session reset; others: discard the repeats.
        boolean mp = type == MpReachNlri.TYPE || type == MpUnreachNlri.TYPE;
        errors.add("duplicate attribute type " + type + " (RFC 7606 §3 g)");
        action = action.max(mp ? Rfc7606Action.SESSION_RESET : Rfc7606Action.ATTRIBUTE_DISCARD);
        out.add(new Simple.Unknown(type, flags, Arrays.copyOfRange(buf, vOff, vOff + alen)));
        continue;
      }
      if (type < 64) seen |= 1L << type;
      Rfc7606Action a;
      try {
        a = one(buf, vOff, alen, flags, type, ctx, out, errors);
      } catch (DecodeException e) {
        a = e.action();
        errors.add("attribute type " + type + ": " + e.what());
        out.add(new Simple.Unknown(type, flags, Arrays.copyOfRange(buf, vOff, vOff + alen)));
      }
      action = action.max(a);
    }
    return new PathAttributes(out, action, errors, ctx.as4());
  }

  private static Rfc7606Action bad(
      List<PathAttribute> out,
      List<String> errors,
      byte[] b,
      int off,
      int len,
      int flags,
      int type,
      String what,
      Rfc7606Action a) {
    errors.add(what);
    out.add(new Simple.Unknown(type, flags, Arrays.copyOfRange(b, off, off + len)));
    return a;
  }

  private static Rfc7606Action one(
      byte[] b,
      int off,
      int len,
      int flags,
      int type,
      DecodeContext ctx,
      List<PathAttribute> out,
      List<String> errors) {
    Rfc7606Action tw = Rfc7606Action.TREAT_AS_WITHDRAW;
    switch (type) {
      case Simple.Origin.TYPE -> {
        // RFC 7606 §7.1: length other than 1 or undefined value -> treat-as-withdraw.
        if (len != 1 || (b[off] & 0xff) > 2)
          return bad(out, errors, b, off, len, flags, type, "ORIGIN malformed (RFC 7606 §7.1)", tw);
        out.add(Simple.Origin.of(b[off] & 0xff, flags));
      }
      case AsPath.TYPE, AsPath.AS4_TYPE -> {
        int width = type == AsPath.AS4_TYPE || ctx.as4() ? 4 : 2;
        int[] segs = asPath(b, off, len, width);
        if (segs == null) {
          // RFC 7606 §7.2: malformed AS_PATH -> treat-as-withdraw; RFC 6793 §6: malformed AS4_PATH
          // -> discard.
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              (type == AsPath.TYPE
                  ? "AS_PATH malformed (RFC 7606 §7.2)"
                  : "AS4_PATH malformed (RFC 6793 §6)"),
              type == AsPath.TYPE ? tw : Rfc7606Action.ATTRIBUTE_DISCARD);
        }
        out.add(new AsPath(type, flags, segs));
      }
      case Simple.NextHop.TYPE -> {
        // RFC 7606 §7.3: length other than 4 -> treat-as-withdraw.
        if (len != 4)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "NEXT_HOP length " + len + " (RFC 7606 §7.3)",
              tw);
        out.add(new Simple.NextHop(ByteReader.getInt(b, off), flags));
      }
      case Simple.MultiExitDisc.TYPE -> {
        // RFC 7606 §7.4
        if (len != 4)
          return bad(
              out, errors, b, off, len, flags, type, "MED length " + len + " (RFC 7606 §7.4)", tw);
        out.add(new Simple.MultiExitDisc(ByteReader.getInt(b, off) & 0xffffffffL, flags));
      }
      case Simple.LocalPref.TYPE -> {
        // RFC 7606 §7.5
        if (len != 4)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "LOCAL_PREF length " + len + " (RFC 7606 §7.5)",
              tw);
        out.add(new Simple.LocalPref(ByteReader.getInt(b, off) & 0xffffffffL, flags));
      }
      case Simple.AtomicAggregate.TYPE -> {
        // RFC 7606 §7.6: non-zero length -> attribute discard.
        if (len != 0)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "ATOMIC_AGGREGATE length " + len + " (RFC 7606 §7.6)",
              Rfc7606Action.ATTRIBUTE_DISCARD);
        out.add(
            flags == 0x40 ? Simple.AtomicAggregate.STANDARD : new Simple.AtomicAggregate(flags));
      }
      case Simple.Aggregator.TYPE, Simple.Aggregator.AS4_TYPE -> {
        int want = type == Simple.Aggregator.AS4_TYPE || ctx.as4() ? 8 : 6;
        // RFC 7606 §7.7 / RFC 6793 §6: wrong length -> attribute discard.
        if (len != want)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "AGGREGATOR length " + len + " != " + want + " (RFC 7606 §7.7)",
              Rfc7606Action.ATTRIBUTE_DISCARD);
        long as = want == 8 ? ByteReader.getInt(b, off) & 0xffffffffL : ByteReader.getShort(b, off);
        out.add(new Simple.Aggregator(type, as, ByteReader.getInt(b, off + want - 4), flags));
      }
      case Simple.Communities.TYPE -> {
        // RFC 7606 §7.8: length not a non-zero multiple of 4 -> treat-as-withdraw.
        if (len == 0 || len % 4 != 0)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "COMMUNITIES length " + len + " (RFC 7606 §7.8)",
              tw);
        out.add(new Simple.Communities(ints(b, off, len / 4), flags));
      }
      case Simple.OriginatorId.TYPE -> {
        // RFC 7606 §7.9
        if (len != 4)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "ORIGINATOR_ID length " + len + " (RFC 7606 §7.9)",
              tw);
        out.add(new Simple.OriginatorId(ByteReader.getInt(b, off), flags));
      }
      case Simple.ClusterList.TYPE -> {
        // RFC 7606 §7.10
        if (len == 0 || len % 4 != 0)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "CLUSTER_LIST length " + len + " (RFC 7606 §7.10)",
              tw);
        out.add(new Simple.ClusterList(ints(b, off, len / 4), flags));
      }
      case Simple.ExtendedCommunities.TYPE -> {
        // RFC 7606 §7.14
        if (len % 8 != 0)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "EXTENDED_COMMUNITIES length " + len + " (RFC 7606 §7.14)",
              tw);
        long[] v = new long[len / 8];
        for (int i = 0; i < v.length; i++)
          v[i] =
              ((long) ByteReader.getInt(b, off + 8 * i) << 32)
                  | (ByteReader.getInt(b, off + 8 * i + 4) & 0xffffffffL);
        out.add(new Simple.ExtendedCommunities(v, flags));
      }
      case Simple.LargeCommunities.TYPE -> {
        // RFC 8092 §5: length not a non-zero multiple of 12 -> treat-as-withdraw.
        if (len == 0 || len % 12 != 0)
          return bad(
              out,
              errors,
              b,
              off,
              len,
              flags,
              type,
              "LARGE_COMMUNITIES length " + len + " (RFC 8092 §5)",
              tw);
        out.add(new Simple.LargeCommunities(ints(b, off, len / 4), flags));
      }
      case MpReachNlri.TYPE -> out.add(mpReach(b, off, len, flags, ctx));
      case MpUnreachNlri.TYPE -> out.add(mpUnreach(b, off, len, flags, ctx));
      default -> out.add(new Simple.Unknown(type, flags, Arrays.copyOfRange(b, off, off + len)));
    }
    return Rfc7606Action.NONE;
  }

  private static int[] ints(byte[] b, int off, int n) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) v[i] = ByteReader.getInt(b, off + 4 * i);
    return v;
  }

  /** [type, count, asn...]* or null when a segment is malformed (RFC 4271 §4.3, RFC 7606 §7.2). */
  static int[] asPath(byte[] b, int off, int len, int width) {
    int n = 0;
    for (int p = off, end = off + len; p < end; ) {
      if (end - p < 2) return null;
      int t = b[p] & 0xff, c = b[p + 1] & 0xff;
      if (t < 1 || t > 4 || c == 0 || p + 2 + c * width > end) return null;
      n += 2 + c;
      p += 2 + c * width;
    }
    int[] out = new int[n];
    int o = 0;
    for (int p = off, end = off + len; p < end; ) {
      int t = b[p] & 0xff, c = b[p + 1] & 0xff;
      out[o++] = t;
      out[o++] = c;
      for (int k = 0; k < c; k++)
        out[o++] =
            width == 4
                ? ByteReader.getInt(b, p + 2 + 4 * k)
                : ByteReader.getShort(b, p + 2 + 2 * k);
      p += 2 + c * width;
    }
    return out;
  }

  private static MpReachNlri mpReach(byte[] b, int off, int len, int flags, DecodeContext ctx) {
    ByteReader r = new ByteReader(b, off, len);
    if (ctx.mrtRib() && len > 0 && b[off] != 0) {
      // RFC 6396 §4.3.4: abbreviated form, next hop length + next hop only.
      int nhLen = r.u8();
      return new MpReachNlri(0, 0, r.bytes(nhLen), List.of(), null, true, flags);
    }
    try {
      int afi = r.u16(), safi = r.u8();
      int nhLen = r.u8();
      byte[] nh = r.bytes(nhLen);
      int snpa = r.u8();
      for (int i = 0; i < snpa; i++) r.skip(r.u8()); // RFC 4760 §3: reserved, formerly SNPAs
      Afi fam = Afi.of(afi);
      if (fam == null || !Safi.supported(safi))
        return new MpReachNlri(afi, safi, nh, List.of(), r.bytes(r.remaining()), false, flags);
      try {
        List<Nlri> nlri = NlriReader.readAll(r, fam, ctx.addPath().receive(afi, safi));
        return new MpReachNlri(afi, safi, nh, nlri, null, false, flags);
      } catch (DecodeException e) {
        // RFC 7606 §7.11: AFI/SAFI known -> "AFI/SAFI disable" (or session reset).
        throw DecodeException.at(
            "MP_REACH_NLRI NLRI malformed: " + e.what() + " (RFC 7606 §7.11)",
            b,
            (int) e.byteOffset(),
            Rfc7606Action.AFI_SAFI_DISABLE);
      }
    } catch (DecodeException e) {
      if (e.action() == Rfc7606Action.AFI_SAFI_DISABLE) throw e;
      throw DecodeException.at(
          "MP_REACH_NLRI truncated (RFC 7606 §7.11)", b, off, Rfc7606Action.SESSION_RESET);
    }
  }

  private static MpUnreachNlri mpUnreach(byte[] b, int off, int len, int flags, DecodeContext ctx) {
    if (len < 3)
      throw DecodeException.at(
          "MP_UNREACH_NLRI shorter than 3 bytes (RFC 7606 §7.12)",
          b,
          off,
          Rfc7606Action.SESSION_RESET);
    ByteReader r = new ByteReader(b, off, len);
    int afi = r.u16(), safi = r.u8();
    Afi fam = Afi.of(afi);
    if (fam == null || !Safi.supported(safi))
      return new MpUnreachNlri(afi, safi, List.of(), r.bytes(r.remaining()), flags);
    try {
      return new MpUnreachNlri(
          afi, safi, NlriReader.readAll(r, fam, ctx.addPath().receive(afi, safi)), null, flags);
    } catch (DecodeException e) {
      throw DecodeException.at(
          "MP_UNREACH_NLRI NLRI malformed: " + e.what() + " (RFC 7606 §7.12)",
          b,
          (int) e.byteOffset(),
          Rfc7606Action.AFI_SAFI_DISABLE);
    }
  }
}
