package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;

/** Phrases several rules share. */
final class RuleText {
  private RuleText() {}

  /** "AS4837 25.0%, AS20485 75.0%" (or "none"). */
  static String upstreams(SortedMap<Long, UpstreamView> view) {
    if (view.isEmpty()) {
      return "none";
    }
    StringJoiner j = new StringJoiner(", ");
    view.values().forEach(u -> j.add(Fmt.as(u.upstream()) + " " + Fmt.pct(u.share())));
    return j.toString();
  }

  /** ", e.g. for 175.45.176.0/24" when the change names a prefix. */
  static String viaPrefix(Change c) {
    String p = Fmt.prefix(c.getPrefix());
    return p.isEmpty() ? "" : ", e.g. for " + p;
  }

  /** "from X to Y (Z)". */
  static String span(long from, long to) {
    return "from " + Fmt.time(from) + " to " + Fmt.time(to) + " (" + Fmt.duration(to - from) + ")";
  }

  static String since(Map<String, String> ctx, long fallback) {
    String s = ctx.get("since");
    return Fmt.time(s == null ? fallback : Long.parseLong(s));
  }

  static long sinceMicros(Map<String, String> ctx, long fallback) {
    String s = ctx.get("since");
    return s == null ? fallback : Long.parseLong(s);
  }

  static long u32(int v) {
    return v & 0xffffffffL;
  }
}
