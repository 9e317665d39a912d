package io.routewatch.bgp.attr;

import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.bgp.nlri.NlriReader;
import io.routewatch.bgp.wire.ByteWriter;
import java.util.Arrays;
import java.util.List;

/** MP_UNREACH_NLRI (type 15, RFC 4760 §4); raw bytes kept for AFI/SAFIs not decoded here. */
public record MpUnreachNlri(int afi, int safi, List<Nlri> withdrawn, byte[] rawNlri, int flags)
    implements PathAttribute {
  public static final int TYPE = 15;

  public int type() {
    return TYPE;
  }

  public void encodeValue(ByteWriter w, EncodeContext c) {
    w.u16(afi).u8(safi);
    if (rawNlri != null) w.bytes(rawNlri);
    else NlriReader.write(w, withdrawn, c.addPath());
  }

  /** RFC 4724 §2: an MP_UNREACH_NLRI with no withdrawn routes is the End-of-RIB marker. */
  public boolean isEndOfRib() {
    return withdrawn.isEmpty() && (rawNlri == null || rawNlri.length == 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MpUnreachNlri m
        && m.afi == afi
        && m.safi == safi
        && m.flags == flags
        && m.withdrawn.equals(withdrawn)
        && Arrays.equals(m.rawNlri, rawNlri);
  }

  @Override
  public int hashCode() {
    return withdrawn.hashCode() * 31 + afi * 7 + safi;
  }

  @Override
  public String toString() {
    return "MP_UNREACH_NLRI afi " + afi + " safi " + safi + " " + withdrawn;
  }
}
