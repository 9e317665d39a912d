package io.routewatch.collector.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.Source;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The stream of one live source (a BGP session, a BMP connection, the RIS Live client) to state.
 *
 * <p>Sources {@link #offer} events from their own I/O thread; a batching thread of this stream
 * builds batches and hands them to {@link StateLink#send}. A batch goes when it is full ({@code
 * batch-size} events or {@code max-batch-bytes}), when its {@code linger-max} is over, or — Nagle's
 * rule — as soon as the buffer is drained while no earlier batch of the stream awaits state's
 * acknowledgement: an update in a quiet feed reaches state at once, and a busy feed fills its
 * batches while one is in flight (self-clocked by state's answers). A batch holding a session's
 * table start (PEER_UP, End-of-RIB, RIB dump bounds) keeps its linger. The batch is handed to
 * {@link StateLink#send}, which may block when state is slow. Only this thread blocks there: the
 * source waits at most {@code buffer-wait} for room in the bounded buffer, then drops the event and
 * counts it ({@code routewatch_collector_events_dropped_total{reason="buffer_full"}}), so a session
 * keeps answering keepalives whatever state does.
 *
 * <p>Sequences are 1, 2, 3 ... per stream id. After a state restart {@link StateLink} calls {@link
 * #rewind}: the next batch continues at state's position and the {@link Rewinder} asks the source
 * to send its table again (ROUTE-REFRESH, session reset, BMP reconnect). With sharded state the
 * sequence is kept ({@code rewind(stream, -1)}) and only the table is sent again.
 *
 * <p>Stage timings per batch, by source kind ({@code routewatch_collector_stage_seconds{source,
 * stage}}): {@code batched} from its first event's arrival (the source decoded it) to the batch
 * being handed to the state link (buffer wait and linger), {@code sent} from there until the link
 * took it into its send window (waits while the window of unacknowledged batches is full).
 */
public final class LiveStream implements StateLink.StreamSource, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LiveStream.class);

  /** What the source does when state lost this stream's past. */
  @FunctionalInterface
  public interface Rewinder {
    void resend();
  }

  private static final LiveEvent CLOSE = LiveEvent.of(null, null, 0);

  private final StateLink link;
  private final String collector;
  private final String streamId;
  private final FeedKind feed;
  private final int batchSize;
  private final long maxBatchBytes;
  private final long lingerNanos;
  private final long waitNanos;
  private final BlockingQueue<LiveEvent> queue;
  private final MeterRegistry registry;
  private final AtomicLong sequence = new AtomicLong();
  private final Thread thread;
  private final Timer batched;
  private final Timer sent;
  private volatile Rewinder rewinder;
  private volatile boolean closed;

  public LiveStream(
      StateLink link,
      MeterRegistry registry,
      String collector,
      String streamId,
      FeedKind feed,
      int batchSize,
      long maxBatchBytes,
      Duration linger,
      int capacity,
      Duration bufferWait) {
    this.link = link;
    this.registry = registry;
    this.collector = collector;
    this.streamId = streamId;
    this.feed = feed;
    this.batchSize = batchSize;
    this.maxBatchBytes = maxBatchBytes;
    this.lingerNanos = linger.toNanos();
    this.waitNanos = bufferWait.toNanos();
    this.queue = new ArrayBlockingQueue<>(Math.max(16, capacity));
    String source = feed.name().toLowerCase(Locale.ROOT);
    this.batched = stageTimer(registry, source, "batched");
    this.sent = stageTimer(registry, source, "sent");
    link.register(streamId, this);
    thread = new Thread(this::run, "live-" + streamId);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * One stage's timer; streams of the same source kind share it (the registry returns the one
   * registered first).
   */
  static Timer stageTimer(MeterRegistry registry, String source, String stage) {
    return Timer.builder("routewatch_collector_stage")
        .description(
            "Live feed latency inside the collector per batch: batched = first event received to"
                + " batch handed to the state link, sent = handed to taken into the send window")
        .tag("source", source)
        .tag("stage", stage)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  public String streamId() {
    return streamId;
  }

  public void onRewind(Rewinder r) {
    this.rewinder = r;
  }

  /** Queues an event; false (and counted) when the buffer stayed full for {@code buffer-wait}. */
  public boolean offer(LiveEvent e) {
    if (closed) {
      drop("stream_closed");
      return false;
    }
    try {
      if (queue.offer(e) || queue.offer(e, waitNanos, TimeUnit.NANOSECONDS)) {
        return true;
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    drop("buffer_full");
    return false;
  }

  private void drop(String reason) {
    registry.counter("routewatch_collector_events_dropped_total", "reason", reason).increment();
  }

  /** Events waiting in the buffer. */
  public int buffered() {
    return queue.size();
  }

  /**
   * State lost this stream after {@code seq}: the next batch continues at {@code seq + 1} and the
   * source sends its table again. With {@code seq < 0} (sharded state, where only one shard lost it
   * and {@link StateLink} maps this stream's sequences onto that shard) the sequence stays where it
   * is and only the table is sent again.
   */
  @Override
  public void rewind(String stream, long seq) {
    if (seq >= 0) {
      sequence.set(seq);
    }
    Rewinder r = rewinder;
    if (r != null) {
      Thread t = new Thread(r::resend, "rewind-" + streamId);
      t.setDaemon(true);
      t.start();
    }
  }

  /** Sends what is buffered and a final batch marked end-of-stream; waits up to {@code timeout}. */
  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(CLOSE);
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    link.unregister(streamId);
  }

  /** A live source does not re-produce past batches: it re-dumps its table forward. */
  @Override
  public boolean replays() {
    return false;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  private void run() {
    BatchBuilder batch = null;
    EventMapper mapper = null;
    long firstAt = 0;
    try {
      while (true) {
        LiveEvent e;
        if (batch == null) {
          e = queue.take();
        } else {
          long left = firstAt + lingerNanos - System.nanoTime();
          // while a batch of this stream is in flight, wait for more (or its acknowledgement) in
          // short slices; with nothing in flight a drained queue sends at once (below)
          e = left > 0 ? queue.poll(Math.min(left, FLUSH_CHECK_NANOS), TimeUnit.NANOSECONDS) : null;
          if (e == null && left > FLUSH_CHECK_NANOS && (holdsTableStart || inFlight())) {
            continue; // the linger is not over and state has not answered yet: keep building
          }
        }
        if (e == CLOSE) {
          long received = batch == null ? 0 : firstReceived;
          if (batch == null) {
            batch = newBatch();
          }
          send(batch.build(sequence.incrementAndGet(), true), received);
          return;
        }
        if (e == null) {
          send(batch.build(sequence.incrementAndGet(), false), firstReceived);
          batch = null;
          continue;
        }
        if (batch == null) {
          batch = newBatch();
          mapper = new EventMapper(batch);
          firstAt = System.nanoTime();
          firstReceived = e.receivedNanos();
          holdsTableStart = false;
        }
        add(batch, mapper, e);
        holdsTableStart |= tableStart(e);
        if (batch.size() >= batchSize
            || batch.bytes() >= maxBatchBytes
            || (queue.isEmpty() && !holdsTableStart && !inFlight())) {
          // full, or nothing more to add now and state idle for this stream (Nagle's rule): a
          // quiet feed's update goes at once, a busy one fills its batches while one is in flight
          send(batch.build(sequence.incrementAndGet(), false), firstReceived);
          batch = null;
        }
      }
    } catch (InterruptedException ie) {
      LOG.debugf("stream %s interrupted", streamId);
    } catch (RuntimeException ex) {
      LOG.errorf(ex, "stream %s failed", streamId);
    }
  }

  /**
   * The batch being built holds the start of a session's table (PEER_UP, End-of-RIB, a RIB dump's
   * bounds): it keeps its whole linger, as every batch did before the Nagle rule, so a session's
   * opening messages reach state together. State judges a VP's first load by them; a peer that
   * sends End-of-RIB before its routes (ExaBGP fed through its API) would otherwise have its routes
   * arrive as an established VP's changes.
   */
  private boolean holdsTableStart;

  static boolean tableStart(LiveEvent e) {
    return switch (e.kind()) {
      case PEER_UP, END_OF_RIB, RIB_DUMP_BEGIN, RIB_DUMP_END -> true;
      default -> false;
    };
  }

  /** How often a batch being built looks whether its predecessor was acknowledged meanwhile. */
  static final long FLUSH_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** A batch of this stream was sent and state has not acknowledged it yet (or is not there). */
  private boolean inFlight() {
    return link.acknowledged(streamId) < sequence.get();
  }

  /** Batching thread: when the first event of the batch being built was received. */
  private long firstReceived;

  /** Hands a batch to the link, timing both stages ({@code received} 0: not timed). */
  private void send(RouteEventBatch b, long received) throws InterruptedException {
    long handed = System.nanoTime();
    if (received != 0) {
      batched.record(handed - received, TimeUnit.NANOSECONDS);
    }
    link.send(b);
    sent.record(System.nanoTime() - handed, TimeUnit.NANOSECONDS);
  }

  private BatchBuilder newBatch() {
    return new BatchBuilder(
        collector, streamId, Source.newBuilder().setCollector(collector).setFeed(feed).build());
  }

  static void add(BatchBuilder batch, EventMapper mapper, LiveEvent e) {
    RouteEvent.Builder r =
        RouteEvent.newBuilder()
            .setKind(e.kind())
            .setVpRef(batch.vantagePoint(e.vp()))
            .setTimestampMicros(e.timestampMicros());
    if (e.prefix() != null) {
      r.setPrefix(EventMapper.prefix(e.prefix())).setPathId(e.pathId());
    }
    if (e.attributes() != null) {
      r.setAttributesRef(mapper.attributes(e.attributes()));
    } else if (e.protoAttributes() != null) {
      int path = e.protoPath() == null ? -1 : batch.asPath(e.protoPath());
      r.setAttributesRef(
          batch.attributes(e.protoAttributes().toBuilder().setAsPathRef(path).build()));
    }
    if (e.afi() != 0) {
      r.setAfi(e.afi() == 2 ? Afi.IPV6 : Afi.IPV4);
    }
    batch.add(r.build());
  }
}
