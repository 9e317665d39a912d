package io.routewatch.state.feeds;

/**
 * The learned rhythm of one feed: how long it is normally silent between messages.
 *
 * <p>An observation is an arrival at least {@code floor} after the previous arrival or the previous
 * observation, so a busy feed (a table dump, a firehose) counts one observation per {@code floor}
 * and a gap is never shorter than {@code floor}. The rhythm is a decaying maximum of the observed
 * gaps: the longest recent gap, halved every {@code half-life} of feed time unless a longer one
 * replaces it. A feed whose gaps vary keeps its long gaps as its rhythm for about a half-life, so a
 * gap as long as one it has shown lately is never taken for a failure.
 *
 * <p>Times are monotonic nanoseconds ({@link System#nanoTime()}). Not thread-safe (the state
 * writer's thread owns every feed).
 */
public final class FeedRhythm {
  private final long floorNanos;
  private final double halfLifeNanos;

  private long lastArrival;
  private long lastObservation;
  private long observations;
  private double peak;
  private long peakAt;
  private boolean started;

  /**
   * @param floorNanos the shortest gap counted (and the least time between two observations)
   * @param halfLifeNanos how fast a long gap is forgotten
   */
  public FeedRhythm(long floorNanos, long halfLifeNanos) {
    if (floorNanos <= 0 || halfLifeNanos <= 0) {
      throw new IllegalArgumentException("floor and half-life must be positive");
    }
    this.floorNanos = floorNanos;
    this.halfLifeNanos = halfLifeNanos;
  }

  /** A message arrived at {@code t}. */
  public void arrival(long t) {
    if (!started) {
      started = true;
      lastArrival = t;
      lastObservation = t;
      return;
    }
    long gap = t - lastArrival;
    if (gap >= floorNanos || t - lastObservation >= floorNanos) {
      observations++;
      double g = Math.max(gap, floorNanos);
      double kept = peak * Math.pow(0.5, (t - peakAt) / halfLifeNanos);
      peak = Math.max(g, kept);
      peakAt = t;
      lastObservation = t;
    }
    lastArrival = Math.max(lastArrival, t);
  }

  /**
   * The feed is heard again at {@code t} after a silence that is not its rhythm (it was stale, or
   * state itself was paused): silence counts from {@code t}, and that gap is not learned.
   */
  public void restartAt(long t) {
    if (!started) {
      arrival(t);
      return;
    }
    lastArrival = t;
    lastObservation = t;
  }

  /** State did not run for {@code nanos} (writer paused): that time is not the feed's silence. */
  public void shift(long nanos) {
    lastArrival += nanos;
    lastObservation += nanos;
    peakAt += nanos;
  }

  /** Gaps learned so far. */
  public long observations() {
    return observations;
  }

  /** The feed's usual longest gap as of its last observation, ns (0 before the first gap). */
  public long rhythmNanos() {
    return (long) peak;
  }

  /** Time since the last arrival. */
  public long silenceNanos(long now) {
    return started ? Math.max(0, now - lastArrival) : 0;
  }

  public long lastArrival() {
    return lastArrival;
  }
}
