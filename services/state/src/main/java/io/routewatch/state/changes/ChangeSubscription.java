package io.routewatch.state.changes;

import io.grpc.Status;
import io.routewatch.proto.v1.Change;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One change-stream subscriber: its position and its transport. At most one task (a live drain on
 * the feed thread or a catch-up read on a reader thread) runs for it at a time ({@link #claim});
 * every write to the transport is made under its lock, so heartbeats never interleave with it.
 */
final class ChangeSubscription {
  /** The transport, written only while {@link #ready()}: writes never block a thread. */
  interface Sink {
    /** True while the transport takes a message without buffering beyond its window. */
    boolean ready();

    void send(Change c);

    /** Ends the stream with this status (the transport is done afterwards). */
    void fail(Status status);

    /**
     * Runs {@code task} on the transport's own thread (gRPC: the connection's event loop), where
     * {@link #ready()} is exact and a write is a direct call, not a task queued per message. By
     * default, at once on the caller's thread.
     */
    default void execute(Runnable task) {
      task.run();
    }
  }

  /** Changes written per turn on the transport's thread before it lets other work in. */
  static final int TURN = 16;

  /**
   * A turn also ends once it has written for this long (at least one change). A query arriving on
   * an event loop waits for one turn of every subscriber served there: with 128 subscribers on a
   * loop, 16 writes each (each write flushes: about 0.1 ms under load) made that 0.2–0.5 s while an
   * import was fanned out; at 0.2 ms a turn it is about 30 ms.
   */
  static final long TURN_NANOS = 200_000;

  enum Mode {
    /** Fed from the ring of newest changes (feed thread). */
    LIVE,
    /** Behind the ring: fed from PostgreSQL by a reader thread. */
    CATCH_UP
  }

  final String name;
  private final Sink sink;

  /** {@link #TURN_NANOS}; a test may lengthen it to count turns by writes alone. */
  long turnNanos = TURN_NANOS;

  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Last sequence written (or the position resumed from). */
  volatile long after;

  volatile Mode mode;

  /** Retention checked (resuming from a position the ring does not hold asks PostgreSQL first). */
  volatile boolean checked;

  /** The first heartbeat went out (deferred until the resume position was checked). */
  volatile boolean greeted;

  volatile boolean closed;
  private volatile long lastSent = System.currentTimeMillis();

  ChangeSubscription(String name, long after, Sink sink) {
    this.name = name;
    this.after = after;
    this.sink = sink;
  }

  boolean ready() {
    return !closed && sink.ready();
  }

  /** True if the caller may run this subscription's task (none is queued or running). */
  boolean claim() {
    return scheduled.compareAndSet(false, true);
  }

  void release() {
    scheduled.set(false);
  }

  /** Writes {@code c} and moves the position to it; false if the transport is not ready. */
  synchronized boolean send(Change c) {
    if (!ready()) {
      return false;
    }
    sink.send(c);
    after = c.getSequence();
    lastSent = System.currentTimeMillis();
    return true;
  }

  /**
   * Writes {@code changes} in order on the transport's thread, {@value #TURN} per turn or as many
   * as {@link #TURN_NANOS} allows (at least one), while the transport is ready; then runs {@code
   * done} (on that thread). What was not written is written again from {@link #after} on a later
   * turn. One call in flight per subscription (the caller holds its claim until {@code done}), so
   * at most {@value #TURN} writes per subscriber wait on an event loop: a query arriving on the
   * same connection waits for a turn, not for a backlog.
   */
  void write(List<Change> changes, Runnable done) {
    sink.execute(
        new Runnable() {
          int next;

          @Override
          public void run() {
            boolean more;
            try {
              int end = Math.min(changes.size(), next + TURN);
              long until = System.nanoTime() + turnNanos;
              while (next < end && send(changes.get(next))) {
                next++;
                if (System.nanoTime() - until >= 0) {
                  break; // long enough: the rest after what else waits for this thread
                }
              }
              more = next < changes.size() && ready();
            } catch (RuntimeException e) {
              done.run();
              throw e;
            }
            if (more) {
              sink.execute(this); // the rest after whatever else waits for this thread
            } else {
              done.run();
            }
          }
        });
  }

  /**
   * A heartbeat carrying the position if nothing was written for {@code idleMillis}; {@code force}:
   * the first one, at once (the client knows the stream is established before any change).
   */
  synchronized void heartbeat(long idleMillis, boolean force) {
    if (!greeted && !force) {
      return;
    }
    // the greeting goes out regardless of the window: one small message the client waits for
    if (force ? !closed : System.currentTimeMillis() - lastSent >= idleMillis && ready()) {
      sink.send(heartbeatAt(after));
      greeted = true;
      lastSent = System.currentTimeMillis();
    }
  }

  /** Ends the stream with {@code status} unless it ended already; true if this call ended it. */
  synchronized boolean fail(Status status) {
    if (closed) {
      return false;
    }
    closed = true;
    try {
      sink.fail(status);
    } catch (RuntimeException e) {
      // the transport went away meanwhile
    }
    return true;
  }

  static Change heartbeatAt(long sequence) {
    return Change.newBuilder()
        .setKind(io.routewatch.proto.v1.ChangeKind.HEARTBEAT)
        .setSequence(sequence)
        .setTimeMicros(System.currentTimeMillis() * 1000)
        .build();
  }
}
