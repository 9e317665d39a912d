package io.routewatch.state.changes;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.proto.v1.Change;
import io.routewatch.servicekit.log.LogText;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Serves every change-stream subscriber with three threads in all, whatever their number: the
 * journal's commit listener puts committed changes in a ring of the newest {@value #RING} and
 * schedules the live subscribers, which one feed thread writes to while their transport is ready (a
 * slow one is skipped until its transport calls back, so it holds up neither the others nor the
 * journal); a subscriber resuming from a position older than the ring is read from PostgreSQL a
 * page at a time by {@value #READERS} reader threads. At most {@code
 * routewatch.state.journal.max-subscribers} are served; more are refused.
 */
@ApplicationScoped
public class ChangeStreams {
  private static final Logger LOG = Logger.getLogger(ChangeStreams.class);

  /** Newest committed changes held in memory (about 300 B each: ~1.2 MB). */
  static final int RING = 4096;

  /** Threads reading PostgreSQL for subscribers behind the ring. */
  static final int READERS = 2;

  /** Journal entries read per catch-up step (one step per turn, so catch-ups share the readers). */
  static final int PAGE = 500;

  /** Changes from the ring handed to a live subscriber's transport per turn. */
  static final int BATCH = 512;

  @Inject ChangeJournal journal;
  @Inject StateConfig config;
  @Inject MeterRegistry registry;

  private final ChangeRing ring = new ChangeRing(RING);
  private final Set<ChangeSubscription> subs = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();
  private Counter refused;
  private Timer published;
  private ScheduledExecutorService feed;
  private ExecutorService readers;

