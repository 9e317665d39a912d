package io.routewatch.alert.rule;

import java.util.Set;

/**
 * The resolved noise and rule settings for one alert type and one watch entry (config defaults,
 * per-type config, per-entry overrides, in that order of precedence).
 *
 * @param enabled the type alerts at all for this entry
 * @param severity the {@code severity} label
 * @param minPeerAsns distinct peer ASNs that must have seen it (BGPalerter thresholdMinPeers)
 * @param minVpShare fraction of full-feed VPs / VP paths that must back it (IODA 50 %)
 * @param holdMicros condition must hold this long before firing
 * @param clearMicros recovery must hold this long before resolving
 * @param autoResolveMicros event-like alerts resolve after this long (0 = never)
 * @param excludeAdjacent VPs adjacent to the watched network do not count as evidence
 * @param shareShiftPoints UpstreamShareShift fires when a share moves by at least this (0..1)
 * @param visibilityThreshold a prefix is visible strictly above this fraction of full-feed VPs; a
 *     value on it is lost, as in state ({@link #lostVisibility})
 * @param expectedOrigins origins allowed for a watched prefix (empty = not configured)
 * @param severityRovValid the severity of an OriginChange, MoreSpecific or Hijack whose new
 *     (foreign) origins are all RPKI-valid for the prefix (a ROA authorises them: a DDoS scrubber,
 *     a customer)
 * @param severityRovInvalid the severity of one whose new origin is RPKI-invalid
 */
public record Thresholds(
    boolean enabled,
    String severity,
    int minPeerAsns,
    double minVpShare,
    long holdMicros,
    long clearMicros,
    long autoResolveMicros,
    boolean excludeAdjacent,
    double shareShiftPoints,
    double visibilityThreshold,
    Set<Long> expectedOrigins,
    String severityRovValid,
    String severityRovInvalid) {

  /** Built-in severity of an origin change to a ROA-valid origin. */
  public static final String ROV_VALID_SEVERITY = "info";

  /** Built-in severity of an origin change to an RPKI-invalid origin. */
  public static final String ROV_INVALID_SEVERITY = "critical";

  /** Settings with the built-in ROV severities. */
  public Thresholds(
      boolean enabled,
      String severity,
      int minPeerAsns,
      double minVpShare,
      long holdMicros,
      long clearMicros,
      long autoResolveMicros,
      boolean excludeAdjacent,
      double shareShiftPoints,
      double visibilityThreshold,
      Set<Long> expectedOrigins) {
    this(
        enabled,
        severity,
        minPeerAsns,
        minVpShare,
        holdMicros,
        clearMicros,
        autoResolveMicros,
        excludeAdjacent,
        shareShiftPoints,
        visibilityThreshold,
        expectedOrigins,
        ROV_VALID_SEVERITY,
        ROV_INVALID_SEVERITY);
  }

  /** Defaults for unit tests of rules: everything fires at once. */
  public static Thresholds permissive(AlertType t) {
    return new Thresholds(true, t.defaultSeverity(), 1, 0, 0, 0, 0, false, 0.2, 0.5, Set.of());
  }

  /**
   * The one comparison every visibility rule uses, the same as state's: visible means strictly
   * above the threshold, so a value on it (4 of 8 VPs at 0.5) is lost.
   */
  public static boolean lostVisibility(double visibility, double threshold) {
    return !(visibility > threshold);
  }

  public Thresholds withExpectedOrigins(Set<Long> origins) {
    return new Thresholds(
        enabled,
        severity,
        minPeerAsns,
        minVpShare,
        holdMicros,
        clearMicros,
        autoResolveMicros,
        excludeAdjacent,
        shareShiftPoints,
        visibilityThreshold,
        origins,
        severityRovValid,
        severityRovInvalid);
  }
}
