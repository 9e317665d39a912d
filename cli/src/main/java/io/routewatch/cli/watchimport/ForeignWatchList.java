package io.routewatch.cli.watchimport;

import io.routewatch.proto.v1.WatchEntry;
import io.routewatch.proto.v1.WatchKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Watch lists of other monitors as routewatch entries: BGPalerter's {@code prefixes.yml} (the
 * output of its {@code generate -a AS…}) and ARTEMIS's {@code config.yaml}. What maps:
 *
 * <ul>
 *   <li>BGPalerter: each prefix → a PREFIX entry with its {@code asn} as {@code origins} and its
 *       {@code description}; {@code ignoreMorespecifics: true} → {@code
 *       more-specific.enabled=false}; {@code ignore: true} → skipped; {@code options.monitorASns} →
 *       ASN entries.
 *   <li>ARTEMIS: each rule's prefixes → PREFIX entries with the rule's {@code origin_asns} as
 *       {@code origins} (a prefix in several rules gets the union), described by the name of its
 *       prefix group; anchors and aliases are resolved by the YAML library.
 * </ul>
 *
 * What has no routewatch equivalent (BGPalerter groups, path rules, monitor selection; ARTEMIS
 * neighbours, mitigation, policies) is not guessed at: it is counted in {@link Result#notes()}.
 * Read with SnakeYAML's safe constructor and bounded: file size, aliases, nesting depth and entry
 * count are capped before anything is built.
 */
public final class ForeignWatchList {
  /** The formats {@link #read} knows. */
  public enum Format {
    BGPALERTER,
    ARTEMIS
  }

  /** Largest file read (a 50k-prefix prefixes.yml is about 6 MiB). */
  public static final long MAX_BYTES = 64L << 20;

  /** Most entries one file may produce. */
  public static final int MAX_ENTRIES = 1_000_000;

  /** The entries, and what was skipped or not mapped (one line each, with counts). */
  public record Result(List<WatchEntry> entries, List<String> notes) {}

  private ForeignWatchList() {}

  public static Result read(Path file, Format format) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IllegalArgumentException(
          file + ": " + size + " bytes, more than the " + MAX_BYTES + " a watch list may have");
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8), format, file.toString());
  }

  /** Parses {@code text}; errors name {@code where} and the key concerned. */
  public static Result parse(String text, Format format, String where) {
    Object doc;
    try {
      LoaderOptions o = new LoaderOptions();
      o.setAllowDuplicateKeys(false);
      o.setMaxAliasesForCollections(100_000); // ARTEMIS configs are built from aliases
      o.setNestingDepthLimit(32);
      o.setCodePointLimit((int) MAX_BYTES);
      doc = new Yaml(new SafeConstructor(o)).load(text);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(where + ": not valid YAML: " + e.getMessage());
    }
    if (!(doc instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          where + ": the document must be a map (" + describeFormat(format) + ")");
    }
    Notes notes = new Notes();
    List<WatchEntry> out =
        format == Format.BGPALERTER ? bgpalerter(m, where, notes) : artemis(m, where, notes);
    return new Result(out, notes.lines());
  }

  private static String describeFormat(Format f) {
    return f == Format.BGPALERTER
        ? "BGPalerter prefixes.yml: prefix → settings"
        : "ARTEMIS config: prefixes, asns, rules";
  }

  // ------------------------------------------------------------------------------ BGPalerter

  private static List<WatchEntry> bgpalerter(Map<?, ?> doc, String where, Notes notes) {
    List<WatchEntry> out = new ArrayList<>();
    for (Map.Entry<?, ?> e : doc.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.equals("options")) {
        continue;
      }
      String at = where + ": " + key;
      if (!(e.getValue() instanceof Map<?, ?> v)) {
        throw new IllegalArgumentException(
            at + ": must be a map of settings (description, asn, …)");
      }
      if (Boolean.TRUE.equals(v.get("ignore"))) {
        notes.add("prefixes with ignore: true skipped");
        continue;
      }
      Set<Long> origins = asns(v.get("asn"), at + ".asn");
      WatchEntry.Builder b =
          WatchEntry.newBuilder().setKind(WatchKind.PREFIX).setValue(prefix(key, at));
      if (!origins.isEmpty()) {
        b.putOverrides("origins", join(origins));
      }
      if (Boolean.TRUE.equals(v.get("ignoreMorespecifics"))) {
        b.putOverrides("more-specific.enabled", "false");
      }
      b.setDescription(description(v.get("description"), notes));
      for (String unmapped : List.of("group", "path", "excludeMonitors", "includeMonitors")) {
        if (v.containsKey(unmapped)) {
          notes.add("prefix setting '" + unmapped + "' not mapped" + hint(unmapped));
        }
      }
      add(out, b.build(), where);
    }
    Object options = doc.get("options");
    if (options instanceof Map<?, ?> opt && opt.get("monitorASns") instanceof Map<?, ?> asns) {
      for (Map.Entry<?, ?> e : asns.entrySet()) {
        String at = where + ": options.monitorASns." + e.getKey();
        long asn = asn(e.getKey(), at);
        add(
            out,
            WatchEntry.newBuilder().setKind(WatchKind.ASN).setValue("AS" + asn).build(),
            where);
        if (e.getValue() instanceof Map<?, ?> s) {
          for (Object k : s.keySet()) {
            notes.add("monitorASns setting '" + k + "' not mapped" + hint(String.valueOf(k)));
          }
        }
      }
    } else if (options != null && !(options instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(where + ": options must be a map");
    }
    return out;
  }

  private static String hint(String setting) {
    return switch (setting) {
      case "group" -> " (route by the alert's labels in Alertmanager)";
      case "upstreams", "downstreams" ->
          " (routewatch learns upstreams and alerts on new or lost ones)";
      case "path" -> " (no path rules yet)";
      default -> "";
    };
  }

  // ------------------------------------------------------------------------------ ARTEMIS

  private static List<WatchEntry> artemis(Map<?, ?> doc, String where, Notes notes) {
    // prefix → the name of the group it was listed under (the description)
    Map<String, String> names = new TreeMap<>();
    if (doc.get("prefixes") instanceof Map<?, ?> groups) {
      for (Map.Entry<?, ?> g : groups.entrySet()) {
        for (Object p : flatten(g.getValue(), where + ": prefixes." + g.getKey())) {
          names.putIfAbsent(
              prefix(String.valueOf(p), where + ": prefixes." + g.getKey()),
              String.valueOf(g.getKey()));
        }
      }
    }
    if (!(doc.get("rules") instanceof List<?> rules)) {
      throw new IllegalArgumentException(
          where + ": rules must be a list (ARTEMIS config: prefixes, asns, rules)");
    }
    Map<String, Set<Long>> origins = new LinkedHashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      String at = where + ": rules[" + i + "]";
      if (!(rules.get(i) instanceof Map<?, ?> rule)) {
        throw new IllegalArgumentException(
            at + ": must be a map (prefixes, origin_asns, neighbors, …)");
      }
      Set<Long> ruleOrigins = new LinkedHashSet<>();
      for (Object a : flatten(rule.get("origin_asns"), at + ".origin_asns")) {
        ruleOrigins.add(asn(a, at + ".origin_asns"));
      }
      List<Object> prefixes = flatten(rule.get("prefixes"), at + ".prefixes");
      if (prefixes.isEmpty()) {
        throw new IllegalArgumentException(at + ": has no prefixes");
      }
      for (Object p : prefixes) {
        origins
            .computeIfAbsent(
                prefix(String.valueOf(p), at + ".prefixes"), k -> new LinkedHashSet<>())
            .addAll(ruleOrigins);
      }
      for (Object k : rule.keySet()) {
        String s = String.valueOf(k);
        if (!s.equals("prefixes") && !s.equals("origin_asns")) {
          notes.add(
              "rule setting '"
                  + s
                  + "' not mapped"
                  + (s.equals("neighbors") ? hint("upstreams") : ""));
        }
      }
    }
    List<WatchEntry> out = new ArrayList<>();
    for (Map.Entry<String, Set<Long>> e : origins.entrySet()) {
      WatchEntry.Builder b = WatchEntry.newBuilder().setKind(WatchKind.PREFIX).setValue(e.getKey());
      if (!e.getValue().isEmpty()) {
        b.putOverrides("origins", join(e.getValue()));
      }
      b.setDescription(description(names.get(e.getKey()), notes));
      add(out, b.build(), where);
    }
    return out;
  }

  /** A scalar or a (nested, through aliases) list of them, flattened. */
  private static List<Object> flatten(Object v, String at) {
    List<Object> out = new ArrayList<>();
    flatten(v, at, out, 0);
    return out;
  }

  private static void flatten(Object v, String at, List<Object> out, int depth) {
    if (v == null) {
      return;
    }
    if (depth > 8) {
      throw new IllegalArgumentException(at + ": lists nested deeper than 8");
    }
    if (v instanceof Collection<?> c) {
      for (Object o : c) {
        flatten(o, at, out, depth + 1);
      }
    } else if (v instanceof Map<?, ?>) {
      throw new IllegalArgumentException(at + ": expected a value or a list, found a map");
    } else {
      if (out.size() >= MAX_ENTRIES) {
        throw new IllegalArgumentException(at + ": more than " + MAX_ENTRIES + " values");
      }
      out.add(v);
    }
  }

  // ------------------------------------------------------------------------------ values

  private static void add(List<WatchEntry> out, WatchEntry e, String where) {
    if (out.size() >= MAX_ENTRIES) {
      throw new IllegalArgumentException(where + ": more than " + MAX_ENTRIES + " entries");
    }
    out.add(e);
  }

  private static Set<Long> asns(Object v, String at) {
    Set<Long> out = new LinkedHashSet<>();
    for (Object a : flatten(v, at)) {
      out.add(asn(a, at));
    }
    return out;
  }

  private static long asn(Object v, String at) {
    String s = String.valueOf(v).trim();
    if (s.toUpperCase(Locale.ROOT).startsWith("AS")) {
      s = s.substring(2);
    }
    try {
      long a = Long.parseLong(s);
      if (a <= 0 || a > 0xffffffffL) {
        throw new NumberFormatException();
      }
      return a;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(at + ": '" + v + "' is not an AS number (1..4294967295)");
    }
  }

  private static String prefix(String s, String at) {
    String p = s.trim();
    if (!p.matches("[0-9a-fA-F:.]+/\\d{1,3}")) {
      throw new IllegalArgumentException(at + ": '" + s + "' is not a prefix (address/length)");
    }
    return p;
  }

  private static String description(Object v, Notes notes) {
    String d = v == null ? "" : String.valueOf(v).trim();
    if (d.length() > 200) {
      notes.add("descriptions cut to 200 characters");
      d = d.substring(0, 199) + "…";
    }
    return d;
  }

  private static String join(Set<Long> asns) {
    StringBuilder b = new StringBuilder();
    for (long a : asns) {
      b.append(b.length() == 0 ? "" : ",").append(a);
    }
    return b.toString();
  }

  /** Counted notes, in first-seen order. */
  private static final class Notes {
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    void add(String note) {
      counts.merge(note, 1, Integer::sum);
    }

    List<String> lines() {
      List<String> out = new ArrayList<>();
      counts.forEach((k, n) -> out.add(k + " (" + n + "×)"));
      return out;
    }
  }
}
