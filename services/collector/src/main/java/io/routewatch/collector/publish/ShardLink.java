package io.routewatch.collector.publish;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.proto.v1.GetStreamPositionsRequest;
import io.routewatch.proto.v1.IngestServiceGrpc;
import io.routewatch.proto.v1.PublishAck;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.StreamPosition;
import io.routewatch.servicekit.metrics.Gauges;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One bidirectional stream ({@code IngestService.Publish}) to one state instance: the
 * per-connection half of {@link StateLink}, which holds one of these (unsharded) or one per shard.
 *
 * <p>Holds a bounded window of unacknowledged batches (the owner blocks its senders while {@link
 * #fullLocked} holds). Batches are written only when the transport is ready (gRPC flow control).
 * When the stream fails the link reconnects with exponential backoff and re-sends every
 * unacknowledged batch in order; state deduplicates by (stream id, sequence).
 *
 * <p>On every (re)connect the link asks state where each stream stands; a stream state holds only
 * below what this link had acknowledged is handed to the {@link Owner}, which decides how it is
 * re-sent ({@link #rewindLocked} or {@link #resetLocked}).
 *
 * <p>All state is guarded by the lock the owner passes in (shared by every link of a {@link
 * StateLink}, so a batch is queued on all shards at once and acknowledgements can be awaited across
 * them). Methods named {@code ...Locked} must be called holding it. Sequences here are link
 * sequences: source sequence minus this link's offset for the stream ({@link #offsetLocked}).
 */
final class ShardLink {
  private static final Logger LOG = Logger.getLogger(ShardLink.class);

  /** Decides what happens to a stream that state lost (it restarted) on this link. */
  interface Owner {
    /** Called holding the lock: state holds {@code streamId} only up to {@code theirs}. */
    void streamLost(ShardLink link, String streamId, long theirs, long ours);
  }

  private record Pending(String streamId, long sequence, RouteEventBatch batch, int events) {}

  final String name;
  private final Channel channel;
  private final CollectorConfig config;
  private final MeterRegistry registry;
  private final Tags tags;
  private final String label; // for log lines: "" unsharded, " <name>" sharded
  private final Object lock;
  private final Owner owner;

  private IngestServiceGrpc.IngestServiceStub stub;
  private volatile IngestServiceGrpc.IngestServiceBlockingStub blocking;

  private final ArrayDeque<Pending> unacked = new ArrayDeque<>();

  /** Highest link sequence state acknowledged, per stream. */
  private final Map<String, Long> acked = new HashMap<>();

  /** Streams being rewound: the sequence state holds; batches are dropped until exactly seq+1. */
  private final Map<String, Long> rewound = new HashMap<>();

  /** Highest link sequence queued per stream (or state's position after a rewind). */
  private final Map<String, Long> queued = new HashMap<>();

  /** Source sequence minus link sequence, per stream (absent = 0). */
  private final Map<String, Long> offsets = new HashMap<>();

  private int nextToWrite; // index in unacked of the next batch not yet written on this call
  private ClientCallStreamObserver<RouteEventBatch> call;
  private boolean connected;
  private volatile boolean stopping;
  private Thread connector;

  private Counter batchesSent;
  private Counter batchesResent;
  private Counter eventsSent;
  private Counter eventsAcked;
  private Counter reconnects;
  private final AtomicLong bufferedEvents = new AtomicLong();

  /**
   * A link named {@code name} over {@code channel}. {@code tagged}: its metrics carry {@code
   * shard=<name>} (sharded); untagged they are the collector's historical single-link metrics.
   */
  ShardLink(
      String name,
      Channel channel,
      CollectorConfig config,
      MeterRegistry registry,
      boolean tagged,
      Object lock,
      Owner owner) {
    this.name = name;
    this.channel = channel;
    this.config = config;
    this.registry = registry;
    this.tags = tagged ? Tags.of("shard", name) : Tags.empty();
    this.label = tagged ? " " + name : "";
    this.lock = lock;
    this.owner = owner;
  }

  /** Registers the metrics and starts connecting (a daemon thread). */
  void start() {
    batchesSent = registry.counter("routewatch_collector_batches_sent_total", tags);
    batchesResent = registry.counter("routewatch_collector_batches_resent_total", tags);
    eventsSent = registry.counter("routewatch_collector_events_sent_total", tags);
    eventsAcked = registry.counter("routewatch_collector_events_acknowledged_total", tags);
    reconnects = registry.counter("routewatch_collector_state_reconnects_total", tags);
    Gauges.gauge(registry, "routewatch_collector_events_buffered", tags, bufferedEvents);
    Gauges.gauge(
        registry,
        "routewatch_collector_state_link_connected",
        tags,
        this,
        l -> l.isConnected() ? 1 : 0);
    stub = IngestServiceGrpc.newStub(channel);
    blocking = IngestServiceGrpc.newBlockingStub(channel);
    connector =
        new Thread(this::connectLoop, label.isEmpty() ? "state-link" : "state-link-" + name);
    connector.setDaemon(true);
    connector.start();
  }

  void stop() {
    stopping = true;
    synchronized (lock) {
      lock.notifyAll();
      if (call != null) {
        call.onCompleted();
      }
    }
    if (connector != null) {
      connector.interrupt();
    }
  }

  boolean isConnected() {
    synchronized (lock) {
      return connected;
    }
  }

  boolean connectedLocked() {
    return connected;
  }

  /** True while the window of unacknowledged batches is full. */
  boolean fullLocked() {
    return unacked.size() >= config.publish().window();
  }

  long ackedLocked(String streamId) {
    return acked.getOrDefault(streamId, 0L);
  }

  long offsetLocked(String streamId) {
    return offsets.getOrDefault(streamId, 0L);
  }

  void setOffsetLocked(String streamId, long offset) {
    if (offset == 0) {
      offsets.remove(streamId);
    } else {
      offsets.put(streamId, offset);
    }
  }

  /** Highest link sequence queued for the stream (state's position right after a rewind). */
  long queuedLocked(String streamId) {
    return queued.getOrDefault(streamId, 0L);
  }

  /**
   * Queues a batch (its sequence is a link sequence) and writes what the transport takes. Returns
   * false when it is dropped: the stream is being rewound and this is not the batch right after
   * state's position; or {@code dropQueued} and a batch with this sequence was queued already (a
   * batch a source re-produced for another shard's rewind).
   */
  boolean offerLocked(RouteEventBatch batch, boolean dropQueued) {
    String stream = batch.getStreamId();
    long seq = batch.getSequence();
    Long rewoundTo = rewound.get(stream);
    if (rewoundTo != null) {
      if (seq != rewoundTo + 1) {
        return false; // produced before the rewind; the source sends it again in order
      }
      rewound.remove(stream);
    } else if (dropQueued && seq <= queuedLocked(stream)) {
      return false;
    }
    queued.merge(stream, seq, Math::max);
    Pending p = new Pending(stream, seq, batch, batch.getEventsCount());
    unacked.addLast(p);
    bufferedEvents.addAndGet(p.events);
    drainLocked();
    return true;
  }

  /**
   * State holds the stream only up to {@code theirs}: drops what is pending for it and accepts
   * nothing of it but {@code theirs + 1} next (the source re-produces from there).
   */
  void rewindLocked(String streamId, long theirs) {
    resetLocked(streamId, theirs);
    rewound.put(streamId, theirs);
  }

  /**
   * State acknowledged the stream up to {@code seq} before this process started (a replaying source
   * resuming there): recorded as if this link had sent and seen it acknowledged, so a later
   * (re)connect finding state holding less rewinds the stream. Never lowers what this run saw.
   */
  void acknowledgedBeforeLocked(String streamId, long seq) {
    acked.merge(streamId, seq, Math::max);
    queued.merge(streamId, seq, Math::max);
  }

  /**
   * State holds the stream only up to {@code theirs}: drops what is pending for it; the next batch
   * queued is expected to be {@code theirs + 1} (the owner set the offset so).
   */
  void resetLocked(String streamId, long theirs) {
    acked.put(streamId, theirs);
    queued.put(streamId, theirs);
    rewound.remove(streamId);
    int removed = 0;
    int removedWritten = 0;
    int i = 0;
    Iterator<Pending> it = unacked.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (p.streamId.equals(streamId)) {
        it.remove();
        removed++;
        if (i < nextToWrite) {
          removedWritten++;
        }
        bufferedEvents.addAndGet(-p.events);
      }
      i++;
    }
    nextToWrite = Math.max(0, nextToWrite - removedWritten);
    if (removed > 0) {
      lock.notifyAll(); // room in the window
    }
  }

  /** Writes unwritten batches while the transport is ready (gRPC flow control). */
  private void drainLocked() {
    if (call == null || !connected) {
      return;
    }
    Iterator<Pending> it = unacked.iterator();
    int i = 0;
    while (it.hasNext()) {
      Pending p = it.next();
      if (i++ < nextToWrite) {
        continue;
      }
      if (!call.isReady()) {
        return;
      }
      call.onNext(p.batch);
      nextToWrite++;
      batchesSent.increment();
      eventsSent.increment(p.events);
    }
  }

  private void onAck(PublishAck ack) {
    synchronized (lock) {
      acked.merge(ack.getStreamId(), ack.getSequence(), Math::max);
      int removed = 0;
      Iterator<Pending> it = unacked.iterator();
      while (it.hasNext()) {
        Pending p = it.next();
        if (p.streamId.equals(ack.getStreamId()) && p.sequence <= ack.getSequence()) {
          it.remove();
          removed++;
          eventsAcked.increment(p.events);
          bufferedEvents.addAndGet(-p.events);
        }
      }
      nextToWrite = Math.max(0, nextToWrite - removed);
      lock.notifyAll();
    }
  }

  private void connectLoop() {
    Duration delay = config.publish().reconnectMin();
    while (!stopping) {
      boolean wasUp = connectOnce();
      if (stopping) {
        return;
      }
      if (wasUp) {
        delay = config.publish().reconnectMin();
      }
      reconnects.increment();
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      delay = delay.multipliedBy(2);
      if (delay.compareTo(config.publish().reconnectMax()) > 0) {
        delay = config.publish().reconnectMax();
      }
    }
  }

  /**
   * State's position of every stream of this collector ({@code GetStreamPositions}); throws when
   * state is not reachable (or the link not started).
   */
  Map<String, Long> positions() {
    IngestServiceGrpc.IngestServiceBlockingStub b = blocking;
    if (b == null) {
      throw new IllegalStateException("state link" + label + " not started");
    }
    Map<String, Long> out = new HashMap<>();
    for (StreamPosition p :
        b.withDeadlineAfter(5, TimeUnit.SECONDS)
            .getStreamPositions(
                GetStreamPositionsRequest.newBuilder().setCollector(config.name()).build())
            .getPositionsList()) {
      out.put(p.getStreamId(), p.getSequence());
    }
    return out;
  }

  /** One life of the stream; returns when it ends. True if it was established. */
  private boolean connectOnce() {
    Map<String, Long> positions = new HashMap<>();
    try {
      for (StreamPosition p :
          blocking
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getStreamPositions(
                  GetStreamPositionsRequest.newBuilder().setCollector(config.name()).build())
              .getPositionsList()) {
        positions.put(p.getStreamId(), p.getSequence());
      }
    } catch (RuntimeException e) {
      LOG.debugf("state%s not reachable: %s", label, Status.fromThrowable(e));
      return false;
    }
    Object done = new Object();
    boolean[] ended = {false};
    ClientResponseObserver<RouteEventBatch, PublishAck> observer =
        new ClientResponseObserver<>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<RouteEventBatch> requestStream) {
            requestStream.setOnReadyHandler(
                () -> {
                  synchronized (lock) {
                    drainLocked();
                  }
                });
          }

          @Override
          public void onNext(PublishAck ack) {
            onAck(ack);
          }

          @Override
          public void onError(Throwable t) {
            if (stopping) {
              LOG.debugf("state link%s closed: %s", label, Status.fromThrowable(t));
            } else {
              Status s = Status.fromThrowable(t);
              if (s.getCode() == Status.Code.RESOURCE_EXHAUSTED && s.getDescription() == null) {
                // state's transport refuses a message beyond its max-message-bytes without a word
                LOG.warnf(
                    "state link%s lost: %s: a batch larger than state's"
                        + " routewatch.state.ingest.max-message-bytes? Keep"
                        + " routewatch.collector.publish.max-batch-bytes below it",
                    label, s);
              } else {
                LOG.warnf("state link%s lost: %s", label, s);
              }
            }
            end();
          }

          @Override
          public void onCompleted() {
            end();
          }

          private void end() {
            synchronized (lock) {
              connected = false;
              call = null;
              lock.notifyAll();
            }
            synchronized (done) {
              ended[0] = true;
              done.notifyAll();
            }
          }
        };
    ClientCallStreamObserver<RouteEventBatch> c =
        (ClientCallStreamObserver<RouteEventBatch>) stub.publish(observer);
    int resend;
    synchronized (lock) {
      call = c;
      connected = true;
      nextToWrite = 0;
      reconcileLocked(positions);
      if (nextToWrite == 0 && !unacked.isEmpty()) {
        batchesResent.increment(unacked.size());
      }
      resend = unacked.size();
      drainLocked();
      lock.notifyAll();
    }
    LOG.infof("state link%s connected (%d unacknowledged batches to re-send)", label, resend);
    synchronized (done) {
      while (!ended[0] && !stopping) {
        try {
          done.wait(1000);
        } catch (InterruptedException e) {
          return true;
        }
      }
    }
    return true;
  }

  /**
   * Compares state's positions with ours after a (re)connect: batches state already has are dropped
   * (by state, as duplicates); streams state lost go to the owner.
   */
  private void reconcileLocked(Map<String, Long> positions) {
    for (Map.Entry<String, Long> e : Map.copyOf(acked).entrySet()) {
      long theirs = positions.getOrDefault(e.getKey(), 0L);
      if (theirs < e.getValue()) {
        owner.streamLost(this, e.getKey(), theirs, e.getValue());
      }
    }
  }
}
