package io.routewatch.alert.support;

import io.routewatch.alert.pipeline.AlertClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alert clock of every @QuarkusTest here: moves only when a test says so. It starts twelve
 * hours behind the wall clock so that every startsAt/endsAt it produces is in Alertmanager's past
 * (a resolved alert with endsAt in the future would stay active there): the tests of one run
 * together move it by a few hours.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ManualClock implements AlertClock {
  private final AtomicLong now =
      new AtomicLong((System.currentTimeMillis() - Duration.ofHours(12).toMillis()) * 1000);

  @Override
  public long nowMicros() {
    return now.get();
  }

  public long advance(Duration d) {
    return now.addAndGet(d.toNanos() / 1000);
  }

  /** Moves to {@code start + offset}. */
  public void at(long startMicros, Duration offset) {
    long target = startMicros + offset.toNanos() / 1000;
    if (target < now.get()) {
      throw new IllegalStateException("clock cannot go back");
    }
    now.set(target);
  }
}
