package io.routewatch.collector.publish;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.proto.v1.GetStreamPositionsRequest;
import io.routewatch.proto.v1.IngestServiceGrpc;
import io.routewatch.proto.v1.PublishAck;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.StreamPosition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The collector's one bidirectional stream to state ({@code IngestService.Publish}).
 *
 * <p>Holds a bounded window of unacknowledged batches: {@link #send} blocks while the window is
 * full, which pauses whatever source is reading (back-pressure; nothing is dropped). Batches are
 * written only when the transport is ready (gRPC flow control). When the stream fails the link
 * reconnects with exponential backoff and re-sends every unacknowledged batch in order; state
 * deduplicates by (stream id, sequence), so each batch is applied exactly once.
 *
 * <p>On every (re)connect the link asks state where each stream stands. If state is behind what it
 * had acknowledged before (it restarted and lost memory), the owning source is told to rewind
 * ({@link StreamSource#rewind}) and re-sends from state's position.
 */
@ApplicationScoped
public class StateLink {
  private static final Logger LOG = Logger.getLogger(StateLink.class);

  /** A producer of one stream that can re-produce its batches after a state restart. */
  public interface StreamSource {
    /** State now holds this stream only up to {@code sequence}; re-send what follows. */
    void rewind(String streamId, long sequence);
  }

  private record Pending(String streamId, long sequence, RouteEventBatch batch, int events) {}

  /** Plain grpc-java stubs over the Quarkus-managed channel: we need call-level flow control. */
  @GrpcClient("state")
  Channel channel;

  private IngestServiceGrpc.IngestServiceStub stub;
  private IngestServiceGrpc.IngestServiceBlockingStub blocking;

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;

  private final Object lock = new Object();
  private final ArrayDeque<Pending> unacked = new ArrayDeque<>();
  private final Map<String, Long> acked = new HashMap<>();
  private final Map<String, StreamSource> sources = new HashMap<>();
  /** Streams being rewound: the sequence state holds; batches beyond it are dropped until seq+1. */
  private final Map<String, Long> rewound = new HashMap<>();
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

  void onStart(@Observes StartupEvent ev) {
    batchesSent = registry.counter("routewatch_collector_batches_sent_total");
    batchesResent = registry.counter("routewatch_collector_batches_resent_total");
    eventsSent = registry.counter("routewatch_collector_events_sent_total");
    eventsAcked = registry.counter("routewatch_collector_events_acknowledged_total");
    reconnects = registry.counter("routewatch_collector_state_reconnects_total");
    registry.gauge("routewatch_collector_events_buffered", bufferedEvents);
    registry.gauge("routewatch_collector_state_link_connected", this, l -> l.isConnected() ? 1 : 0);
    stub = IngestServiceGrpc.newStub(channel);
    blocking = IngestServiceGrpc.newBlockingStub(channel);
    connector = new Thread(this::connectLoop, "state-link");
    connector.setDaemon(true);
    connector.start();
  }

  void onStop(@Observes ShutdownEvent ev) {
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

  public boolean isConnected() {
    synchronized (lock) {
      return connected;
    }
  }

  /** Registers the source of a stream so it can be rewound after a state restart. */
  public void register(String streamId, StreamSource source) {
    synchronized (lock) {
      sources.put(streamId, source);
    }
  }

  public void unregister(String streamId) {
    synchronized (lock) {
      sources.remove(streamId);
    }
  }

  /** Highest sequence state acknowledged for the stream (0 if none). */
  public long acknowledged(String streamId) {
    synchronized (lock) {
      return acked.getOrDefault(streamId, 0L);
    }
  }

  /** True when every batch of the stream up to {@code sequence} is acknowledged. */
  public boolean awaitAcknowledged(String streamId, long sequence, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (acked.getOrDefault(streamId, 0L) < sequence) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || stopping) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /**
   * Queues a batch for delivery; blocks while the window of unacknowledged batches is full.
   * Batches of a stream must be sent in sequence order.
   */
  public void send(RouteEventBatch batch) throws InterruptedException {
    int window = config.publish().window();
    synchronized (lock) {
      while (unacked.size() >= window && !stopping) {
        lock.wait(1000);
      }
      if (stopping) {
        throw new InterruptedException("collector is stopping");
      }
      Long rewoundTo = rewound.get(batch.getStreamId());
      if (rewoundTo != null) {
        if (batch.getSequence() != rewoundTo + 1) {
          return; // produced before the rewind; the source sends it again in order
        }
        rewound.remove(batch.getStreamId());
      }
      Pending p = new Pending(batch.getStreamId(), batch.getSequence(), batch, batch.getEventsCount());
      unacked.addLast(p);
      bufferedEvents.addAndGet(p.events);
      drainLocked();
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
      LOG.debugf("state not reachable: %s", Status.fromThrowable(e));
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
            LOG.warnf("state link lost: %s", Status.fromThrowable(t));
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
    synchronized (lock) {
      call = c;
      connected = true;
      nextToWrite = 0;
      reconcileLocked(positions);
      if (nextToWrite == 0 && !unacked.isEmpty()) {
        batchesResent.increment(unacked.size());
      }
      drainLocked();
      lock.notifyAll();
    }
    LOG.infof("state link connected (%d unacknowledged batches to re-send)", unacked.size());
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
   * Compares state's positions with ours after a (re)connect: batches state already has are
   * dropped; streams state lost are rewound by their source.
   */
  private void reconcileLocked(Map<String, Long> positions) {
    for (Map.Entry<String, Long> e : Map.copyOf(acked).entrySet()) {
      long theirs = positions.getOrDefault(e.getKey(), 0L);
      if (theirs < e.getValue()) {
        StreamSource src = sources.get(e.getKey());
        LOG.warnf(
            "state holds stream %s only up to %d (we had %d acknowledged): rewinding",
            e.getKey(), theirs, e.getValue());
        acked.put(e.getKey(), theirs);
        rewound.put(e.getKey(), theirs);
        // Drop what is pending for that stream: the source re-produces it from `theirs`.
        Iterator<Pending> it = unacked.iterator();
        while (it.hasNext()) {
          Pending p = it.next();
          if (p.streamId.equals(e.getKey())) {
            it.remove();
            bufferedEvents.addAndGet(-p.events);
          }
        }
        if (src != null) {
          src.rewind(e.getKey(), theirs);
        }
      }
    }
  }
}
