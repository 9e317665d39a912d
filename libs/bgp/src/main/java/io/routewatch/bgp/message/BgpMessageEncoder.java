package io.routewatch.bgp.message;

import io.routewatch.bgp.attr.AttributeEncoder;
import io.routewatch.bgp.attr.PathAttribute;
import io.routewatch.bgp.nlri.NlriReader;
import io.routewatch.bgp.wire.ByteWriter;

/**
 * Encodes messages with header (RFC 4271 §4.1) under the same {@link SessionContext} as decoding.
 */
public final class BgpMessageEncoder {
  private final SessionContext session;

  public BgpMessageEncoder(SessionContext session) {
    this.session = session;
  }

  public byte[] encode(BgpMessage m) {
    ByteWriter w = new ByteWriter(128);
    for (int i = 0; i < 16; i++) w.u8(0xff);
    w.u16(0);
    w.u8(m.type());
    if (m instanceof Open o) open(w, o);
    else if (m instanceof Update u) update(w, u, session);
    else if (m instanceof Notification n) w.u8(n.code()).u8(n.subcode()).bytes(n.data());
    else if (m instanceof RouteRefresh rr) w.u16(rr.afi()).u8(rr.subtype()).u8(rr.safi());
    w.patchU16(16, w.size());
    return w.toByteArray();
  }

  private static void open(ByteWriter w, Open o) {
    w.u8(o.version()).u16(o.myAs()).u16(o.holdTime()).u32(o.bgpId());
    ByteWriter p = new ByteWriter(64);
    boolean ext = o.extendedParams();
    if (!o.capabilities().isEmpty()) {
      ByteWriter caps = new ByteWriter(64);
      for (Capability c : o.capabilities()) caps.u8(c.code()).u8(c.value().length).bytes(c.value());
      p.u8(2);
      if (ext) p.u16(caps.size());
      else p.u8(caps.size());
      p.bytes(caps.toByteArray());
    }
    for (byte[] raw : o.otherParams()) {
      p.u8(raw[0]);
      if (ext) p.u16(raw.length - 1);
      else p.u8(raw.length - 1);
      p.bytes(raw, 1, raw.length - 1);
    }
    if (ext) w.u8(255).u8(255).u16(p.size());
    else w.u8(p.size());
    w.bytes(p.toByteArray());
  }

  /** The UPDATE body. */
  public static void update(ByteWriter w, Update u, SessionContext s) {
    boolean ap = s.addPathReceive().receive(1, 1);
    int at = w.size();
    w.u16(0);
    NlriReader.write(w, u.withdrawn(), ap);
    w.patchU16(at, w.size() - at - 2);
    at = w.size();
    w.u16(0);
    PathAttribute.EncodeContext ctx = new PathAttribute.EncodeContext(s.as4(), mpAddPath(u, s));
    AttributeEncoder.encode(w, u.attributes(), ctx);
    w.patchU16(at, w.size() - at - 2);
    NlriReader.write(w, u.nlri(), ap);
  }

  private static boolean mpAddPath(Update u, SessionContext s) {
    var r = u.attributes().mpReach();
    if (r != null) return s.addPathReceive().receive(r.afi(), r.safi());
    var un = u.attributes().mpUnreach();
    return un != null && s.addPathReceive().receive(un.afi(), un.safi());
  }
}
