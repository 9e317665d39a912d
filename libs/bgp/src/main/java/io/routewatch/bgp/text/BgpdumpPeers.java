package io.routewatch.bgp.text;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.mrt.MrtRecord;
import java.util.Arrays;

/** The TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 §4.3.1) in flat arrays, for RIB lines. */
final class BgpdumpPeers {
  private int count = -1;
  private boolean[] v6 = new boolean[0];
  private byte[] ips = new byte[0];
  private long[] as = new long[0];

  boolean loaded() {
    return count >= 0;
  }

  int count() {
    return Math.max(count, 0);
  }

  long as(int i) {
    return as[i];
  }

  void writeIp(int i, TextBuffer out) {
    if (v6[i]) out.ipv6(ips, i * 16);
    else out.ipv4(ips, i * 16);
  }

  void load(MrtRecord r) {
    MStream s = new MStream(r.body(), 0, r.length());
    s.getl(); // collector BGP id
    int nameLen = s.getw();
    s.skip(nameLen);
    int n = s.getw();
    // Each entry is at least 1+4+4+2 bytes: reject counts the record cannot hold.
    if (n * 11L > s.left()) {
      throw DecodeException.at(
          "PEER_INDEX_TABLE declares " + n + " peers in " + s.left() + " bytes",
          r.body(),
          s.pos - 2,
          Rfc7606Action.NONE);
    }
    boolean[] nv6 = new boolean[n];
    byte[] nips = new byte[n * 16];
    long[] nas = new long[n];
    for (int i = 0; i < n; i++) {
      int type = s.getc();
      s.getl(); // peer BGP id
      nv6[i] = (type & 1) != 0; // RFC 6396 §4.3.1 peer type bit 0: IPv6 address
      s.get(nips, i * 16, nv6[i] ? 16 : 4);
      nas[i] = (type & 2) != 0 ? s.getl() & 0xffffffffL : s.getw(); // bit 1: 4-byte AS
    }
    count = n;
    v6 = nv6;
    ips = nips;
    as = nas;
  }

  @Override
  public String toString() {
    return "peers " + count + " " + Arrays.toString(as);
  }
}
