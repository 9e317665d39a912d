package io.routewatch.cli.scenario;

import io.routewatch.cli.time.Times;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads scenarios/*.yaml (schema: scenarios/README.md) into a checked {@link Scenario}. Every error
 * names the place ("timeline[3].announce.path: VP level3 has no path 'ttk'").
 */
public final class ScenarioParser {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|h|m|s)");
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private ScenarioParser() {}

  public static Scenario parse(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(r, file.getFileName().toString());
    }
  }

  @SuppressWarnings("unchecked")
  public static Scenario parse(Reader in, String source) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    if (!(doc instanceof Map)) {
      throw new IllegalArgumentException(source + ": expected a mapping at the top");
    }
    Map<String, Object> m = (Map<String, Object>) doc;
    String name = str(m, "name", source);
    long origin = asn(req(m, "origin", source), "origin");
    // origins: further origins a batch of generated networks plays in the same run
    List<Long> origins = new ArrayList<>(List.of(origin));
    if (m.containsKey("origins")) {
      int k = 0;
      for (Object o : list(m.get("origins"), "origins")) {
        long a = asn(o, "origins[" + k++ + "]");
        if (!origins.contains(a)) {
          origins.add(a);
        }
      }
    }
    long start = time(req(m, "start", source), "start");
    long end = time(req(m, "end", source), "end");
    if (end <= start) {
      throw new IllegalArgumentException("end must be after start");
    }
    double speed = m.containsKey("speed") ? ((Number) m.get("speed")).doubleValue() : 720;
    long collectorAsn =
        m.containsKey("collector-asn") ? asn(m.get("collector-asn"), "collector-asn") : 65000;
    List<String> prefixes = strings(req(m, "prefixes", source), "prefixes");
    for (int k = 0; k < prefixes.size(); k++) {
      Addresses.prefix(prefixes.get(k), "prefixes[" + k + "]");
    }
    if (prefixes.stream().distinct().count() != prefixes.size()) {
      throw new IllegalArgumentException("prefixes: a prefix is listed twice");
    }
    String pending = m.get("pending") == null ? "" : m.get("pending").toString().trim();
    // origins other than `origin` that paths may end in: a hijacker or squatter of watched space
    Set<Long> foreign = new LinkedHashSet<>();
    if (m.get("foreign-origins") != null) {
      int k = 0;
      for (Object o : list(m.get("foreign-origins"), "foreign-origins")) {
        long f = asn(o, "foreign-origins[" + k++ + "]");
        if (f == origin) {
          throw new IllegalArgumentException(
              "foreign-origins: AS" + f + " is the scenario's origin, not a foreign one");
        }
        foreign.add(f);
      }
    }

    List<Scenario.Vp> vps = new ArrayList<>();
    Set<Long> asns = new LinkedHashSet<>();
    Set<String> addresses = new LinkedHashSet<>();
    int i = 0;
    for (Object o : list(req(m, "vps", source), "vps")) {
      String at = "vps[" + i++ + "]";
      Map<String, Object> v = map(o, at);
      String vname = str(v, "name", at);
      long vasn = asn(req(v, "asn", at), at + ".asn");
      String addr = str(v, "address", at);
      if (!IPV4_LOOPBACK.matcher(addr).matches()) {
        throw new IllegalArgumentException(
            at + ".address: each VP needs its own 127.0.0.x address, not " + addr);
      }
      if (!addresses.add(addr)) {
        throw new IllegalArgumentException(at + ".address: " + addr + " used twice");
      }
      asns.add(vasn);
      // IPv6 announcements need an IPv6 next hop (RFC 4760 §3): by default the VP's address
      // IPv4-mapped (::ffff:127.0.0.11), or the file's next-hop.ipv6
      String nh6 = "::ffff:" + addr;
      if (v.containsKey("next-hop")) {
        Map<String, Object> nh = map(v.get("next-hop"), at + ".next-hop");
        for (String fam : nh.keySet()) {
          if (!fam.equals("ipv4") && !fam.equals("ipv6")) {
            throw new IllegalArgumentException(
                at + ".next-hop: families are ipv4 and ipv6, not '" + fam + "'");
          }
        }
        if (nh.containsKey("ipv4") && !addr.equals(String.valueOf(nh.get("ipv4")))) {
          throw new IllegalArgumentException(
              at + ".next-hop.ipv4: the IPv4 next hop is the VP's address " + addr);
        }
        if (nh.containsKey("ipv6")) {
          nh6 = String.valueOf(nh.get("ipv6")).trim();
          Addresses.ipv6(nh6, at + ".next-hop.ipv6");
        }
      }
      Map<String, List<Long>> paths = new LinkedHashMap<>();
      for (Map.Entry<String, Object> p : map(req(v, "paths", at), at + ".paths").entrySet()) {
        List<Long> path = path(p.getValue(), at + ".paths." + p.getKey());
        if (path.get(0) != vasn) {
          throw new IllegalArgumentException(
              at + ".paths." + p.getKey() + ": path must start with the VP's own AS " + vasn);
        }
        long last = path.get(path.size() - 1);
        if (!origins.contains(last) && !foreign.contains(last)) {
          throw new IllegalArgumentException(
              at
                  + ".paths."
                  + p.getKey()
                  + ": path must end with the origin AS "
                  + (origins.size() == 1 ? origin : "(one of " + origins + ")")
                  + (foreign.isEmpty() ? "" : " or one of foreign-origins " + foreign));
        }
        paths.put(p.getKey(), path);
      }
      // up: when the session comes up; absent (or at start) = up before the baseline is played
      long up = start;
      if (v.get("up") != null) {
        up = time(v.get("up"), at + ".up");
        if (up < start || up >= end) {
          throw new IllegalArgumentException(
              at
                  + ".up: "
                  + Times.human(up)
                  + " is outside start..end (a session comes up in the run)");
        }
      }
      vps.add(new Scenario.Vp(vname, vasn, addr, nh6, paths, up));
    }
    if (vps.stream().noneMatch(x -> x.upMicros() == start)) {
      throw new IllegalArgumentException(
          "vps: at least one VP's session must be up at start (no `up:`), to carry the baseline");
    }
    Map<String, List<String>> groups = new LinkedHashMap<>();
    if (m.containsKey("groups")) {
      for (Map.Entry<String, Object> g : map(m.get("groups"), "groups").entrySet()) {
        groups.put(g.getKey(), strings(g.getValue(), "groups." + g.getKey()));
      }
    }

    List<Scenario.Step> steps = new ArrayList<>();
    i = 0;
    for (Object o : list(req(m, "timeline", source), "timeline")) {
      String at = "timeline[" + i++ + "]";
      Map<String, Object> s = map(o, at);
      long t = time(req(s, "at", at), at + ".at");
      if (t < start || t > end) {
        throw new IllegalArgumentException(at + ".at: outside the scenario's start..end");
      }
      String note = s.containsKey("note") ? s.get("note").toString() : "";
      for (Scenario.Action a : Scenario.Action.values()) {
        String key = a.name().toLowerCase();
        if (!s.containsKey(key)) {
          continue;
        }
        String w = at + "." + key;
        Map<String, Object> act = map(s.get(key), w);
        List<String> who = expandVps(act.getOrDefault("vps", "all"), vps, groups, w + ".vps");
        List<String> which =
            expandPrefixes(act.getOrDefault("prefixes", "all"), prefixes, w + ".prefixes");
        String path = null;
        if (a == Scenario.Action.ANNOUNCE) {
          path = str(act, "path", w);
          for (String vn : who) {
            Scenario.Vp vp =
                vps.stream().filter(x -> x.name().equals(vn)).findFirst().orElseThrow();
            if (!vp.paths().containsKey(path)) {
              throw new IllegalArgumentException(
                  w + ".path: VP " + vn + " has no path '" + path + "'");
            }
          }
        }
        steps.add(new Scenario.Step(t, note, who, a, which, path));
      }
    }
    steps.sort(Comparator.comparingLong(Scenario.Step::atMicros));

    List<Scenario.Watch> watch = new ArrayList<>();
    if (m.containsKey("watch")) {
      i = 0;
      for (Object o : list(m.get("watch"), "watch")) {
        String at = "watch[" + i++ + "]";
        Map<String, Object> w = map(o, at);
        Map<String, String> ov = new LinkedHashMap<>();
        if (w.containsKey("overrides")) {
          map(w.get("overrides"), at + ".overrides")
              .forEach((k, v) -> ov.put(k, String.valueOf(v)));
        }
        watch.add(
            new Scenario.Watch(
                str(w, "value", at),
                ov,
                w.containsKey("description") ? w.get("description").toString() : ""));
      }
    }
    List<Scenario.Vrp> vrps = new ArrayList<>();
    if (m.containsKey("vrps")) {
      i = 0;
      for (Object o : list(m.get("vrps"), "vrps")) {
        String at = "vrps[" + i++ + "]";
        Map<String, Object> v = map(o, at);
        String p = str(v, "prefix", at);
        Addresses.prefix(p, at + ".prefix");
        int len = Integer.parseInt(p.substring(p.indexOf('/') + 1));
        int max = v.containsKey("max-length") ? ((Number) v.get("max-length")).intValue() : len;
        int familyMax = Scenario.isIpv6(p) ? 128 : 32;
        if (max < len || max > familyMax) {
          throw new IllegalArgumentException(
              at + ".max-length: " + max + " outside " + len + ".." + familyMax);
        }
        vrps.add(new Scenario.Vrp(p, max, asn(req(v, "asn", at), at + ".asn")));
      }
    }
    Map<String, String> serviceConfig = new LinkedHashMap<>();
    if (m.containsKey("config")) {
      map(m.get("config"), "config").forEach((k, v) -> serviceConfig.put(k, String.valueOf(v)));
    }
    if (m.get("relationships") != null) {
      serviceConfig.put(RELATIONSHIPS_KEY, relationships(m.get("relationships")));
    }

    List<Scenario.ExpectedAlert> alerts = new ArrayList<>();
    List<Scenario.ExpectedShare> shares = new ArrayList<>();
    if (m.containsKey("expect")) {
      Map<String, Object> ex = map(m.get("expect"), "expect");
      long defaultHold = ex.containsKey("hold") ? duration(ex.get("hold"), "expect.hold") : 0;
      i = 0;
      for (Object o : list(ex.getOrDefault("alerts", List.of()), "expect.alerts")) {
        String at = "expect.alerts[" + i++ + "]";
        Map<String, Object> a = map(o, at);
        String state = str(a, "state", at).toUpperCase();
        if (!state.equals("FIRING") && !state.equals("RESOLVED")) {
          throw new IllegalArgumentException(at + ".state: FIRING or RESOLVED, not " + state);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (a.containsKey("labels")) {
          // an empty value (or none: "upstream:") means the label must be absent
          map(a.get("labels"), at + ".labels")
              .forEach((k, v) -> labels.put(k, v == null ? "" : String.valueOf(v)));
        }
        alerts.add(
            new Scenario.ExpectedAlert(
                time(req(a, "at", at), at + ".at"),
                a.containsKey("hold") ? duration(a.get("hold"), at + ".hold") : defaultHold,
                str(a, "type", at),
                state,
                labels,
                a.containsKey("duration") ? duration(a.get("duration"), at + ".duration") : 0,
                a.containsKey("note") ? a.get("note").toString() : ""));
      }
      i = 0;
      for (Object o : list(ex.getOrDefault("shares", List.of()), "expect.shares")) {
        String at = "expect.shares[" + i++ + "]";
        Map<String, Object> s = map(o, at);
        shares.add(
            new Scenario.ExpectedShare(
                time(req(s, "at", at), at + ".at"),
                asn(req(s, "upstream", at), at + ".upstream"),
                ((Number) req(s, "vp-share", at)).doubleValue(),
                s.containsKey("tolerance") ? ((Number) s.get("tolerance")).doubleValue() : 0.01,
                s.containsKey("origin") ? asn(s.get("origin"), at + ".origin") : 0));
      }
    }
    alerts.sort(Comparator.comparingLong(Scenario.ExpectedAlert::dueMicros));
    return new Scenario(
        name,
        m.containsKey("description") ? m.get("description").toString().trim() : "",
        origin,
        start,
        end,
        speed,
        collectorAsn,
        prefixes,
        vps,
        steps,
        watch,
        serviceConfig,
        alerts,
        shares,
        pending,
        List.copyOf(origins),
        Boolean.TRUE.equals(m.get("watch-after-baseline")),
        List.copyOf(vrps));
  }

  /** The state setting a scenario's {@code relationships:} list becomes. */
  public static final String RELATIONSHIPS_KEY = "routewatch.state.relationships.overrides";

  private static final java.util.regex.Pattern LINK =
      java.util.regex.Pattern.compile("(\\d{1,10})\\|(\\d{1,10})\\|(-1|0|1)");

  /**
   * A scenario's AS relationships ({@code relationships: ["64496|64510|-1", …]}, CAIDA's as-rel
   * form: -1 = the first AS is a provider of the second, 0 = peers, 1 = siblings) as the value of
   * state's {@code routewatch.state.relationships.overrides}: the links state judges route leaks
   * by, without a file.
   */
  static String relationships(Object o) {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Object e : list(o, "relationships")) {
      String at = "relationships[" + i++ + "]";
      String link = String.valueOf(e).trim();
      java.util.regex.Matcher mt = LINK.matcher(link);
      if (!mt.matches()) {
        throw new IllegalArgumentException(at + ": expected a|b|rel (rel -1, 0 or 1), not " + link);
      }
      asn(mt.group(1), at);
      asn(mt.group(2), at);
      if (mt.group(1).equals(mt.group(2))) {
        throw new IllegalArgumentException(at + ": AS" + mt.group(1) + " related to itself");
      }
      out.add(link);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("relationships: empty list");
    }
    return String.join(",", out);
  }

  /** "2m", "1h30m", "11m30s", "500ms" or ISO-8601 "PT5M", in µs. */
  public static long duration(Object o, String where) {
    String s = String.valueOf(o).trim();
    if (s.startsWith("P") || s.startsWith("p")) {
      return Duration.parse(s).toNanos() / 1000;
    }
    Matcher mm = DURATION.matcher(s);
    long total = 0;
    int pos = 0;
    while (mm.find() && mm.start() == pos) {
      long n = Long.parseLong(mm.group(1));
      total +=
          switch (mm.group(2)) {
            case "h" -> n * 3_600_000_000L;
            case "m" -> n * 60_000_000L;
            case "s" -> n * 1_000_000L;
            default -> n * 1_000L;
          };
      pos = mm.end();
    }
    if (pos != s.length() || s.isEmpty()) {
      throw new IllegalArgumentException(
          where + ": not a duration '" + s + "' (e.g. 2m, 11m30s, PT5M)");
    }
    return total;
  }

  private static List<String> expandVps(
      Object o, List<Scenario.Vp> vps, Map<String, List<String>> groups, String where) {
    List<String> names =
        "all".equals(o)
            ? vps.stream().map(Scenario.Vp::name).toList()
            : (o instanceof String s ? List.of(s) : strings(o, where));
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      if (groups.containsKey(n)) {
        out.addAll(groups.get(n));
      } else {
        out.add(n);
      }
    }
    for (String n : out) {
      if (vps.stream().noneMatch(v -> v.name().equals(n))) {
        throw new IllegalArgumentException(where + ": no VP or group named '" + n + "'");
      }
    }
    return List.copyOf(out);
  }

  private static List<String> expandPrefixes(Object o, List<String> all, String where) {
    if ("all".equals(o)) {
      return all;
    }
    List<String> p = o instanceof String s ? List.of(s) : strings(o, where);
    for (String x : p) {
      if (!all.contains(x)) {
        throw new IllegalArgumentException(
            where + ": " + x + " is not one of the scenario's prefixes");
      }
    }
    return p;
  }

  static List<Long> path(Object o, String where) {
    List<Long> out = new ArrayList<>();
    if (o instanceof String s) {
      for (String t : s.trim().split("\\s+")) {
        out.add(asn(t, where));
      }
    } else {
      for (Object x : list(o, where)) {
        out.add(asn(x, where));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(where + ": empty AS path");
    }
    return out;
  }

  static long asn(Object o, String where) {
    String s = String.valueOf(o).trim();
    if (s.regionMatches(true, 0, "AS", 0, 2)) {
      s = s.substring(2);
    }
    try {
      long v = Long.parseLong(s);
      if (v <= 0 || v > 0xffffffffL) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": not an ASN '" + o + "'");
    }
  }

  private static long time(Object o, String where) {
    try {
      // snakeyaml turns unquoted timestamps into java.util.Date
      if (o instanceof java.util.Date d) {
        return d.getTime() * 1000L;
      }
      return Times.parseMicros(String.valueOf(o));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  private static Object req(Map<String, Object> m, String key, String where) {
    Object v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException(where + ": '" + key + "' is required");
    }
    return v;
  }

  private static String str(Map<String, Object> m, String key, String where) {
    return req(m, key, where).toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String where) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException(where + ": expected a mapping");
    }
    return (Map<String, Object>) o;
  }

  private static List<?> list(Object o, String where) {
    if (!(o instanceof List<?> l)) {
      throw new IllegalArgumentException(where + ": expected a list");
    }
    return l;
  }

  private static List<String> strings(Object o, String where) {
    return list(o, where).stream().map(String::valueOf).toList();
  }
}
