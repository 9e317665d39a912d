package io.routewatch.bgp.bmp;

/**
 * Test helper, independent of the BGP decoder: checks that an UPDATE's AS_PATH (RFC 4271 §4.3)
 * parses exactly with the given AS width — segments of (type, count, count × width bytes) that fill
 * the attribute. Returns null when the UPDATE has no AS_PATH.
 */
final class AsPathProbe {
  private AsPathProbe() {}

  static Boolean asPathFits(BgpPdu pdu, boolean fourOctet) {
    byte[] b = pdu.toByteArray();
    int p = 19;
    int withdrawn = u16(b, p);
    p += 2 + withdrawn;
    int attrLen = u16(b, p);
    p += 2;
    int end = Math.min(b.length, p + attrLen);
    while (p + 3 <= end) {
      int flags = b[p] & 0xff;
      int type = b[p + 1] & 0xff;
      boolean ext = (flags & 0x10) != 0;
      int len = ext ? u16(b, p + 2) : b[p + 2] & 0xff;
      int v = p + (ext ? 4 : 3);
      if (type == 2) {
        int q = v;
        int w = fourOctet ? 4 : 2;
        while (q + 2 <= v + len) {
          int segType = b[q] & 0xff;
          if (segType < 1 || segType > 4) {
            return false;
          }
          q += 2 + (b[q + 1] & 0xff) * w;
        }
        return q == v + len;
      }
      p = v + len;
    }
    return null;
  }

  private static int u16(byte[] b, int p) {
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }
}
