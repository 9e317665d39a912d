package io.routewatch.bgp.message;

import io.routewatch.bgp.attr.AttributeDecoder;
import io.routewatch.bgp.attr.DecodeContext;
import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.nlri.Afi;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.bgp.nlri.NlriReader;
import io.routewatch.bgp.wire.ByteReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one BGP message (header included) under a {@link SessionContext}. Header and framing
 * errors throw {@link DecodeException} (RFC 4271 §6.1: session reset); attribute errors are carried
 * on the {@link Update} as an RFC 7606 decision.
 */
public final class BgpMessageDecoder {
  private final SessionContext session;

  public BgpMessageDecoder(SessionContext session) {
    this.session = session;
  }

  public BgpMessage decode(byte[] b) {
    return decode(b, 0, b.length);
  }

  public BgpMessage decode(byte[] b, int off, int len) {
    ByteReader r = new ByteReader(b, off, len);
    for (int i = 0; i < 16; i++) {
      // RFC 4271 §6.1: marker not all ones -> Connection Not Synchronized.
      if (r.u8() != 0xff)
        throw DecodeException.at(
            "marker not all ones (RFC 4271 §6.1)", b, off + i, Rfc7606Action.SESSION_RESET);
    }
    int length = r.u16();
    // RFC 4271 §6.1 / RFC 8654 §4: Bad Message Length.
    if (length < 19 || length > len || length > session.maxMessageLength() && length > 4096) {
      throw DecodeException.at(
          "bad message length " + length + " (RFC 4271 §6.1)",
          b,
          off + 16,
          Rfc7606Action.SESSION_RESET);
    }
    int type = r.u8();
    ByteReader body = new ByteReader(b, off + 19, length - 19);
    return switch (type) {
      case BgpMessage.OPEN -> open(body);
      case BgpMessage.UPDATE -> update(body, session.attributes());
      case BgpMessage.NOTIFICATION ->
          new Notification(body.u8(), body.u8(), body.bytes(body.remaining()));
      case BgpMessage.KEEPALIVE -> {
        if (length != 19)
          throw DecodeException.at(
              "KEEPALIVE length " + length + " (RFC 4271 §6.1)",
              b,
              off + 16,
              Rfc7606Action.SESSION_RESET);
        yield Keepalive.INSTANCE;
      }
      case BgpMessage.ROUTE_REFRESH -> new RouteRefresh(body.u16(), body.u8(), body.u8());
      default ->
          throw DecodeException.at(
              "bad message type " + type + " (RFC 4271 §6.1)",
              b,
              off + 18,
              Rfc7606Action.SESSION_RESET);
    };
  }

  static Open open(ByteReader r) {
    int version = r.u8(), myAs = r.u16(), hold = r.u16(), id = r.u32();
    int optLen = r.u8();
    boolean ext = false;
    if (optLen == 255 && r.remaining() >= 3 && (r.array()[r.position()] & 0xff) == 255) {
      // RFC 9072 §2: Non-Ext OP Len 255 + Non-Ext OP Type 255 + 2-byte Extended Opt. Parm. Length.
      r.u8();
      optLen = r.u16();
      ext = true;
    }
    ByteReader params = r.slice(optLen);
    List<Capability> caps = new ArrayList<>();
    List<byte[]> others = new ArrayList<>();
    while (params.hasRemaining()) {
      int ptype = params.u8();
      int plen = ext ? params.u16() : params.u8();
      ByteReader p = params.slice(plen);
      if (ptype != 2) { // RFC 5492 §4: parameter type 2 = capabilities
        byte[] raw = new byte[plen + 1];
        raw[0] = (byte) ptype;
        System.arraycopy(p.array(), p.position(), raw, 1, plen);
        others.add(raw);
        continue;
      }
      while (p.hasRemaining()) {
        int code = p.u8();
        caps.add(new Capability(code, p.bytes(p.u8())));
      }
    }
    return new Open(version, myAs, hold, id, List.copyOf(caps), List.copyOf(others), ext);
  }

  /** The UPDATE body (after the 19-byte header). Also used for MRT type 5 records. */
  public static Update update(ByteReader r, DecodeContext ctx) {
    byte[] b = r.array();
    int wlen = r.u16();
    // RFC 7606 §5.3 / RFC 4271 §6.3: withdrawn length overrunning the message -> session reset.
    if (wlen > r.remaining())
      throw DecodeException.at(
          "withdrawn routes length " + wlen + " overruns UPDATE (RFC 4271 §6.3)",
          b,
          r.position() - 2,
          Rfc7606Action.SESSION_RESET);
    boolean ap = ctx.addPath().receive(1, 1);
    List<Nlri> withdrawn = NlriReader.readAll(r.slice(wlen), Afi.IPV4, ap);
    int alen = r.u16();
    if (alen > r.remaining())
      throw DecodeException.at(
          "path attribute length " + alen + " overruns UPDATE (RFC 7606 §4)",
          b,
          r.position() - 2,
          Rfc7606Action.SESSION_RESET);
    int aoff = r.position();
    r.skip(alen);
    PathAttributes attrs =
        alen == 0
            ? new PathAttributes(List.of(), Rfc7606Action.NONE, List.of(), ctx.as4())
            : AttributeDecoder.decode(b, aoff, alen, ctx);
    List<Nlri> nlri = NlriReader.readAll(r, Afi.IPV4, ap);
    Rfc7606Action action = attrs.action();
    List<String> errors = attrs.errors();
    if (!nlri.isEmpty() && (attrs.get(1) == null || attrs.get(2) == null || attrs.get(3) == null)) {
      // RFC 7606 §3(d): a missing well-known mandatory attribute -> treat-as-withdraw.
      errors = new ArrayList<>(errors);
      errors.add("missing ORIGIN, AS_PATH or NEXT_HOP with NLRI present (RFC 7606 §3 d)");
      action = action.max(Rfc7606Action.TREAT_AS_WITHDRAW);
    }
    return new Update(withdrawn, attrs, nlri, action, List.copyOf(errors));
  }
}
