package io.routewatch.state.history;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.servicekit.db.SchemaMigrator;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import io.routewatch.state.rib.ChangeEvent;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.upstream.ShareSample;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.collections.impl.map.mutable.primitive.IntLongHashMap;
import org.jboss.logging.Logger;

/**
 * Writes history to PostgreSQL off the hot path: upstream episodes (from added/removed changes),
 * outage intervals, and share samples of an origin's upstreams: one whenever its upstreams change
 * (so time-travel and the share chart see every step), and one per sample interval of event time
 * ({@code routewatch.state.history.sample-interval}) for each origin with upstreams whose shares
 * changed since its previous sample (so gradual moves below the change thresholds show too; an
 * unchanged origin is not written again). {@link #record} and {@link #maybeSample} run on the
 * engine's writer thread: they snapshot what they need and queue it for the history writer.
 */
@ApplicationScoped
public class HistoryRecorder {
  private static final Logger LOG = Logger.getLogger(HistoryRecorder.class);

  /** One unit of history work. */
  sealed interface Item permits EpisodeStart, EpisodeEnd, Sample, OutageStart, OutageEnd {}

  record EpisodeStart(long origin, long upstream, long ts) implements Item {}

  record EpisodeEnd(long origin, long upstream, long ts) implements Item {}

  /**
   * One row of a picture of an origin's upstream shares; {@code first} marks a picture's first row.
   * A later picture at the same (origin, time) replaces the earlier one: several changes can carry
   * one event time (updates received together), and only the last picture is the state at that
   * time.
   */
  record Sample(
      long origin, long upstream, long ts, double vpShare, double addressShare, boolean first)
      implements Item {}

  record OutageStart(String scope, String subject, long start, double depth) implements Item {}

  record OutageEnd(String scope, String subject, long start, long end, double depth)
      implements Item {}

  @Inject Instance<RoutingEngine> engine;
  @Inject MeterRegistry registry;
  @Inject SchemaMigrator schema;
  @Inject StateConfig config;

  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();

  /** origin → fingerprint of its last sample; guarded by the engine's write lock. */
  private final IntLongHashMap lastSampled = new IntLongHashMap();

  /** Event time at which the next periodic sample is due (writer thread). */
  private long nextSampleMicros = Long.MIN_VALUE;

  private Counter periodicSamples;
  private RoutingEngine sampleEngine; // guarded by this
  private long sampleIntervalMicros;
  private volatile boolean stopping;
  private Thread writer;

  void onStart(@Observes StartupEvent ev) {
    schema.version();
    Gauges.gauge(registry, "routewatch_state_history_pending", this, HistoryRecorder::pending);
    Gauges.gauge(registry, "routewatch_state_history_pending_limit", config.history().maxPending());
    periodicSamples = registry.counter("routewatch_state_history_periodic_samples_total");
    writer = new Thread(this::writeLoop, "history-writer");
    writer.setDaemon(true);
    writer.start();
  }

  void onStop(@Observes ShutdownEvent ev) {
    stopping = true;
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Called by the engine's listener (writer thread, engine lock held). */
  public void record(ChangeEvent e) {
    switch (e.type()) {
      case UPSTREAM_ADDED -> {
        if (e.scope() == ChangeEvent.Scope.ORIGIN) {
          queue.add(new EpisodeStart(e.originAsn(), e.upstreamAsn(), e.tsMicros()));
          sample(e.originAsn(), e.tsMicros());
        }
      }
      case UPSTREAM_REMOVED -> {
        if (e.scope() == ChangeEvent.Scope.ORIGIN) {
          queue.add(new EpisodeEnd(e.originAsn(), e.upstreamAsn(), e.tsMicros()));
          sample(e.originAsn(), e.tsMicros());
        }
      }
      case UPSTREAM_SHARE_MOVED, VISIBILITY_LOST, VISIBILITY_RESTORED -> {
        if (e.scope() == ChangeEvent.Scope.ORIGIN && e.originAsn() >= 0) {
          sample(e.originAsn(), e.tsMicros());
        }
      }
      case OUTAGE_OPENED -> {
        if (e.outage() != null) {
          queue.add(
              new OutageStart(
                  e.outage().scope().name(),
                  e.outage().subject(),
                  e.outage().startMicros(),
                  e.outage().depth()));
        }
      }
      case OUTAGE_CLOSED -> {
        if (e.outage() != null) {
          queue.add(
              new OutageEnd(
                  e.outage().scope().name(),
                  e.outage().subject(),
                  e.outage().startMicros(),
                  e.outage().endMicros(),
                  e.outage().depth()));
        }
      }
      default -> {}
    }
  }

  /**
   * A full picture of the origin's upstream shares at this moment (0 for vanished upstreams), at
   * the engine clock when it is past the change's event time: live sessions reach state as separate
   * streams, so a change applied later can carry an earlier event time, and a picture stamped with
   * it would sort before pictures it supersedes (the chart kept a vanished upstream).
   */
  private void sample(long origin, long eventTs) {
    RoutingEngine eng = engine.get();
    long ts = Math.max(eventTs, eng.clockMicros());
    ShareSample s = eng.shareSample(origin);
    lastSampled.put((int) origin, s.fingerprint());
    if (s.size() == 0) {
      queue.add(new Sample(origin, 0, ts, 0, 0, true));
    }
    queue(origin, s, ts);
  }

  private void queue(long origin, ShareSample s, long ts) {
    for (int i = 0; i < s.size(); i++) {
      queue.add(
          new Sample(origin, s.upstreams()[i], ts, s.vpShares()[i], s.addressShares()[i], i == 0));
    }
  }

  /**
   * Writer thread, between batches and at every tick: once the engine clock reached the next
   * multiple of the sample interval, samples every origin with upstreams whose shares changed since
   * its last sample, at the engine clock; then the next multiple is due. A cheap check otherwise.
   */
  public synchronized void maybeSample() {
    if (sampleEngine == null) {
      sampleIntervalMicros = config.history().sampleInterval().toNanos() / 1000;
      sampleEngine = engine.get();
    }
    long interval = sampleIntervalMicros;
    if (interval <= 0) {
      return;
    }
    RoutingEngine eng = sampleEngine;
    long clock = eng.clockMicros();
    if (clock <= 0 || clock < nextSampleMicros) {
      return;
    }
    // under the write lock: the clock and the touched set belong to one instant, and record()
    // (called by the engine's listener, lock held) shares lastSampled
    eng.batch(() -> sampleChanged(eng, interval));
  }

  private void sampleChanged(RoutingEngine eng, long interval) {
    long ts = eng.clockMicros();
    if (ts < nextSampleMicros) {
      return;
    }
    nextSampleMicros = (Math.floorDiv(ts, interval) + 1) * interval;
    int[] touched = eng.takeTouchedOrigins();
    Arrays.sort(touched);
    int n = 0;
    for (int o : touched) {
      long origin = o & 0xffffffffL;
      ShareSample s = eng.shareSample(origin);
      if (s.size() == 0) {
        continue; // no upstream: the change-driven sample (0) said so already
      }
      long f = s.fingerprint();
      if (lastSampled.containsKey(o) && lastSampled.get(o) == f) {
        continue; // touched, but the same shares as its last sample
      }
      lastSampled.put(o, f);
      queue(origin, s, ts);
      n += s.size();
    }
    if (n > 0) {
      periodicSamples.increment(n);
    }
  }

  /** Waits until everything queued so far is written (tests, shutdown). */
  public boolean flush(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!queue.isEmpty() || busy) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private volatile boolean busy;

  /**
   * Rows the writer took off the queue and has not committed yet (retried while PostgreSQL is
   * down).
   */
  private volatile int inBatch;

  private final Object written = new Object();

  /** Rows held in memory: queued, and the batch being written or retried. */
  public long pending() {
    return queue.size() + (long) inBatch;
  }

  /** True while the rows held reach {@code routewatch.state.history.max-pending}. */
  public boolean full() {
    return pending() >= config.history().maxPending();
  }

  /** Waits (bounded) until the history is no longer {@link #full()}; true if it is not. */
  public boolean awaitRoom(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    synchronized (written) {
      while (full()) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        written.wait(left);
      }
    }
    return true;
  }

