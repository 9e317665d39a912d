package io.routewatch.alert.link;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.alert.metrics.AlertMetrics;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.StateChangesGrpc;
import io.routewatch.proto.v1.SubscribeRequest;
import io.routewatch.servicekit.db.SchemaMigrator;
import io.routewatch.servicekit.metrics.Gauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * The alert service's subscription to state's change stream. Resumes after the sequence stored in
 * {@code alert_cursor}. Changes are handled in batches: whatever has arrived when the handler is
 * free (at most {@link #MAX_BATCH}, never waiting for more: an idle stream's change goes alone, at
 * once) is handled and the cursor advanced to its last sequence in one transaction, so after a
 * crash nothing is handled twice and nothing is skipped. Received changes wait in a bounded queue
 * with gRPC flow control (state is asked for no more than fits). Reconnects with backoff. Before
 * each subscription, hands state the watched space ({@link WatchedSpaceSync}).
 */
@ApplicationScoped
public class StateSubscription {
  private static final Logger LOG = Logger.getLogger(StateSubscription.class);
  public static final String SUBSCRIBER = "alert";

  /** Changes per transaction at most (a backlog is worked off in batches of this size). */
  static final int MAX_BATCH = 2000;

  /** Changes received and not yet handled, at most (flow control asks state for no more). */
  static final int QUEUE = 2 * MAX_BATCH;

  /** JDBC statements per batch round trip when a batch's rows are flushed. */
  static final int JDBC_BATCH = 256;

  /** The end of one subscription: completed ({@code error} null) or failed. */
  private record End(Throwable error) {}

  @GrpcClient("state")
  Channel channel;

  @Inject Instance<ChangeHandler> handlers;
  @Inject MeterRegistry registry;
  @Inject SchemaMigrator schema;
  @Inject EntityManager em;
  @Inject WatchedSpaceSync watchedSpace;
  @Inject AlertMetrics metrics;

  private final AtomicLong position = new AtomicLong();
  private volatile boolean connected;
  // event-time watermark: see handledThroughMicros()
  private volatile long handledThrough;
  private volatile long waitingSinceNanos;
  private volatile boolean stopping;
  private volatile Context.CancellableContext current;
  private Thread thread;
  private DistributionSummary batchSize;
  private Timer batchTime;
  private Timer received;
  private Timer decided;

  void onStart(@Observes StartupEvent ev) {
    schema.version();
    Gauges.gauge(registry, "routewatch_alert_state_link_connected", this, s -> s.connected ? 1 : 0);
    Gauges.gauge(registry, "routewatch_alert_change_sequence", position);
    batchSize =
        DistributionSummary.builder("routewatch_alert_change_batch_size")
            .description("Changes handled in one transaction")
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue((double) MAX_BATCH)
            .register(registry);
    batchTime =
        Timer.builder("routewatch_alert_change_batch")
            .description("Time to handle one batch of changes and commit it, cursor included")
            .publishPercentileHistogram()
            .register(registry);
    received = metrics.stage("received");
    decided = metrics.stage("decided");
    thread = new Thread(this::loop, "state-subscription");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent ev) {
    stopping = true;
    Context.CancellableContext c = current;
    if (c != null) {
      c.cancel(null);
    }
    if (thread != null) {
      thread.interrupt();
    }
  }

  public boolean isConnected() {
    return connected;
  }

  public long position() {
    return position.get();
  }

  /**
   * How long the stream must have been quiet before it counts as caught up (not a buffer hiccup).
   */
  static final long CAUGHT_UP_NANOS = 5_000_000L;

  /**
   * The event time up to which every change state has sent is handled: timers due after it must
   * wait, since a change still on its way (a backlog after a burst, the last VP of an outage) may
   * cancel them. {@link Long#MAX_VALUE} when nothing is known to be on its way: the stream has been
   * waiting for state's next message for a moment (caught up), or there is no stream (state
   * unreachable: the timers go by the wall clock, as they always did).
   */
  public long handledThroughMicros() {
    long w = waitingSinceNanos;
    if (!connected || (w != 0 && System.nanoTime() - w >= CAUGHT_UP_NANOS)) {
      return Long.MAX_VALUE;
    }
    return handledThrough;
  }

  /**
   * A change was handled whose timers count from {@code sinceMicros} (its time, or the clock's).
   */
  public void handledUpTo(long sinceMicros) {
    if (sinceMicros > handledThrough) {
      handledThrough = sinceMicros;
    }
  }

  private void loop() {
    long backoff = 100;
    while (!stopping) {
      try {
        long from = loadCursor();
        position.set(from);
        subscribeOnce(from);
        backoff = 100;
      } catch (RuntimeException e) {
        if (!stopping) {
          LOG.debugf("state change stream unavailable: %s", Status.fromThrowable(e));
        }
      } finally {
        connected = false;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(backoff * 2, 5000);
    }
  }

  private void subscribeOnce(long from) {
    // state keeps no watched space across its restarts: hand it over before every subscription
    // (a failure is logged and counted; the alerts that need no announcements still work)
    watchedSpace.push();
    Context.CancellableContext ctx = Context.current().withCancellation();
    current = ctx;
    // one slot stays free for the End: at most QUEUE - 1 changes are ever asked for and unhandled
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    AtomicReference<ClientCallStreamObserver<SubscribeRequest>> call = new AtomicReference<>();
    try {
      ctx.run(
          () ->
              StateChangesGrpc.newStub(channel)
                  .subscribe(
                      SubscribeRequest.newBuilder()
                          .setFromSequence(from)
                          .setSubscriber(SUBSCRIBER)
                          .build(),
                      new ClientResponseObserver<SubscribeRequest, Change>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> r) {
                          call.set(r);
                          r.disableAutoRequestWithInitial(QUEUE - 1);
                        }

                        @Override
                        public void onNext(Change c) {
                          if (!queue.offer(c)) {
                            // cannot happen with the flow control above; fail loudly if it does
                            ctx.cancel(new IllegalStateException("change queue overflow"));
                          }
                        }

                        @Override
                        public void onError(Throwable t) {
                          queue.offer(new End(t));
                        }

                        @Override
                        public void onCompleted() {
                          queue.offer(new End(null));
                        }
                      }));
      LOG.infof("subscribing to state changes after %d", from);
      List<Object> got = new ArrayList<>(MAX_BATCH);
      List<Change> batch = new ArrayList<>(MAX_BATCH);
      while (!stopping) {
        got.clear();
        Object first = awaitNext(queue);
        if (first == null) {
          return; // interrupted: stopping
        }
        got.add(first);
        queue.drainTo(got, MAX_BATCH - 1);
        End end = null;
        batch.clear();
        for (Object o : got) {
          if (o instanceof End e) {
            end = e;
            break;
          }
          Change c = (Change) o;
          connected = true;
          if (c.getKind() == ChangeKind.HEARTBEAT) {
            // sent after everything before it: all is handled up to its time
            deliverAll(batch);
            batch.clear();
            handledUpTo(c.getTimeMicros());
          } else {
            batch.add(c);
          }
        }
        deliverAll(batch);
        if (end != null) {
          if (end.error() != null) {
            throw Status.fromThrowable(end.error()).asRuntimeException();
          }
          return;
        }
        ClientCallStreamObserver<SubscribeRequest> r = call.get();
        if (r != null) {
          r.request(got.size());
        }
      }
    } finally {
      ctx.cancel(null);
      current = null;
    }
  }

  private Object awaitNext(BlockingQueue<Object> queue) {
    Object o = queue.poll();
    if (o != null) {
      return o;
    }
    waitingSinceNanos = System.nanoTime() | 1;
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      waitingSinceNanos = 0;
    }
  }

  /**
   * Handles one change unless its sequence was handled already (state resumes after the cursor;
   * this guards a replay). Public so tests can feed a timeline through the same exactly-once path.
   */
  public synchronized boolean deliver(Change c) {
    return deliverAll(List.of(c)) == 1;
  }

  /**
   * Handles a batch of changes in one transaction, skipping heartbeats and sequences handled
   * already; returns how many were handled.
   */
  public synchronized int deliverAll(List<Change> changes) {
    if (changes.isEmpty()) {
      return 0;
    }
    if (position.get() == 0) {
      position.set(loadCursor());
    }
    List<Change> todo = new ArrayList<>(changes.size());
    long last = position.get();
    for (Change c : changes) {
      if (c.getKind() != ChangeKind.HEARTBEAT && c.getSequence() > last) {
        todo.add(c);
        last = c.getSequence();
      }
    }
    if (!todo.isEmpty()) {
      handleAndAdvance(todo);
    }
    return todo.size();
  }

  /** Re-reads the cursor (after a simulated restart in tests). */
  public void reloadCursor() {
    position.set(loadCursor());
  }

  private void handleAndAdvance(List<Change> batch) {
    Change c = batch.get(batch.size() - 1);
    timeSinceEvent(received, batch);
    long t0 = System.nanoTime();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              // the batch's rows go to PostgreSQL in a few JDBC batches at commit
              em.unwrap(Session.class).setJdbcBatchSize(JDBC_BATCH);
              for (ChangeHandler h : handlers) {
                h.handleAll(batch);
              }
              AlertCursor cur = AlertCursor.findById(SUBSCRIBER);
              if (cur == null) {
                cur = new AlertCursor();
                cur.subscriber = SUBSCRIBER;
              }
              cur.sequence = c.getSequence();
              cur.updatedAt = OffsetDateTime.now();
              cur.persist();
            });
    position.set(c.getSequence());
    timeSinceEvent(decided, batch);
    if (batchSize != null) {
      batchSize.record(batch.size());
      batchTime.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  /**
   * One stage of each live change: from its event time (the collector's arrival stamp, wall clock;
   * across hosts their clock offset adds in) to now. Changes an hour old or more are not timed.
   */
  private static void timeSinceEvent(Timer stage, List<Change> batch) {
    if (stage == null) {
      return;
    }
    long now = System.currentTimeMillis() * 1000;
    for (Change c : batch) {
      long age = now - c.getTimeMicros();
      if (c.getTimeMicros() > 0 && age >= 0 && age < AlertMetrics.LIVE_MICROS) {
        stage.record(age, java.util.concurrent.TimeUnit.MICROSECONDS);
      }
    }
  }

  private long loadCursor() {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              AlertCursor c = AlertCursor.findById(SUBSCRIBER);
              return c == null ? 0L : c.sequence;
            });
  }
}
