package io.routewatch.bgp.text;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code routewatch mrt stats FILE}: records by type/subtype, distinct peers, distinct prefixes
 * (v4/v6), time range and problems. Peers and prefixes are taken from the bgpdump-form lines
 * (fields 4 and 6), so they count exactly what {@code mrt dump} shows.
 */
public record MrtStats(
    Map<String, Long> recordsByType,
    long records,
    long lines,
    int peers,
    int prefixesV4,
    int prefixesV6,
    long firstTimestamp,
    long lastTimestamp,
    List<DecodeProblem> problems) {

  public static MrtStats of(Path file) throws IOException {
    try (MrtReader r = MrtReader.open(file, MrtReader.Mode.LENIENT)) {
      return of(r);
    }
  }

  public static MrtStats of(MrtReader r) {
    Map<String, Long> byType = new TreeMap<>();
    Set<String> peers = new HashSet<>();
    Set<String> v4 = new HashSet<>();
    Set<String> v6 = new HashSet<>();
    BgpdumpFormatter f = new BgpdumpFormatter();
    TextBuffer buf = new TextBuffer(1 << 16);
    long first = Long.MAX_VALUE, last = Long.MIN_VALUE, lines = 0;
    while (r.hasNext()) {
      MrtRecord rec = r.next();
      byType.merge(MrtType.name(rec.type(), rec.subtype()), 1L, Long::sum);
      first = Math.min(first, rec.timestamp());
      last = Math.max(last, rec.timestamp());
      buf.clear();
      try {
        f.format(rec, buf);
      } catch (DecodeException e) {
        r.report(rec, e, DecodeProblem.Outcome.SKIPPED_RECORD);
        continue;
      }
      for (String line : buf.toString().split("\n")) {
        if (line.isEmpty()) continue;
        lines++;
        String[] p = line.split("\\|", 7);
        if (p.length < 5) continue;
        peers.add(p[3] + " " + p[4]);
        if (p.length >= 6 && !"STATE".equals(p[2])) (p[5].indexOf(':') >= 0 ? v6 : v4).add(p[5]);
      }
    }
    if (r.recordCount() == 0) first = last = 0;
    return new MrtStats(
        Map.copyOf(byType),
        r.recordCount(),
        lines,
        peers.size(),
        v4.size(),
        v6.size(),
        first,
        last,
        r.problems());
  }
}
