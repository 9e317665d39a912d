package io.routewatch.bgp.attr;

import io.routewatch.bgp.wire.ByteWriter;

/**
 * One path attribute (RFC 4271 §4.3). Classes are named by the attribute and carry its type code as
 * {@code TYPE}; the wire flags are kept so that re-encoding writes what was received.
 */
public interface PathAttribute {
  int FLAG_OPTIONAL = 0x80, FLAG_TRANSITIVE = 0x40, FLAG_PARTIAL = 0x20, FLAG_EXTENDED = 0x10;

  int type();

  int flags();

  /** Writes the attribute value (not the flags/type/length header). */
  void encodeValue(ByteWriter w, EncodeContext ctx);

  /** Session facts the value encoding depends on. */
  record EncodeContext(boolean as4, boolean addPath) {}
}
