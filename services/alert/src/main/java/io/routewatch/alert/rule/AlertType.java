package io.routewatch.alert.rule;

import java.util.Locale;
import java.util.Optional;

/** The alert types: {@code alertname} label, config key and default severity. */
public enum AlertType {
  NEW_UPSTREAM("NewUpstream", "new-upstream", "warning"),
  LOST_UPSTREAM("LostUpstream", "lost-upstream", "warning"),
  UPSTREAM_SHARE_SHIFT("UpstreamShareShift", "upstream-share-shift", "info"),
  SINGLE_HOMED("SingleHomed", "single-homed", "warning"),
  VISIBILITY_LOSS("VisibilityLoss", "visibility-loss", "critical"),
  ORIGIN_CHANGE("OriginChange", "origin-change", "critical"),
  MORE_SPECIFIC("MoreSpecific", "more-specific", "critical"),
  HIJACK("Hijack", "hijack", "critical"),
  RPKI_INVALID("RpkiInvalid", "rpki-invalid", "critical"),
  ROUTE_LEAK("RouteLeak", "route-leak", "warning"),
  NEW_NEIGHBOR("NewNeighbor", "new-neighbor", "info"),
  NEW_PREFIX("NewPrefix", "new-prefix", "info"),
  ROA_CHANGE("RoaChange", "roa-change", "info"),
  FEED_STALE("FeedStale", "feed-stale", "warning");

  private final String alertname;
  private final String configKey;
  private final String defaultSeverity;

  AlertType(String alertname, String configKey, String defaultSeverity) {
    this.alertname = alertname;
    this.configKey = configKey;
    this.defaultSeverity = defaultSeverity;
  }

  /** The Alertmanager {@code alertname} label, e.g. {@code NewUpstream}. */
  public String alertname() {
    return alertname;
  }

  /**
   * Key under {@code routewatch.alert.rules.} and in per-entry overrides, e.g. {@code
   * new-upstream}.
   */
  public String configKey() {
    return configKey;
  }

  public String defaultSeverity() {
    return defaultSeverity;
  }

  /** Accepts the alertname, the config key or the enum name, case-insensitively. */
  public static Optional<AlertType> parse(String s) {
    String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    for (AlertType a : values()) {
      if (a.alertname.toLowerCase(Locale.ROOT).equals(t)
          || a.configKey.equals(t)
          || a.name().toLowerCase(Locale.ROOT).equals(t)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
