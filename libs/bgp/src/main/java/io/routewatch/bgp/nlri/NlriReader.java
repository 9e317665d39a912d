package io.routewatch.bgp.nlri;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.wire.ByteReader;
import io.routewatch.bgp.wire.ByteWriter;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes (path-id?, length, prefix-bytes) NLRI lists (RFC 4271 §4.3, RFC 7911 §3). */
public final class NlriReader {
  private NlriReader() {}

  /**
   * Reads NLRI until the reader is exhausted. A length beyond the address width or a prefix running
   * past the field cannot be skipped safely, so RFC 7606 §5.3 asks for session reset (or AFI/SAFI
   * disable for MP NLRI, decided by the caller).
   */
  public static List<Nlri> readAll(ByteReader r, Afi afi, boolean addPath) {
    List<Nlri> out = new ArrayList<>();
    byte[] b = r.array();
    while (r.hasRemaining()) {
      long id = Nlri.NO_PATH_ID;
      if (addPath) {
        if (r.remaining() < 5)
          throw DecodeException.at(
              "truncated add-path NLRI (RFC 7911 §3)",
              b,
              r.position(),
              Rfc7606Action.SESSION_RESET);
        id = r.u32L();
      }
      int len = r.u8();
      if (len > afi.maxBits()) {
        // RFC 7606 §5.3: a prefix length larger than the address family allows is a syntax error.
        throw DecodeException.at(
            "prefix length " + len + " > " + afi.maxBits() + " for " + afi,
            b,
            r.position() - 1,
            Rfc7606Action.SESSION_RESET);
      }
      int n = (len + 7) >>> 3;
      if (r.remaining() < n) {
        // RFC 7606 §5.3: the prefix overruns the NLRI field.
        throw DecodeException.at(
            "prefix /" + len + " overruns NLRI field by " + (n - r.remaining()) + " bytes",
            b,
            r.position() - 1,
            Rfc7606Action.SESSION_RESET);
      }
      out.add(new Nlri(id, Prefix.fromWire(afi, len, b, r.position())));
      r.skip(n);
    }
    return out;
  }

  public static void write(ByteWriter w, List<Nlri> list, boolean addPath) {
    byte[] tmp = new byte[16];
    for (Nlri n : list) {
      if (addPath) w.u32((int) n.pathId());
      Prefix p = n.prefix();
      w.u8(p.length());
      p.copyAddress(tmp, 0);
      w.bytes(tmp, 0, p.wireBytes());
    }
  }
}
