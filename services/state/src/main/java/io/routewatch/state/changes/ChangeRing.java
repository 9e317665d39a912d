package io.routewatch.state.changes;

import io.routewatch.proto.v1.Change;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest committed changes in memory, indexed by sequence, so live subscribers are fed without
 * a PostgreSQL read. One writer (the journal's writer thread, through its commit listener); readers
 * on any thread get either the change of the sequence asked for or null when it is not (or no
 * longer) held, never another one.
 */
final class ChangeRing {
  private final AtomicReferenceArray<Change> slots;
  private final int mask;

  /** Sequence of the newest change held; 0 before the first. */
  private volatile long newest;

  /** {@code capacity} is rounded up to a power of two. */
  ChangeRing(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    slots = new AtomicReferenceArray<>(size);
    mask = size - 1;
  }

  int capacity() {
    return mask + 1;
  }

  /** Writer thread: a committed batch, oldest first (sequences follow each other). */
  void add(List<Change> batch) {
    for (Change c : batch) {
      slots.set((int) (c.getSequence() & mask), c);
    }
    if (!batch.isEmpty()) {
      newest = batch.get(batch.size() - 1).getSequence();
    }
  }

  /** The change of sequence {@code seq}, or null if the ring does not hold it. */
  Change get(long seq) {
    if (seq <= 0 || seq > newest) {
      return null;
    }
    Change c = slots.get((int) (seq & mask));
    return c != null && c.getSequence() == seq ? c : null;
  }

  /** Sequence of the newest change held (0: none yet). */
  long newest() {
    return newest;
  }
}
