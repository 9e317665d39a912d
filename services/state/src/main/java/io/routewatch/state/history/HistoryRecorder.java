package io.routewatch.state.history;

import io.routewatch.servicekit.db.SchemaMigrator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.state.rib.ChangeEvent;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.upstream.UpstreamShare;
import io.routewatch.state.upstream.UpstreamView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes history to PostgreSQL off the hot path: upstream episodes (from added/removed changes),
 * outage intervals, and a share sample of every upstream of an origin whenever its upstreams
 * change (so time-travel and the share chart see every step). {@link #record} runs on the engine's
 * writer thread: it snapshots what it needs and queues it.
 */
@ApplicationScoped
public class HistoryRecorder {
  private static final Logger LOG = Logger.getLogger(HistoryRecorder.class);

  /** One unit of history work. */
  sealed interface Item permits EpisodeStart, EpisodeEnd, Sample, OutageStart, OutageEnd {}

  record EpisodeStart(long origin, long upstream, long ts) implements Item {}

  record EpisodeEnd(long origin, long upstream, long ts) implements Item {}

  record Sample(long origin, long upstream, long ts, double vpShare, double addressShare) implements Item {}

  record OutageStart(String scope, String subject, long start, double depth) implements Item {}

  record OutageEnd(String scope, String subject, long start, long end, double depth) implements Item {}

  @Inject Instance<RoutingEngine> engine;
  @Inject MeterRegistry registry;
  @Inject SchemaMigrator schema;

  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private volatile boolean stopping;
  private Thread writer;

  void onStart(@Observes StartupEvent ev) {
    schema.version();
    registry.gauge("routewatch_state_history_pending", queue, LinkedBlockingQueue::size);
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
              new OutageStart(e.outage().scope().name(), e.outage().subject(), e.outage().startMicros(), e.outage().depth()));
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

  /** A full picture of the origin's upstream shares at this moment (0 for vanished upstreams). */
  private void sample(long origin, long ts) {
    UpstreamView v = engine.get().upstreams(origin);
    if (v.upstreams().isEmpty()) {
      queue.add(new Sample(origin, 0, ts, 0, 0));
    }
    for (UpstreamShare u : v.upstreams()) {
      double addr = Double.isNaN(u.addressShareV4()) ? u.addressShareV6() : u.addressShareV4();
      queue.add(new Sample(origin, u.upstreamAsn(), ts, u.vpShare(), Double.isNaN(addr) ? 0 : addr));
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
        writeWithRetry(batch);
      } catch (InterruptedException e) {
        if (stopping && queue.isEmpty()) {
          return;
        }
      } finally {
        batch.clear();
        busy = false;
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
        LOG.warnf("history write of %d items failed, retrying in %d ms: %s", batch.size(), backoff, e.getMessage());
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
      ShareSampleEntity e = new ShareSampleEntity();
      e.originAsn = s.origin;
      e.upstreamAsn = s.upstream;
      e.timeMicros = s.ts;
      e.vpShare = s.vpShare;
      e.addressShare = s.addressShare;
      e.persist();
    } else if (item instanceof OutageStart s) {
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
