package io.routewatch.servicekit.log;

import java.time.Duration;

/**
 * At most one log line per interval for a repeated event (a flood of bad input must not flood the
 * log too): {@link #admit()} says whether this occurrence is logged and how many were kept quiet
 * since the last one, so the line can say so. The events are counted in a metric regardless.
 */
public final class LogLimiter {
  private final long intervalNanos;
  private long nextNanos;
  private boolean started;
  private long suppressed;

  public LogLimiter(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /**
   * -1: do not log this one; otherwise log it, with the returned count of occurrences not logged.
   */
  public synchronized long admit() {
    long now = System.nanoTime();
    if (started && now - nextNanos < 0) {
      suppressed++;
      return -1;
    }
    started = true;
    nextNanos = now + intervalNanos;
    long n = suppressed;
    suppressed = 0;
    return n;
  }
}
