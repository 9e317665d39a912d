package io.routewatch.alert.link;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The alert service's subscription to state's change stream. Resumes after the sequence stored in
 * {@code alert_cursor}; each change is handled and the cursor advanced in one transaction, so after
 * a crash nothing is handled twice and nothing is skipped. Reconnects with backoff; before each
 * subscription, hands state the watched space ({@link WatchedSpaceSync}).
 */
@ApplicationScoped
public class StateSubscription {
  private static final Logger LOG = Logger.getLogger(StateSubscription.class);
  public static final String SUBSCRIBER = "alert";

  @GrpcClient("state")
  Channel channel;

  @Inject Instance<ChangeHandler> handlers;
  @Inject MeterRegistry registry;
  @Inject SchemaMigrator schema;
  @Inject WatchedSpaceSync watchedSpace;

  private final AtomicLong position = new AtomicLong();
  private volatile boolean connected;
  // event-time watermark: see handledThroughMicros()
  private volatile long handledThrough;
  private volatile long waitingSinceNanos;
  private volatile boolean stopping;
  private volatile Context.CancellableContext current;
  private Thread thread;

  void onStart(@Observes StartupEvent ev) {
    schema.version();
    Gauges.gauge(registry, "routewatch_alert_state_link_connected", this, s -> s.connected ? 1 : 0);
    Gauges.gauge(registry, "routewatch_alert_change_sequence", position);
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
    try {
      ctx.run(
          () -> {
            Iterator<Change> it =
                StateChangesGrpc.newBlockingStub(channel)
                    .subscribe(
                        SubscribeRequest.newBuilder()
                            .setFromSequence(from)
                            .setSubscriber(SUBSCRIBER)
                            .build());
            LOG.infof("subscribing to state changes after %d", from);
            while (!stopping && awaitNext(it)) {
              Change c = it.next();
              connected = true;
              if (c.getKind() == ChangeKind.HEARTBEAT) {
                // sent after everything before it: all is handled up to its time
                handledUpTo(c.getTimeMicros());
                continue;
              }
              deliver(c);
            }
          });
    } finally {
      ctx.cancel(null);
      current = null;
    }
  }

  private boolean awaitNext(Iterator<Change> it) {
    waitingSinceNanos = System.nanoTime() | 1;
    try {
      return it.hasNext();
    } finally {
      waitingSinceNanos = 0;
    }
  }

  /**
   * Handles one change unless its sequence was handled already (state resumes after the cursor;
   * this guards a replay). Public so tests can feed a timeline through the same exactly-once path.
   */
  public synchronized boolean deliver(Change c) {
    if (c.getKind() == ChangeKind.HEARTBEAT) {
      return false;
    }
    if (position.get() == 0) {
      position.set(loadCursor());
    }
    if (c.getSequence() <= position.get()) {
      return false;
    }
    handleAndAdvance(c);
    return true;
  }

  /** Re-reads the cursor (after a simulated restart in tests). */
  public void reloadCursor() {
    position.set(loadCursor());
  }

  private void handleAndAdvance(Change c) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (ChangeHandler h : handlers) {
                h.handle(c);
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
