package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Prefix;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;

/** Formatting shared by the alert messages, so every message words numbers the same way. */
public final class Fmt {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final int MAX_LISTED = 10;

  private Fmt() {}

  public static String as(long asn) {
    return "AS" + asn;
  }

  /** 0.75 → "75.0%". */
  public static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  public static String time(long micros) {
    return TIME.format(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
  }

  /** 3_725_000_000 µs → "1h02m05s"; under a minute → "45s". */
  public static String duration(long micros) {
    long s = Math.max(0, micros / 1_000_000);
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) {
      return String.format(Locale.ROOT, "%dh%02dm%02ds", h, m, sec);
    }
    if (m > 0) {
      return String.format(Locale.ROOT, "%dm%02ds", m, sec);
    }
    return sec + "s";
  }

  /** Peer ASNs sorted, at most ten, adjacent ones marked: "AS1299, AS3356 (adjacent)". */
  public static String peers(long[] peers, long[] adjacent) {
    if (peers == null || peers.length == 0) {
      return "none";
    }
    long[] sorted = peers.clone();
    Arrays.sort(sorted);
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < sorted.length && i < MAX_LISTED; i++) {
      long a = sorted[i];
      boolean adj = adjacent != null && Arrays.stream(adjacent).anyMatch(x -> x == a);
      j.add(as(a) + (adj ? " (adjacent)" : ""));
    }
    if (sorted.length > MAX_LISTED) {
      j.add("and " + (sorted.length - MAX_LISTED) + " more");
    }
    return j.toString();
  }

  /** "1 VP in 1 peer AS (AS3856)" / "3 VPs in 2 peer ASes (AS1299, AS3356)". */
  public static String seenBy(int vps, long[] peers, long[] adjacent) {
    int n = peers == null ? 0 : peers.length;
    return vps
        + (vps == 1 ? " VP" : " VPs")
        + " in "
        + n
        + (n == 1 ? " peer AS" : " peer ASes")
        + " ("
        + peers(peers, adjacent)
        + ")";
  }

  public static String prefix(Prefix p) {
    if (p == null || p.getAddress().isEmpty()) {
      return "";
    }
    byte[] a = new byte[p.getAfi() == Afi.IPV6 ? 16 : 4];
    byte[] given = p.getAddress().toByteArray();
    System.arraycopy(given, 0, a, 0, Math.min(given.length, a.length));
    return new IpPrefix(a, Math.min(p.getLength(), a.length * 8)).toString();
  }
}
