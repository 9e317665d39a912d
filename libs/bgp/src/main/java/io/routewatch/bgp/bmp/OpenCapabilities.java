package io.routewatch.bgp.bmp;

import java.util.HashMap;
import java.util.Map;

/**
 * The capabilities of a BGP OPEN that decide how UPDATEs are encoded: 4-octet AS (RFC 6793, code
 * 65), ADD-PATH (RFC 7911, code 69), extended message (RFC 8654, code 6). Reads optional parameters
 * in the RFC 4271 §4.2 layout or the RFC 9072 extended layout. Only what the BMP session needs;
 * full OPEN decoding belongs to {@code io.routewatch.bgp.message}.
 *
 * @param myAs the 2-byte My Autonomous System field
 * @param as4 the 4-octet AS from capability 65, or -1 when absent
 * @param addPath AFI/SAFI → send/receive bits (1 receive, 2 send, 3 both; RFC 7911 §4)
 * @param extendedMessage capability 6 present
 */
public record OpenCapabilities(
    int myAs, long as4, Map<Family, Integer> addPath, boolean extendedMessage) {
  private static final int PARAM_CAPABILITIES = 2;
  private static final int CAP_EXTENDED_MESSAGE = 6;
  private static final int CAP_FOUR_OCTET_AS = 65;
  private static final int CAP_ADD_PATH = 69;

  /** Add-path bit: able to receive multiple paths (RFC 7911 §4). */
  public static final int ADD_PATH_RECEIVE = 1;

  /** Add-path bit: able to send multiple paths (RFC 7911 §4). */
  public static final int ADD_PATH_SEND = 2;

  /** An address family. */
  public record Family(int afi, int safi) {}

  /** Whether the 4-octet AS capability is present. */
  public boolean fourOctetAs() {
    return as4 >= 0;
  }

  /** The speaker's AS: the 4-octet one when advertised, else My AS. */
  public long asn() {
    return as4 >= 0 ? as4 : myAs;
  }

  /** Whether add-path is advertised for {@code f} with any of {@code bits}. */
  public boolean addPath(Family f, int bits) {
    Integer v = addPath.get(f);
    return v != null && (v & bits) != 0;
  }

  /** Reads the capabilities of an OPEN PDU (whole BGP message, header included). */
  static OpenCapabilities read(BgpPdu open) {
    java.nio.ByteBuffer bb = open.buffer();
    byte[] b = new byte[bb.remaining()];
    bb.get(b);
    BmpCursor c = new BmpCursor(b, 0, b.length);
    c.skip(BgpPdu.HEADER, "OPEN header");
    c.u8("OPEN version");
    int myAs = c.u16("OPEN My AS");
    c.u16("OPEN hold time");
    c.u32("OPEN BGP identifier");
    int optLen = c.u8("OPEN optional parameters length");
    boolean extended = false;
    // RFC 9072 §2: length 255 followed by parameter type 255 means a 2-byte length follows.
    if (optLen == 255 && c.remaining() >= 3 && (b[c.absolute()] & 0xff) == 255) {
      c.u8("OPEN extended parameters marker");
      optLen = c.u16("OPEN extended optional parameters length");
      extended = true;
    }
    c.need(optLen, "OPEN optional parameters");
    BmpCursor params = new BmpCursor(b, c.absolute(), optLen);
    long as4 = -1;
    boolean extMsg = false;
    Map<Family, Integer> addPath = new HashMap<>();
    while (params.remaining() > 0) {
      int type = params.u8("OPEN parameter type");
      int len = extended ? params.u16("OPEN parameter length") : params.u8("OPEN parameter length");
      params.need(len, "OPEN parameter value");
      BmpCursor p = new BmpCursor(b, params.absolute(), len);
      params.skip(len, "OPEN parameter value");
      if (type != PARAM_CAPABILITIES) {
        continue;
      }
      // RFC 5492 §4: capability code (1), length (1), value.
      while (p.remaining() > 0) {
        int code = p.u8("capability code");
        int clen = p.u8("capability length");
        p.need(clen, "capability value");
        BmpCursor v = new BmpCursor(b, p.absolute(), clen);
        p.skip(clen, "capability value");
        if (code == CAP_FOUR_OCTET_AS && clen == 4) {
          as4 = v.u32("4-octet AS");
        } else if (code == CAP_EXTENDED_MESSAGE) {
          extMsg = true;
        } else if (code == CAP_ADD_PATH) {
          // RFC 7911 §4: AFI (2), SAFI (1), Send/Receive (1), repeated.
          while (v.remaining() >= 4) {
            Family f = new Family(v.u16("add-path AFI"), v.u8("add-path SAFI"));
            addPath.merge(f, v.u8("add-path send/receive") & 3, (x, y) -> x | y);
          }
        }
      }
    }
    return new OpenCapabilities(myAs, as4, Map.copyOf(addPath), extMsg);
  }
}
