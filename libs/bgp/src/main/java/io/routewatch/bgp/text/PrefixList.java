package io.routewatch.bgp.text;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import java.util.Arrays;

/** Reusable flat list of (path id, length, 16 address bytes) for one record's NLRI. */
final class PrefixList {
  int count;
  long[] pathId = new long[64];
  int[] len = new int[64];
  byte[] addr = new byte[64 * 16];
  boolean present;
  // MP next hop (RFC 4760 §3) as bgpdump keeps it
  int nexthopLen;
  final byte[] nexthop = new byte[16];
  final byte[] nexthopLocal = new byte[16];

  void reset() {
    count = 0;
    present = false;
    nexthopLen = 0;
    Arrays.fill(nexthop, (byte) 0);
  }

  private void grow() {
    int n = pathId.length * 2;
    pathId = Arrays.copyOf(pathId, n);
    len = Arrays.copyOf(len, n);
    addr = Arrays.copyOf(addr, n * 16);
  }

  /**
   * bgpdump's read_prefix_list, with one deliberate difference: a prefix length beyond the address
   * width is a syntax error (RFC 7606 §5.3) and rejects the record instead of printing garbage such
   * as "0.5.0.3/55". Host bits are masked (RFC 4271 §4.3; bgpdump HEAD does the same).
   */
  void read(MStream s, int afiBytes, boolean addPath) {
    while (s.left() > 0) {
      long id = 0;
      if (addPath) id = s.getl() & 0xffffffffL;
      int pLen = s.getc();
      int pBytes = (pLen + 7) >>> 3;
      if (s.left() < pBytes)
        break; // truncated prefix list: bgpdump keeps it as "incomplete" and prints nothing
      if (pLen > afiBytes * 8) {
        throw DecodeException.at(
            "NLRI prefix length " + pLen + " > " + (afiBytes * 8) + " (RFC 7606 §5.3)",
            s.b,
            s.pos - 1,
            Rfc7606Action.SESSION_RESET);
      }
      if (count == pathId.length) grow();
      pathId[count] = id;
      len[count] = pLen;
      int base = count * 16;
      Arrays.fill(addr, base, base + 16, (byte) 0);
      System.arraycopy(s.b, s.pos, addr, base, pBytes);
      s.pos += pBytes;
      if ((pLen & 7) != 0) addr[base + pBytes - 1] &= (byte) (0xff << (8 - (pLen & 7)));
      count++;
    }
  }
}