  /** After the journal started (its sequence is known). */
  void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent ev) {
    feed = Executors.newSingleThreadScheduledExecutor(daemon("change-feed"));
    readers = Executors.newFixedThreadPool(READERS, daemon("change-reader"));
    Gauges.gauge(registry, "routewatch_state_change_subscribers", count);
    Gauges.gauge(
        registry, "routewatch_state_change_subscribers_limit", config.journal().maxSubscribers());
    refused = registry.counter("routewatch_state_change_subscribers_refused_total");
    published = Stages.timer(registry, "published");
    journal.onCommit(this::committed);
    long beat = config.journal().heartbeat().toMillis();
    feed.scheduleWithFixedDelay(
        () -> subs.forEach(s -> s.heartbeat(beat, false)),
        1000,
        Math.min(beat, 1000),
        TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent ev) {
    for (ChangeSubscription s : subs) {
      s.fail(Status.UNAVAILABLE.withDescription("state is shutting down"));
    }
    if (feed != null) {
      feed.shutdownNow();
      readers.shutdownNow();
    }
  }

  /** Subscribers served now. */
  public int subscribers() {
    return count.get();
  }

  /**
   * Admits a subscriber resuming after {@code after} (0: from the oldest retained change) and
   * starts feeding it; the transport must call {@link #ready} when it can take more and {@link
   * #close} when it ends. Throws RESOURCE_EXHAUSTED at the cap and OUT_OF_RANGE for a position
   * beyond the journal; a position past retention is refused (OUT_OF_RANGE) once PostgreSQL was
   * asked, through {@link ChangeSubscription.Sink#fail}.
   */
  public ChangeSubscription open(String name, long after, ChangeSubscription.Sink sink) {
    int max = config.journal().maxSubscribers();
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      refused.increment();
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              "state serves at most "
                  + max
                  + " change subscribers (routewatch.state.journal.max-subscribers); retry later")
          .asRuntimeException();
    }
    long last = journal.lastSequence();
    if (after > last) {
      count.decrementAndGet();
      throw Status.OUT_OF_RANGE
          .withDescription(
              "from_sequence " + after + " is beyond the journal's last sequence " + last)
          .asRuntimeException();
    }
    ChangeSubscription s = new ChangeSubscription(name, after, sink);
    subs.add(s);
    if (after == last || ring.get(after + 1) != null) {
      s.mode = ChangeSubscription.Mode.LIVE;
      s.checked = true;
      s.heartbeat(0, true);
    } else {
      s.mode = ChangeSubscription.Mode.CATCH_UP; // greeted once the position is checked
    }
    LOG.infof("subscriber %s resumes after %d (%s)", LogText.safe(name), after, s.mode);
    schedule(s);
    return s;
  }

  /** The transport can take more. */
  public void ready(ChangeSubscription s) {
    schedule(s);
  }

  /** The stream ended (cancelled, failed or completed): frees its place. */
  public void close(ChangeSubscription s) {
    s.closed = true;
    if (subs.remove(s)) {
      count.decrementAndGet();
    }
  }

  /** Journal writer thread: hand the batch on, never write to a transport here. */
  private void committed(List<Change> batch) {
    ring.add(batch);
    for (ChangeSubscription s : subs) {
      if (s.mode == ChangeSubscription.Mode.LIVE) {
        schedule(s);
      }
    }
  }

  private void schedule(ChangeSubscription s) {
    if (s.closed || !s.claim()) {
      return;
    }
    try {
      (s.mode == ChangeSubscription.Mode.LIVE ? feed : readers).execute(() -> run(s));
    } catch (RejectedExecutionException e) {
      s.release(); // shutting down
    }
  }

  private void run(ChangeSubscription s) {
    boolean writing = false;
    try {
      writing = s.mode == ChangeSubscription.Mode.LIVE ? drain(s) : catchUp(s);
    } catch (RuntimeException e) {
      failed(s, e);
    } finally {
      if (!writing) {
        finished(s);
      }
    }
  }

  /** A subscription's turn ended (its writes, if any, are done): the next one if due. */
  private void finished(ChangeSubscription s) {
    s.release();
    // anything that arrived while this ran (a commit, the transport becoming ready) is not lost
    if (s.ready()
        && (s.mode == ChangeSubscription.Mode.CATCH_UP || s.after < journal.lastSequence())) {
      schedule(s);
    }
  }

  private void failed(ChangeSubscription s, RuntimeException e) {
    LOG.warnf("subscription of %s failed: %s", LogText.safe(s.name), e.getMessage());
    s.fail(Status.UNAVAILABLE.withDescription(String.valueOf(e.getMessage())));
    close(s);
  }

  /** Hands {@code changes} to the transport's thread; the turn ends when they are written. */
  private void write(ChangeSubscription s, List<Change> changes) {
    s.write(
        changes,
        () -> {
          try {
            finished(s);
          } catch (RuntimeException e) {
            failed(s, e);
          }
        });
  }

  /**
   * Feed thread: what the ring holds next ({@value #BATCH} at most) goes to the transport; true if
   * a write is under way (the turn ends when it is done).
   */
  private boolean drain(ChangeSubscription s) {
    if (!s.ready()) {
      return false;
    }
    long next = s.after + 1;
    List<Change> batch = new ArrayList<>();
    for (Change c; batch.size() < BATCH && (c = ring.get(next)) != null; next++) {
      batch.add(c);
    }
    if (batch.isEmpty()) {
      if (next <= journal.lastSequence()) {
        s.mode = ChangeSubscription.Mode.CATCH_UP; // fell behind the ring (or it is not filled yet)
      }
      return false;
    }
    timePublished(batch);
    write(s, batch);
    return true;
  }

  /**
   * The {@code published} stage of each change going live to a subscriber: from its event time (the
   * collector's arrival stamp, wall clock: across hosts their clock offset adds in) to now. Changes
   * older than an hour (a replay, an archive) are not timed.
   */
  private void timePublished(List<Change> batch) {
    long now = System.currentTimeMillis() * 1000;
    for (Change c : batch) {
      long age = now - c.getTimeMicros();
      if (c.getTimeMicros() > 0 && age >= 0 && age < Stages.LIVE_MICROS) {
        published.record(age, TimeUnit.MICROSECONDS);
      }
    }
  }

  /**
   * Reader thread: one page from PostgreSQL to the transport, or back to live once the ring holds
   * what is next; true if a write is under way.
   */
  private boolean catchUp(ChangeSubscription s) {
    if (!s.checked) {
      long first = journal.firstAvailable();
      if (s.after == 0) {
        s.after = first - 1; // from the oldest retained; an emptied journal: from what comes next
      } else if (first > s.after + 1) {
        refuseRetention(s, first);
        return false;
      }
      s.checked = true;
      s.heartbeat(0, true);
    }
    long next = s.after + 1;
    if (next > journal.lastSequence() || ring.get(next) != null) {
      s.mode = ChangeSubscription.Mode.LIVE;
      return false;
    }
    if (!s.ready()) {
      return false;
    }
    List<Change> page = journal.read(s.after, PAGE);
    if (page.isEmpty() || page.get(0).getSequence() != next) {
      // retention removed what this subscriber was about to read
      refuseRetention(s, page.isEmpty() ? journal.lastSequence() + 1 : page.get(0).getSequence());
      return false;
    }
    write(s, page); // what the transport does not take is read again from s.after
    return true;
  }

  private void refuseRetention(ChangeSubscription s, long first) {
    s.fail(
        Status.OUT_OF_RANGE.withDescription(
            "sequences up to " + (first - 1) + " are past retention; resubscribe from 0"));
    close(s);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
