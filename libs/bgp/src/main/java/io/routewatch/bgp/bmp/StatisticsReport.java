package io.routewatch.bgp.bmp;

import java.util.ArrayList;
import java.util.List;

/**
 * Statistics Report, RFC 7854 §4.8: per-peer header, a 4-byte count, then that many stat TLVs (type
 * 2, length 2, value). Types and sizes are in {@link BmpStat}.
 */
public record StatisticsReport(PerPeerHeader peer, List<BmpStat> stats) implements BmpMessage {

  @Override
  public int typeCode() {
    return BmpMessageType.STATISTICS_REPORT.code();
  }

  /** The first stat of a type, or {@code null}. */
  public BmpStat stat(int type) {
    for (BmpStat s : stats) {
      if (s.type() == type) {
        return s;
      }
    }
    return null;
  }

  static StatisticsReport read(BmpCursor c) {
    PerPeerHeader peer = PerPeerHeader.read(c);
    long count = c.u32("Statistics Report stats count");
    // Each stat is at least 4 bytes: a count that cannot fit is a corrupt message.
    if (count > c.remaining() / 4) {
      throw c.fail(
          "Statistics Report stats count " + count + " exceeds the message (RFC 7854 §4.8)");
    }
    List<BmpStat> stats = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      int type = c.u16("stat type");
      int len = c.u16("stat length");
      stats.add(new BmpStat(type, c.bytes(len, "stat value (type " + type + ")")));
    }
    return new StatisticsReport(peer, List.copyOf(stats));
  }
}