  private void writeLoop() {
    List<Item> batch = new ArrayList<>();
    while (!stopping || !queue.isEmpty()) {
      try {
        Item first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        busy = true;
        batch.add(first);
        queue.drainTo(batch, 999);
        inBatch = batch.size();
        writeWithRetry(batch);
      } catch (InterruptedException e) {
        if (stopping && queue.isEmpty()) {
          return;
        }
      } finally {
        batch.clear();
        inBatch = 0;
        busy = false;
        synchronized (written) {
          written.notifyAll();
        }
      }
    }
  }

  private void writeWithRetry(List<Item> batch) throws InterruptedException {
    long backoff = 100;
    while (true) {
      try {
        QuarkusTransaction.requiringNew().run(() -> batch.forEach(HistoryRecorder::write));
        return;
      } catch (RuntimeException e) {
        LOG.warnf(
            "history write of %d items failed, retrying in %d ms: %s",
            batch.size(), backoff, e.getMessage());
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private static void write(Item item) {
    if (item instanceof EpisodeStart s) {
      if (UpstreamEpisodeEntity.open(s.origin, s.upstream) != null) {
        return; // already open (e.g. re-derived after a restart): one episode, not two
      }
      UpstreamEpisodeEntity e = new UpstreamEpisodeEntity();
      e.originAsn = s.origin;
      e.upstreamAsn = s.upstream;
      e.firstSeen = s.ts;
      e.persist();
    } else if (item instanceof EpisodeEnd s) {
      UpstreamEpisodeEntity e = UpstreamEpisodeEntity.open(s.origin, s.upstream);
      if (e != null) {
        e.lastSeen = s.ts;
      }
    } else if (item instanceof Sample s) {
      if (s.first) {
        // an earlier picture at this very time is superseded (auto-flush covers this transaction's
        // rows)
        ShareSampleEntity.delete("originAsn = ?1 and timeMicros = ?2", s.origin, s.ts);
      }
      ShareSampleEntity e = new ShareSampleEntity();
      e.originAsn = s.origin;
      e.upstreamAsn = s.upstream;
      e.timeMicros = s.ts;
      e.vpShare = s.vpShare;
      e.addressShare = s.addressShare;
      e.persist();
    } else if (item instanceof OutageStart s) {
      if (OutageEntity.open(s.scope, s.subject, s.start) != null) {
        return; // recorded already (re-derived after a restart): one outage, not two
      }
      OutageEntity e = new OutageEntity();
      e.scope = s.scope;
      e.subject = s.subject;
      e.startMicros = s.start;
      e.depth = s.depth;
      e.persist();
    } else if (item instanceof OutageEnd s) {
      OutageEntity e = OutageEntity.open(s.scope, s.subject, s.start);
      if (e == null) {
        e = new OutageEntity();
        e.scope = s.scope;
        e.subject = s.subject;
        e.startMicros = s.start;
      }
      e.endMicros = s.end;
      e.depth = s.depth;
      e.persist();
    }
  }
}
