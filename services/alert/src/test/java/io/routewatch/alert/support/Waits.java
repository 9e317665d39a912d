package io.routewatch.alert.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: every wait in these tests has a deadline and an iteration cap. */
public final class Waits {
  private Waits() {}

  /** A fixed pause, for asserting that something does not happen. */
  public static void pause(Duration d) {
    Daemon.sleep(d.toMillis());
  }

  /** Polls every 20 ms; returns the elapsed ms, or throws naming what did not happen. */
  public static long within(Duration max, String what, BooleanSupplier cond) {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    for (int i = 0; i < 100_000; i++) {
      if (cond.getAsBoolean()) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      Daemon.sleep(20);
    }
    throw new AssertionError(what + " did not happen within " + max.toMillis() + " ms");
  }
}
