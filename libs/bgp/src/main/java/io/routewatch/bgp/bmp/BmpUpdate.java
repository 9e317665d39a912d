package io.routewatch.bgp.bmp;

import io.routewatch.bgp.attr.AsPath;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.message.BgpMessageDecoder;
import io.routewatch.bgp.message.Update;

/**
 * The UPDATE of a Route Monitoring message, decoded with the session's {@link UpdateEncoding}.
 *
 * @param update the decoded UPDATE (RFC 7606 decision on {@link Update#action()})
 * @param encoding the encoding that was used in the end
 * @param asWidthRetried true when the AS_PATH did not parse with the derived AS width and the other
 *     width was used instead (a metric worth exporting: the exporter or its Peer Up is off)
 */
public record BmpUpdate(Update update, UpdateEncoding encoding, boolean asWidthRetried) {

  /**
   * Decodes rm's UPDATE with enc. When its AS_PATH does not parse (RFC 7606 §7.2) and either the
   * encoding is a guess without a Peer Up, or {@code retryEvenAfterPeerUp} is set for an exporter
   * known to send 2-byte AS_PATHs on 4-octet sessions (see BmpCaptureCountsTest), the other width
   * is tried and kept if its AS_PATH parses.
   *
   * @throws DecodeException when the message cannot be parsed at all (RFC 4271 §6: session reset)
   */
  public static BmpUpdate decode(
      RouteMonitoring rm, UpdateEncoding enc, boolean retryEvenAfterPeerUp) {
    byte[] b = rm.update().toByteArray();
    Update u;
    DecodeException error = null;
    try {
      u = decode(b, enc);
      if (u == null)
        throw DecodeException.at(
            "Route Monitoring carries BGP type " + rm.update().type() + ", not UPDATE",
            b,
            18,
            io.routewatch.bgp.error.Rfc7606Action.NONE);
      if (asPathParses(u)) return new BmpUpdate(u, enc, false);
    } catch (DecodeException e) {
      u = null;
      error = e;
    }
    if (enc.fromPeerUp() && !retryEvenAfterPeerUp) {
      if (error != null) throw error;
      return new BmpUpdate(u, enc, false);
    }
    UpdateEncoding other = enc.otherAsWidth();
    try {
      Update retry = decode(b, other);
      if (retry != null && asPathParses(retry)) return new BmpUpdate(retry, other, true);
    } catch (DecodeException e) {
      // keep the first result / error
    }
    if (error != null) throw error;
    return new BmpUpdate(u, enc, false);
  }

  private static Update decode(byte[] b, UpdateEncoding enc) {
    return new BgpMessageDecoder(enc.sessionContext()).decode(b) instanceof Update u ? u : null;
  }

  /** True unless an AS_PATH is present and was kept raw as malformed. */
  private static boolean asPathParses(Update u) {
    var p = u.attributes().get(AsPath.TYPE);
    return p == null || p instanceof AsPath;
  }
}
