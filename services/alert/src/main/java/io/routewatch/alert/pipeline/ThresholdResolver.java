package io.routewatch.alert.pipeline;

import io.routewatch.alert.AlertConfig;
import io.routewatch.alert.rule.AlertType;
import io.routewatch.alert.rule.Thresholds;
import io.routewatch.alert.watch.WatchEntry;
import io.routewatch.alert.watch.WatchOverrides;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Resolves the settings of one alert type for one watch entry. Precedence: entry override {@code
 * <type>.<name>}, entry override {@code <name>}, {@code routewatch.alert.rules.<type>.<name>},
 * {@code routewatch.alert.rules.defaults.<name>}, then the built-in default.
 */
@ApplicationScoped
public class ThresholdResolver {
  @Inject AlertConfig config;

  public ThresholdResolver() {}

  ThresholdResolver(AlertConfig config) {
    this.config = config;
  }

  /**
   * Resolved settings by entry overrides and type: the configuration does not change while the
   * service runs, so one resolution per distinct override set serves every change. Bounded: cleared
   * when it holds {@link #MEMO_MAX} override sets (watch entries edited many times).
   */
  private final Map<Map<String, String>, Map<AlertType, Thresholds>> memo =
      new ConcurrentHashMap<>();

  static final int MEMO_MAX = 10_000;

  public Thresholds resolve(AlertType t, WatchEntry entry) {
    Map<String, String> ov = entry == null ? Map.of() : entry.overrides();
    Map<AlertType, Thresholds> byType = memo.get(ov);
    if (byType == null) {
      if (memo.size() >= MEMO_MAX) {
        memo.clear();
      }
      byType = memo.computeIfAbsent(Map.copyOf(ov), k -> new ConcurrentHashMap<>());
    }
    Thresholds th = byType.get(t);
    if (th == null) {
      th = compute(t, ov);
      byType.putIfAbsent(t, th);
    }
    return th;
  }

  private Thresholds compute(AlertType t, Map<String, String> ov) {
    Lookup l = new Lookup(t, ov);
    return new Thresholds(
        l.get("enabled", AlertConfig.RuleSettings::enabled, Boolean::parseBoolean, true),
        l.get("severity", AlertConfig.RuleSettings::severity, s -> s, t.defaultSeverity()),
        l.get("min-peer-asns", AlertConfig.RuleSettings::minPeerAsns, Integer::parseInt, 3),
        l.get("min-vp-share", AlertConfig.RuleSettings::minVpShare, Double::parseDouble, 0.0),
        micros(
            l.get(
                "hold",
                AlertConfig.RuleSettings::hold,
                WatchOverrides::duration,
                Duration.ofMinutes(5))),
        micros(
            l.get(
                "clear",
                AlertConfig.RuleSettings::clear,
                WatchOverrides::duration,
                Duration.ofMinutes(10))),
        micros(
            l.get(
                "auto-resolve",
                AlertConfig.RuleSettings::autoResolve,
                WatchOverrides::duration,
                defaultAutoResolve(t))),
        l.get(
            "exclude-adjacent",
            AlertConfig.RuleSettings::excludeAdjacent,
            Boolean::parseBoolean,
            false),
        l.get(
            "share-shift-points",
            AlertConfig.RuleSettings::shareShiftPoints,
            Double::parseDouble,
            0.2),
        l.get(
            "visibility-threshold",
            AlertConfig.RuleSettings::visibilityThreshold,
            Double::parseDouble,
            0.5),
        origins(t, ov),
        l.get(
            "severity-rov-valid",
            AlertConfig.RuleSettings::severityRovValid,
            s -> s,
            Thresholds.ROV_VALID_SEVERITY),
        l.get(
            "severity-rov-invalid",
            AlertConfig.RuleSettings::severityRovInvalid,
            s -> s,
            Thresholds.ROV_INVALID_SEVERITY));
  }

  /** Event-like alerts close on their own once the new situation is the normal one. */
  static Duration defaultAutoResolve(AlertType t) {
    return switch (t) {
      case NEW_UPSTREAM, LOST_UPSTREAM, MORE_SPECIFIC, ORIGIN_CHANGE, NEW_NEIGHBOR ->
          Duration.ofHours(24);
      case UPSTREAM_SHARE_SHIFT -> Duration.ofHours(6);
      default -> Duration.ZERO;
    };
  }

  private static Set<Long> origins(AlertType t, Map<String, String> ov) {
    String v = ov.getOrDefault(t.configKey() + ".origins", ov.getOrDefault("origins", ""));
    return java.util.Collections.unmodifiableSet(WatchOverrides.origins(v));
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }

  private final class Lookup {
    private final AlertType type;
    private final Map<String, String> overrides;

    Lookup(AlertType type, Map<String, String> overrides) {
      this.type = type;
      this.overrides = overrides;
    }

    <T> T get(
        String name,
        Function<AlertConfig.RuleSettings, Optional<T>> field,
        Function<String, T> parse,
        T fallback) {
      String o = overrides.get(type.configKey() + "." + name);
      if (o == null) {
        o = overrides.get(name);
      }
      if (o != null) {
        return parse.apply(o);
      }
      Map<String, AlertConfig.RuleSettings> rules = config.rules();
      AlertConfig.RuleSettings perType = rules.get(type.configKey());
      if (perType != null && field.apply(perType).isPresent()) {
        return field.apply(perType).get();
      }
      AlertConfig.RuleSettings defaults = rules.get("defaults");
      if (defaults != null && field.apply(defaults).isPresent()) {
        return field.apply(defaults).get();
      }
      return fallback;
    }
  }
}
