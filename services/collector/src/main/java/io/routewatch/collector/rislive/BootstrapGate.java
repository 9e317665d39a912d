package io.routewatch.collector.rislive;

import io.routewatch.collector.publish.LiveEvent;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Stands between a live feed and its stream while the feed's bootstrap RIB dump is imported: events
 * are held (at most {@code maxHeld}; beyond that {@link #offer} waits, so the feed's reader stops
 * and TCP pushes back), then {@link #open} applies those stamped at or after the dump's time in
 * arrival order and lets every later event through at once. Events stamped before the dump are what
 * the dump already shows: applied after it they would roll state back, so they are dropped and
 * counted ({@link #skipped()}). Thread-safe: one feed thread offers, one bootstrap thread opens.
 */
final class BootstrapGate {
  private long dumpMicros; // guarded by this
  private final int maxHeld;
  private final Consumer<LiveEvent> downstream;
  private final ArrayDeque<LiveEvent> held = new ArrayDeque<>();
  private boolean open;
  private long skipped;
  private long heldMax;
  private long waits;

  BootstrapGate(long dumpMicros, int maxHeld, Consumer<LiveEvent> downstream) {
    if (maxHeld < 1) {
      throw new IllegalArgumentException("bootstrap-max-held must be at least 1, got " + maxHeld);
    }
    this.dumpMicros = dumpMicros;
    this.maxHeld = maxHeld;
    this.downstream = downstream;
  }

  /**
   * The dump's time, when it is known only once the dump is found (taken from the archive): events
   * stamped before it are dropped. Before {@link #open}.
   */
  synchronized void since(long micros) {
    dumpMicros = micros;
  }

  /** Feed thread: passes {@code e} on once open, holds it until then (waiting while full). */
  void offer(LiveEvent e) throws InterruptedException {
    synchronized (this) {
      if (!open) {
        if (held.size() >= maxHeld) {
          waits++;
          while (!open && held.size() >= maxHeld) {
            wait();
          }
        }
        if (!open) {
          held.add(e);
          heldMax = Math.max(heldMax, held.size());
          return;
        }
      }
    }
    pass(e);
  }

  /**
   * Bootstrap thread, once state has the dump (or the dump failed: then {@code applyHeld} still
   * applies what was held, as a feed without bootstrap would have): applies the held events and
   * lets the feed through. Holds the lock while it drains, so an event offered meanwhile comes
   * after every held one.
   */
  synchronized void open() {
    LiveEvent e;
    while ((e = held.poll()) != null) {
      pass(e);
    }
    open = true;
    notifyAll();
  }

  private void pass(LiveEvent e) {
    synchronized (this) {
      if (e.timestampMicros() < dumpMicros) {
        skipped++;
        return;
      }
    }
    downstream.accept(e);
  }

  synchronized boolean isOpen() {
    return open;
  }

  /** Events dropped because they were older than the dump. */
  synchronized long skipped() {
    return skipped;
  }

  /** Most events held at once. */
  synchronized long heldMax() {
    return heldMax;
  }

  /** Times the feed had to wait because {@code maxHeld} events were held. */
  synchronized long waits() {
    return waits;
  }
}
