package io.routewatch.bgp.attr;

import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.bgp.nlri.NlriReader;
import io.routewatch.bgp.wire.ByteWriter;
import java.util.Arrays;
import java.util.List;

/**
 * MP_REACH_NLRI (type 14, RFC 4760 §3). {@code nlri} is empty and {@code rawNlri} holds the bytes
 * for AFI/SAFIs this codec does not decode (VPN, labeled, flowspec...). In TABLE_DUMP_V2 the
 * attribute is abbreviated to next-hop length + next hop (RFC 6396 §4.3.4): then afi/safi are 0 and
 * {@code abbreviated} is true. The next hop may be 4 (IPv4), 16 or 32 (global + link-local) bytes,
 * or 16/32 for IPv4 NLRI (RFC 8950).
 */
public record MpReachNlri(
    int afi,
    int safi,
    byte[] nextHop,
    List<Nlri> nlri,
    byte[] rawNlri,
    boolean abbreviated,
    int flags)
    implements PathAttribute {
  public static final int TYPE = 14;

  public int type() {
    return TYPE;
  }

  public void encodeValue(ByteWriter w, EncodeContext c) {
    if (abbreviated) {
      w.u8(nextHop.length).bytes(nextHop);
      return;
    }
    w.u16(afi).u8(safi).u8(nextHop.length).bytes(nextHop).u8(0);
    if (rawNlri != null) w.bytes(rawNlri);
    else NlriReader.write(w, nlri, c.addPath());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MpReachNlri m
        && m.afi == afi
        && m.safi == safi
        && m.flags == flags
        && m.abbreviated == abbreviated
        && Arrays.equals(m.nextHop, nextHop)
        && m.nlri.equals(nlri)
        && Arrays.equals(m.rawNlri, rawNlri);
  }

  @Override
  public int hashCode() {
    return nlri.hashCode() * 31 + afi * 7 + safi;
  }

  @Override
  public String toString() {
    return "MP_REACH_NLRI afi " + afi + " safi " + safi + " nh " + nextHop.length + "B " + nlri;
  }
}
