package io.routewatch.alert.pipeline;

/**
 * The clock hold and clear times run on. Production uses the wall clock; tests substitute a clock
 * they move by hand, so a timeline of hours runs in seconds and asserts exact times.
 */
public interface AlertClock {
  /** Now, µs since the epoch. */
  long nowMicros();
}
