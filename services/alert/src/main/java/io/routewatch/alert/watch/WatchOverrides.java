package io.routewatch.alert.watch;

import io.routewatch.alert.rule.AlertType;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-entry overrides: {@code name} for every type or {@code <type>.name} for one type (type as
 * config key {@code new-upstream} or alertname {@code NewUpstream}). Values are checked here so a
 * bad entry is refused with a message instead of being ignored at alert time.
 */
public final class WatchOverrides {
  public static final Set<String> NAMES =
      Set.of(
          "enabled",
          "severity",
          "min-peer-asns",
          "min-vp-share",
          "hold",
          "clear",
          "auto-resolve",
          "exclude-adjacent",
          "share-shift-points",
          "visibility-threshold",
          "origins",
          "severity-rov-valid",
          "severity-rov-invalid",
          "upstreams",
          "downstreams");

  private WatchOverrides() {}

  /** Validated copy with canonical keys ({@code new-upstream.hold}); throws on the first error. */
  public static Map<String, String> validate(Map<String, String> in) {
    Map<String, String> out = new TreeMap<>();
    if (in == null) {
      return out;
    }
    for (Map.Entry<String, String> e : in.entrySet()) {
      String key = e.getKey().trim();
      String name = key;
      String prefix = "";
      int dot = key.lastIndexOf('.');
      if (dot > 0) {
        String type = key.substring(0, dot);
        AlertType t =
            AlertType.parse(type)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "override '" + key + "': unknown alert type '" + type + "'"));
        prefix = t.configKey() + ".";
        name = key.substring(dot + 1);
      }
      name = name.toLowerCase(Locale.ROOT);
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "override '"
                + key
                + "': unknown setting '"
                + name
                + "' (known: "
                + new TreeMap<>(Map.of()).keySet()
                + String.join(", ", new java.util.TreeSet<>(NAMES))
                + ")");
      }
      String v = e.getValue() == null ? "" : e.getValue().trim();
      check(key, name, v);
      out.put(prefix + name, v);
    }
    return out;
  }

  private static void check(String key, String name, String v) {
    try {
      switch (name) {
        case "enabled", "exclude-adjacent" -> {
          if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("must be true or false");
          }
        }
        case "severity", "severity-rov-valid", "severity-rov-invalid" -> {
          if (!Set.of("critical", "warning", "info").contains(v)) {
            throw new IllegalArgumentException("must be critical, warning or info");
          }
        }
        case "min-peer-asns" -> {
          if (Integer.parseInt(v) < 0) {
            throw new IllegalArgumentException("must be >= 0");
          }
        }
        case "min-vp-share", "share-shift-points", "visibility-threshold" -> {
          double d = Double.parseDouble(v);
          if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("must be a fraction 0..1");
          }
        }
        case "hold", "clear", "auto-resolve" -> duration(v);
        case "origins" -> origins(v);
        case "upstreams", "downstreams" -> asns(v);
        default -> throw new IllegalArgumentException("unknown");
      }
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("override '" + key + "': '" + v + "' is not a number");
    } catch (IllegalArgumentException ex) {
      if (ex.getMessage() != null && ex.getMessage().startsWith("override")) {
        throw ex;
      }
      throw new IllegalArgumentException("override '" + key + "': '" + v + "' " + ex.getMessage());
    }
  }

  /** "30s", "5m", "1h", "500ms", "0" or ISO-8601 "PT30S". */
  public static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("pt") || s.startsWith("p")) {
        return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
      }
      if (s.equals("0")) {
        return Duration.ZERO;
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("is not a duration (30s, 5m, 1h, PT30S)");
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("is not a duration (30s, 5m, 1h, PT30S)");
    }
  }

  /**
   * NewNeighbor's allowed neighbours of an entry's AS on one side ({@code "upstream"} or {@code
   * "downstream"}): {@code new-neighbor.upstreams} over {@code upstreams} (BGPalerter's {@code
   * monitorPathNeighbors} lists), empty when the entry lists none.
   */
  public static Set<Long> neighbors(Map<String, String> overrides, String side) {
    String key = side + "s";
    String v =
        overrides.getOrDefault(
            AlertType.NEW_NEIGHBOR.configKey() + "." + key, overrides.getOrDefault(key, ""));
    return asns(v);
  }

  /** "3356, AS1299" → {3356, 1299} (AS0 refused: it is nobody's neighbour). */
  static Set<Long> asns(String v) {
    Set<Long> out = new LinkedHashSet<>();
    for (String part : v.split("[,\\s]+")) {
      if (!part.isEmpty()) {
        long a = WatchValues.asn(part);
        if (a == 0) {
          throw new IllegalArgumentException("lists AS0, which is nobody's neighbour");
        }
        out.add(a);
      }
    }
    return out;
  }

  /** "131279, AS4837" → {131279, 4837}. */
  public static Set<Long> origins(String v) {
    Set<Long> out = new LinkedHashSet<>();
    for (String part : v.split("[,\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      String t = part.toUpperCase(Locale.ROOT);
      // AS0 (as in an AS0 ROA): the space must not be announced at all; any origin is squatting
      out.add(t.equals("AS0") || t.equals("0") ? 0L : WatchValues.asn(part));
    }
    if (out.contains(0L) && out.size() > 1) {
      throw new IllegalArgumentException(
          "origins '" + v + "': AS0 (not announced) cannot be listed with other origins");
    }
    return out;
  }
}
