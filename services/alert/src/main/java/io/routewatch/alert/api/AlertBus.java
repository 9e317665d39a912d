package io.routewatch.alert.api;

import io.routewatch.alert.pipeline.AlertView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Fans committed alert transitions out to live subscribers (gRPC StreamAlerts, REST SSE). Each
 * subscriber has a bounded queue drained when its transport is ready; one that falls more than
 * {@code capacity} behind is told so and dropped, so a stuck client can never grow memory.
 */
@ApplicationScoped
public class AlertBus {
  private final Set<Subscription> subs = new CopyOnWriteArraySet<>();

  /** A consumer's queue; {@code drain} is called after every offer. */
  public final class Subscription {
    private final AlertFilter filter;
    private final int capacity;
    private final ArrayDeque<AlertView> queue = new ArrayDeque<>();
    private volatile Runnable drain = () -> {};
    private volatile boolean overflowed;

    Subscription(AlertFilter filter, int capacity) {
      this.filter = filter;
      this.capacity = capacity;
    }

    public void onAvailable(Runnable r) {
      drain = r;
    }

    public synchronized AlertView poll() {
      return queue.poll();
    }

    public boolean overflowed() {
      return overflowed;
    }

    /** Queues regardless of the filter (used for the initial snapshot of firing alerts). */
    public void offer(AlertView v) {
      synchronized (this) {
        if (queue.size() >= capacity) {
          overflowed = true;
        } else {
          queue.add(v);
        }
      }
      drain.run();
    }

    public void close() {
      subs.remove(this);
    }
  }

  public Subscription subscribe(AlertFilter filter, int capacity) {
    Subscription s = new Subscription(filter, capacity);
    subs.add(s);
    return s;
  }

  public int subscribers() {
    return subs.size();
  }

  void onTransition(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertView v) {
    for (Subscription s : subs) {
      if (s.filter.matches(v)) {
        s.offer(v);
      }
    }
  }
}
