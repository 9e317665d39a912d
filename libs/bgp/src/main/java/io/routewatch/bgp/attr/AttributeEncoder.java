package io.routewatch.bgp.attr;

import io.routewatch.bgp.wire.ByteWriter;

/** Writes attributes with their original flags; the extended-length bit is set when needed. */
public final class AttributeEncoder {
  private AttributeEncoder() {}

  public static void encode(ByteWriter w, PathAttributes attrs, PathAttribute.EncodeContext ctx) {
    ByteWriter v = new ByteWriter(64);
    for (PathAttribute a : attrs.all()) {
      v = new ByteWriter(64);
      a.encodeValue(v, ctx);
      int len = v.size();
      int flags = a.flags();
      if (len > 255) flags |= PathAttribute.FLAG_EXTENDED; // RFC 4271 §4.3: length needs two bytes
      w.u8(flags).u8(a.type());
      if ((flags & PathAttribute.FLAG_EXTENDED) != 0) w.u16(len);
      else w.u8(len);
      w.bytes(v.toByteArray());
    }
  }
}
