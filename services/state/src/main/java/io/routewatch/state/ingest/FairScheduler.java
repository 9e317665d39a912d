package io.routewatch.state.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shares state's single ingest writer and its memory between the publish streams.
 *
 * <p>Memory: a stream gets one more message only when gRPC is asked for it ({@code request(1)}),
 * and it is asked only while the stream's and the whole service's bytes in flight leave room for a
 * message of the largest size the transport admits ({@code max-message-bytes}): an outstanding
 * request reserves that much until the message arrives, then its real size is held until the writer
 * is done with it. So bytes in flight never pass the global budget, and a stream never holds more
 * than its own budget, whatever the clients send.
 *
 * <p>Fairness: streams waiting for room in the global budget are served in the order they started
 * waiting (one request each), and the writer takes queued batches by deficit round-robin over their
 * byte sizes (Shreedhar &amp; Varghese 1995): each stream with queued batches gets {@code quantum}
 * bytes per round, so a stream flooding large batches gets the same share of the writer as a
 * collector sending small ones, never all of it.
 *
 * <p>Pure and thread-safe (one monitor); request callbacks run outside it.
 */
public final class FairScheduler<T> {
  /**
   * Asks the stream's transport for one more message ({@code ServerCallStreamObserver.request(1)}).
   */
  public interface Flow {
    void request();
  }

  /** One queued message and the bytes it holds. */
  public record Entry<T>(Lane lane, T item, long bytes) {}

  /** One publish stream. */
  public static final class Lane {
    private final Flow flow;
    private final ArrayDeque<Entry<?>> queue = new ArrayDeque<>();

    /** Real bytes of its queued and in-apply messages, plus one message size while requested. */
    private long reserved;

    private boolean requested;
    private boolean waiting;
    private boolean active;
    private boolean closed;
    private long deficit;

    Lane(Flow flow) {
      this.flow = flow;
    }
  }

  private final long streamBudget;
  private final long globalBudget;
  private final long maxMessage;
  private final long quantum;
  private final int maxStreams;
  private final List<Lane> open = new ArrayList<>();

  /** Lanes with queued messages, in round-robin order; the head is having its turn. */
  private final ArrayDeque<Lane> ring = new ArrayDeque<>();

  /** Lanes that could take a message but the global budget had no room, first come first served. */
  private final ArrayDeque<Lane> waiting = new ArrayDeque<>();

  private long global;
  private int queued;

  /**
   * @param maxMessage the transport's limit; both budgets must hold at least one such message
   * @param quantum bytes a stream may take from the writer per round
   */
  public FairScheduler(
      long streamBudget, long globalBudget, long maxMessage, long quantum, int maxStreams) {
    if (maxMessage <= 0 || streamBudget < maxMessage || globalBudget < streamBudget) {
      throw new IllegalArgumentException(
          "ingest limits need max-message-bytes ("
              + maxMessage
              + ") <= stream-budget-bytes ("
              + streamBudget
              + ") <= global-budget-bytes ("
              + globalBudget
              + ")");
    }
    if (quantum <= 0 || maxStreams <= 0) {
      throw new IllegalArgumentException("quantum and max-streams must be positive");
    }
    this.streamBudget = streamBudget;
    this.globalBudget = globalBudget;
    this.maxMessage = maxMessage;
    this.quantum = quantum;
    this.maxStreams = maxStreams;
  }

  /** A new stream, asked for its first message when there is room; null at max-streams. */
  public Lane open(Flow flow) {
    Lane lane = new Lane(flow);
    List<Flow> grant = new ArrayList<>(1);
    synchronized (this) {
      if (open.size() >= maxStreams) {
        return null;
      }
      open.add(lane);
      grant(lane, grant);
    }
    run(grant);
    return lane;
  }

  /**
   * A lane for messages that do not come over a stream (in-process callers): never asked for
   * anything, not counted in max-streams, its bytes counted while queued.
   */
  public Lane detached() {
    Lane lane = new Lane(() -> {});
    lane.closed = true;
    return lane;
  }

