package io.routewatch.state.feeds;

import java.time.Duration;

/**
 * When a feed counts as stale ({@code routewatch.state.feeds.*}): silent for {@code multiplier}
 * times its learned rhythm ({@link FeedRhythm}), but at least {@code staleAfterMin}, once it has
 * shown {@code minObservations} gaps. A feed whose multiplied rhythm exceeds {@code staleAfterMax}
 * is too sparse to tell a failure from a quiet network: it is not judged (until its rhythm, which
 * decays, falls below that again).
 *
 * @param multiplier k: stale after k times the usual longest gap
 * @param floor the shortest gap counted
 * @param halfLife how fast a long gap is forgotten
 * @param minObservations gaps learned before a feed is judged (none during warm-up)
 * @param staleAfterMin never stale sooner than this
 * @param staleAfterMax feeds that would need longer are not judged
 * @param maxFeeds feeds (sources and VPs) tracked at most; the least recently heard is evicted
 * @param vantagePoints judge VPs of RIS Live and BMP feeds one by one, too
 */
public record FeedPolicy(
    double multiplier,
    Duration floor,
    Duration halfLife,
    int minObservations,
    Duration staleAfterMin,
    Duration staleAfterMax,
    int maxFeeds,
    boolean vantagePoints) {

  public FeedPolicy {
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
    }
    if (floor.isNegative() || floor.isZero() || halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException("floor and half-life must be positive");
    }
    if (minObservations < 1) {
      throw new IllegalArgumentException("min-observations must be at least 1");
    }
    if (staleAfterMin.isNegative()
        || staleAfterMin.isZero()
        || staleAfterMax.compareTo(staleAfterMin) < 0) {
      throw new IllegalArgumentException(
          "need 0 < stale-after-min <= stale-after-max, got "
              + staleAfterMin
              + " and "
              + staleAfterMax);
    }
    if (maxFeeds < 1) {
      throw new IllegalArgumentException("max-feeds must be at least 1");
    }
  }

  /** A rhythm learner with this policy's floor and half-life. */
  public FeedRhythm newRhythm() {
    return new FeedRhythm(floor.toNanos(), halfLife.toNanos());
  }

  /**
   * Silence after which the feed is stale, ns; -1 while it is not judged (still learning, or too
   * sparse for {@code staleAfterMax}).
   */
  public long staleAfterNanos(FeedRhythm r) {
    if (r.observations() < minObservations) {
      return -1;
    }
    double k = multiplier * r.rhythmNanos();
    if (k > staleAfterMax.toNanos()) {
      return -1;
    }
    return Math.max(staleAfterMin.toNanos(), (long) k);
  }
}
