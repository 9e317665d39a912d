package io.routewatch.state.rib;

/**
 * Tuning of the routing engine. Times are microseconds of event time. Build with {@link
 * #defaults()} and the {@code with…} methods.
 *
 * @param fullFeedV4 a VP is full-feed with at least this many IPv4 prefixes (IODA: 400k)
 * @param fullFeedV6 … or at least this many IPv6 prefixes (IODA: 10k)
 * @param visibleThreshold a prefix is visible when visibility is strictly above this (0.5)
 * @param outageThreshold an outage may start when visibility drops below this
 * @param outageClearThreshold an outage may end when visibility is back at or above this
 * @param outageHoldMicros visibility must stay low this long before an outage opens (5 min)
 * @param outageClearMicros and high this long before it closes (10 min, bgpcanary)
 * @param shareMovePoints a share change of at least this (0..1) is reported (0.10 = 10 points)
 * @param settleMicros a loading VP without RIB-dump end / End-of-RIB is settled after this, and a
 *     down VP that has not come back is accepted as gone after this (5 min)
 * @param warmupMicros the engine reports changes at the latest this long after its first event,
 *     even if some VP never finished loading (15 min)
 * @param shareFloor resilience: an upstream counts when its share is at least this (0.05)
 * @param minCutLimit resilience: stop the min-cut search at this many ASes
 * @param outageHistory closed outages kept for queries
 */
public record EngineConfig(
    int fullFeedV4,
    int fullFeedV6,
    double visibleThreshold,
    double outageThreshold,
    double outageClearThreshold,
    long outageHoldMicros,
    long outageClearMicros,
    double shareMovePoints,
    long settleMicros,
    long warmupMicros,
    double shareFloor,
    int minCutLimit,
    int outageHistory) {

  private static final long MINUTE = 60_000_000L;

  public static EngineConfig defaults() {
    return new EngineConfig(
        400_000,
        10_000,
        0.5,
        0.5,
        0.5,
        5 * MINUTE,
        10 * MINUTE,
        0.10,
        5 * MINUTE,
        15 * MINUTE,
        0.05,
        32,
        10_000);
  }

  public EngineConfig withFullFeed(int v4, int v6) {
    return new EngineConfig(
        v4,
        v6,
        visibleThreshold,
        outageThreshold,
        outageClearThreshold,
        outageHoldMicros,
        outageClearMicros,
        shareMovePoints,
        settleMicros,
        warmupMicros,
        shareFloor,
        minCutLimit,
        outageHistory);
  }

  public EngineConfig withOutage(double below, double clear, long holdMicros, long clearMicros) {
    return new EngineConfig(
        fullFeedV4,
        fullFeedV6,
        visibleThreshold,
        below,
        clear,
        holdMicros,
        clearMicros,
        shareMovePoints,
        settleMicros,
        warmupMicros,
        shareFloor,
        minCutLimit,
        outageHistory);
  }

  public EngineConfig withShareMovePoints(double points) {
    return new EngineConfig(
        fullFeedV4,
        fullFeedV6,
        visibleThreshold,
        outageThreshold,
        outageClearThreshold,
        outageHoldMicros,
        outageClearMicros,
        points,
        settleMicros,
        warmupMicros,
        shareFloor,
        minCutLimit,
        outageHistory);
  }

  public EngineConfig withSettle(long settle, long warmup) {
    return new EngineConfig(
        fullFeedV4,
        fullFeedV6,
        visibleThreshold,
        outageThreshold,
        outageClearThreshold,
        outageHoldMicros,
        outageClearMicros,
        shareMovePoints,
        settle,
        warmup,
        shareFloor,
        minCutLimit,
        outageHistory);
  }
}