  /**
   * The stream ended: it is asked for nothing more and its outstanding request frees its room. What
   * it queued is still handed to the writer (and released by {@link #done}).
   */
  public void close(Lane lane) {
    List<Flow> grant = new ArrayList<>();
    synchronized (this) {
      if (lane.closed) {
        return;
      }
      lane.closed = true;
      open.remove(lane);
      waiting.remove(lane);
      lane.waiting = false;
      if (lane.requested) {
        lane.requested = false;
        release(lane, maxMessage);
      }
      serveWaiting(grant);
    }
    run(grant);
  }

  /** A message of {@code bytes} arrived on the stream: it replaces the request's reservation. */
  public void offer(Lane lane, T item, long bytes) {
    List<Flow> grant = new ArrayList<>(1);
    synchronized (this) {
      long held = lane.requested ? maxMessage : 0;
      lane.requested = false;
      lane.reserved += bytes - held;
      global += bytes - held;
      lane.queue.addLast(new Entry<>(lane, item, bytes));
      queued++;
      if (!lane.active) {
        lane.active = true;
        lane.deficit = 0;
        ring.addLast(lane);
      }
      serveWaiting(grant); // a message smaller than its reservation frees room
      grant(lane, grant);
      notifyAll();
    }
    run(grant);
  }

  /** The writer's next message by deficit round-robin; null after the timeout. */
  @SuppressWarnings("unchecked")
  public synchronized Entry<T> poll(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (ring.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    while (true) {
      Lane lane = ring.peekFirst();
      Entry<?> head = lane.queue.peekFirst();
      if (lane.deficit >= head.bytes()) {
        lane.queue.pollFirst();
        queued--;
        lane.deficit -= head.bytes();
        if (lane.queue.isEmpty()) {
          lane.active = false;
          lane.deficit = 0;
          ring.pollFirst();
        }
        return (Entry<T>) head;
      }
      // its turn is over: to the back of the round with one more quantum
      ring.pollFirst();
      lane.deficit += quantum;
      ring.addLast(lane);
    }
  }

  /** The writer is done with the message: its bytes are free, streams waiting for room get it. */
  public void done(Entry<T> e) {
    List<Flow> grant = new ArrayList<>();
    synchronized (this) {
      release(e.lane(), e.bytes());
      grant(e.lane(), grant);
      serveWaiting(grant);
    }
    run(grant);
  }

  /** Bytes the stream holds (the reservation of an outstanding request included). */
  public synchronized long reserved(Lane lane) {
    return lane.reserved;
  }

  public synchronized long bytesInFlight() {
    return global;
  }

  public synchronized int queuedBatches() {
    return queued;
  }

  public synchronized int streams() {
    return open.size();
  }

  private void release(Lane lane, long bytes) {
    lane.reserved -= bytes;
    global -= bytes;
  }

  /** Under the monitor: ask the lane for a message if both budgets have room for the largest. */
  private void grant(Lane lane, List<Flow> out) {
    if (lane.closed || lane.requested || lane.reserved + maxMessage > streamBudget) {
      return;
    }
    if (global + maxMessage > globalBudget || (!waiting.isEmpty() && waiting.peekFirst() != lane)) {
      // no room, or others wait for it first
      if (!lane.waiting) {
        lane.waiting = true;
        waiting.addLast(lane);
      }
      return;
    }
    if (lane.waiting) {
      waiting.remove(lane);
      lane.waiting = false;
    }
    issue(lane, out);
  }

  private void issue(Lane lane, List<Flow> out) {
    lane.requested = true;
    lane.reserved += maxMessage;
    global += maxMessage;
    out.add(lane.flow);
  }

  /** Room freed: the longest-waiting streams get it (one message each). */
  private void serveWaiting(List<Flow> out) {
    while (!waiting.isEmpty() && global + maxMessage <= globalBudget) {
      Lane next = waiting.pollFirst();
      next.waiting = false;
      if (!next.closed && !next.requested && next.reserved + maxMessage <= streamBudget) {
        issue(next, out);
      }
    }
  }

  private static void run(List<Flow> flows) {
    for (Flow f : flows) {
      f.request();
    }
  }
}
