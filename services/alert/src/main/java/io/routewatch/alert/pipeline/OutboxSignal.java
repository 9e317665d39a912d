package io.routewatch.alert.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the notify worker when a transaction that queued notifications has committed, so a page
 * leaves as soon as it is due instead of at the worker's next poll (the poll stays as the fallback
 * and for retries).
 */
@ApplicationScoped
public class OutboxSignal {
  private final Semaphore permits = new Semaphore(0);

  /** Something was committed to the outbox. */
  public void signal() {
    if (permits.availablePermits() == 0) {
      permits.release();
    }
  }

  /** Waits until signalled or {@code millis} passed. */
  public void await(long millis) throws InterruptedException {
    permits.tryAcquire(millis, TimeUnit.MILLISECONDS);
    permits.drainPermits();
  }
}
