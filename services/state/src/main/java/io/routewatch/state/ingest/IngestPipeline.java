package io.routewatch.state.ingest;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.servicekit.db.SchemaMigrator;
import io.routewatch.servicekit.log.LogText;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import io.routewatch.state.changes.ChangeJournal;
import io.routewatch.state.changes.ReplayedChanges;
import io.routewatch.state.changes.RoaChanges;
import io.routewatch.state.changes.RovChanges;
import io.routewatch.state.changes.Stages;
import io.routewatch.state.changes.WatchedSpaceService;
import io.routewatch.state.feeds.FeedMonitor;
import io.routewatch.state.history.HistoryRecorder;
import io.routewatch.state.snapshot.IngestImage;
import io.routewatch.state.snapshot.SnapshotService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The single writer of routing state. Batches from every collector stream are queued and applied in
 * arrival order on one thread, each exactly once: a batch whose (stream id, sequence) was applied
 * already is acknowledged as a duplicate and skipped; a batch that skips ahead is refused with
 * FAILED_PRECONDITION so the collector reconnects, reads our positions and rewinds.
 *
 * <p>The writer also takes the RIB snapshots ({@link SnapshotService}) between batches, so the
 * engine and the positions in a snapshot belong to the same instant, and loads the newest one
 * before its first batch: collectors then re-send only what came after it.
 */
@ApplicationScoped
public class IngestPipeline {
  private static final Logger LOG = Logger.getLogger(IngestPipeline.class);

  /** Bytes a stream may take from the writer per round-robin turn. */
  private static final long QUANTUM = 64 * 1024;

  /** Outcome of one batch, reported back on the collector's stream. */
  public record Result(long position, boolean duplicate, int eventsApplied, Status error) {}

  /** {@code receivedNanos}: when it arrived ({@link System#nanoTime}), for the queued stage. */
  private record Job(RouteEventBatch batch, Consumer<Result> done, long receivedNanos) {}

  @Inject BatchApplier applier;
  @Inject StateConfig config;
  @Inject MeterRegistry registry;
  @Inject SnapshotService snapshots;
  @Inject WatchedSpaceService watchedSpace;
  @Inject ChangeJournal journal;
  @Inject ReplayedChanges replayed;
  @Inject HistoryRecorder history;
  @Inject FeedMonitor feeds;
  @Inject RoaChanges roas;
  @Inject RovChanges rovs;
  @Inject SchemaMigrator schema;

  private FairScheduler<Job> scheduler;
  private FairScheduler.Lane local;

  /** stream id → last applied sequence. Written by the writer thread only. */
  private final Map<String, Long> positions = new ConcurrentHashMap<>();

  private final Map<String, String> streamCollector = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private Counter batches;
  private Counter duplicates;
  private Counter gaps;
  private Timer queued;
  private Timer applied;
  private Thread writer;
  private volatile boolean stopping;

  /** 1 while ingest waits for the change journal to drain (see {@link #holdWhileJournalFull}). */
  private final AtomicInteger paused = new AtomicInteger();

  void onStart(@Observes StartupEvent ev) {
    // the writer reads the saved watched space first: the tables exist before it starts (start-up
    // observers run in no set order; a fresh database logged "relation watched_space does not
    // exist" and started without the saved space)
    schema.version();
    StateConfig.Ingest limits = config.ingest();
    try {
      scheduler =
          new FairScheduler<>(
              limits.streamBudgetBytes(),
              limits.globalBudgetBytes(),
              limits.maxMessageBytes(),
              QUANTUM,
              limits.maxStreams());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("routewatch.state.ingest: " + e.getMessage(), e);
    }
    local = scheduler.detached();
    batches = registry.counter("routewatch_state_batches_applied_total");
    duplicates = registry.counter("routewatch_state_batches_duplicate_total");
    gaps = registry.counter("routewatch_state_batches_out_of_order_total");
    queued = Stages.timer(registry, "queued");
    applied = Stages.timer(registry, "applied");
    Gauges.gauge(registry, "routewatch_state_ingest_streams_connected", connections);
    Gauges.gauge(
        registry, "routewatch_state_ingest_queue_batches", this, p -> p.scheduler.queuedBatches());
    Gauges.gauge(
        registry,
        "routewatch_state_ingest_bytes_in_flight",
        this,
        p -> p.scheduler.bytesInFlight());
    Gauges.gauge(registry, "routewatch_state_ingest_bytes_budget", limits.globalBudgetBytes());
    Gauges.gauge(registry, "routewatch_state_ingest_paused", paused);
    writer = new Thread(this::writeLoop, "state-writer");
    writer.setDaemon(true);
    writer.start();
  }

  void onStop(@Observes ShutdownEvent ev) {
    stopping = true;
    if (writer != null) {
      // No interrupt: the writer finishes its batch, writes the final snapshot and exits (it
      // polls with the tick interval as its timeout).
      try {
        writer.join(180_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** False while the snapshot loads: positions are not known yet, ingest must wait. */
  public boolean ready() {
    return snapshots.ready();
  }

  /**
   * A new publish stream: {@code flow} is called whenever the stream may send one more batch (the
   * first time at once if there is room). Null when max-streams are open.
   */
  public FairScheduler.Lane open(FairScheduler.Flow flow) {
    return scheduler.open(flow);
  }

  /** The stream ended: no more requests; what it queued is still applied. */
  public void close(FairScheduler.Lane lane) {
    scheduler.close(lane);
  }

  /** Bytes held by one stream (its queued batches and an outstanding request). */
  public long reserved(FairScheduler.Lane lane) {
    return scheduler.reserved(lane);
  }

  public long bytesInFlight() {
    return scheduler.bytesInFlight();
  }

  public void connected(int delta) {
    connections.addAndGet(delta);
  }

  public int connections() {
    return connections.get();
  }

  /** Queues a batch from in-process callers (tests): outside the streams' flow control. */
  public void submit(RouteEventBatch batch, Consumer<Result> done) {
    scheduler.offer(local, new Job(batch, done, System.nanoTime()), batch.getSerializedSize());
  }

  /**
   * Queues a batch that arrived on a stream; never blocks: the stream was asked for it, so its
   * bytes fit the budgets. It is applied in its round-robin turn.
   */
  public void submit(
      FairScheduler.Lane lane, RouteEventBatch batch, int bytes, Consumer<Result> done) {
    scheduler.offer(lane, new Job(batch, done, System.nanoTime()), bytes);
  }

  /** Positions of the streams of one collector (all collectors when blank). */
  public Map<String, Long> positions(String collector) {
    Map<String, Long> out = new HashMap<>();
    positions.forEach(
        (id, seq) -> {
          if (collector == null
              || collector.isBlank()
              || collector.equals(streamCollector.get(id))) {
            out.put(id, seq);
          }
        });
    return out;
  }

  private void writeLoop() {
    watchedSpace.restoreSaved(); // before the snapshot: the restored engine goes on judging with it
    snapshots.load().ifPresent(this::restore);
    long tickNanos = Math.max(1_000_000L, config.engine().tickInterval().toNanos());
    long nextTick = System.nanoTime() + tickNanos;
    while (!stopping) {
      FairScheduler.Entry<Job> entry;
      try {
        entry = scheduler.poll(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
        // checked after the wait: the journal may have filled up during it
        while (!stopping && holdWhileBacklogFull()) {
          // neither tick nor batch until the journal has room
        }
      } catch (InterruptedException e) {
        break;
      }
      Job job = entry == null ? null : entry.item();
      if (stopping) {
        if (job != null) {
          job.done.accept(
              new Result(0, false, 0, Status.UNAVAILABLE.withDescription("state is stopping")));
        }
        break;
      }
      if (System.nanoTime() - nextTick >= 0) {
        // wall-clock tick, also between back-to-back batches of a busy live feed
        applier.tick();
        history.maybeSample();
        feeds.tick(); // a feed that sends nothing at all is judged here
        roas.publish(); // ROA changes the last VRP load found
        rovs.publish(); // and the watched routes whose ROV state it changed
        nextTick = System.nanoTime() + tickNanos;
      }
      if (job == null) {
        snapshots.maybeCapture(applier::changeMark, this::ingestImage);
        continue;
      }
      try {
        long taken = System.nanoTime();
        queued.record(taken - job.receivedNanos, TimeUnit.NANOSECONDS);
        Result r = apply(job.batch);
        applied.record(System.nanoTime() - taken, TimeUnit.NANOSECONDS);
        job.done.accept(r);
        history.maybeSample();
      } catch (RuntimeException e) {
        LOG.errorf(
            e,
            "applying batch %s/%d failed",
            LogText.safe(job.batch.getStreamId()),
            job.batch.getSequence());
        job.done.accept(
            new Result(0, false, 0, Status.INTERNAL.withDescription("apply failed: " + e)));
      } finally {
        scheduler.done(entry); // its bytes are free: its stream (or one waiting) may send more
      }
      snapshots.maybeCapture(applier::changeMark, this::ingestImage);
    }
    snapshots.finalSnapshot(applier::changeMark, this::ingestImage);
  }

  /**
   * Back-pressure: while PostgreSQL does not take the change journal's or the history's writes,
   * derived changes and history rows pile up in memory. At {@code
   * routewatch.state.journal.max-pending} changes or {@code routewatch.state.history.max-pending}
   * rows the writer applies nothing (no batch, no tick: both derive changes and rows) and so
   * acknowledges nothing and asks the streams for nothing more; each collector stops at its window
   * of unacknowledged batches and keeps them until the backlog drains. Nothing is dropped. Returns
   * true while still full after a bounded wait, so the caller re-checks {@code stopping}.
   */
  private boolean holdWhileBacklogFull() throws InterruptedException {
    boolean journalFull = journal.full();
    boolean historyFull = history.full();
    if (!journalFull && !historyFull) {
      if (paused.get() != 0) {
        paused.set(0);
        LOG.infof(
            "change journal and history below their limits again: ingest resumes after %.1f s",
            (System.nanoTime() - pausedSinceNanos) / 1e9);
      }
      return false;
    }
    if (paused.compareAndSet(0, 1)) {
      pausedSinceNanos = System.nanoTime();
      LOG.warnf(
          "change journal holds %d unwritten changes (limit %d), history %d unwritten rows (limit"
              + " %d): database down or slow, ingest paused, collectors keep their batches",
          journal.pending(),
          config.journal().maxPending(),
          history.pending(),
          config.history().maxPending());
    }
    if (journalFull) {
      journal.awaitRoom(200);
    } else {
      history.awaitRoom(200);
    }
    return true; // the caller checks again (and resumes once neither is full)
  }

  private long pausedSinceNanos;

  /** 1 while ingest is paused by the change journal's or the history's limit. */
  public int paused() {
    return paused.get();
  }

  /**
   * Writer thread: the positions and counters that go with an engine image, and the journal
   * sequence up to which its changes were derived (every change is journaled on this thread).
   */
  private IngestImage ingestImage() {
    return applier.image(
        Map.copyOf(positions), Map.copyOf(streamCollector), journal.lastAssigned());
  }

  private void restore(IngestImage g) {
    positions.putAll(g.positions());
    streamCollector.putAll(g.collectors());
    applier.restore(g);
    // the re-sent batches derive again what was journaled after the snapshot: not twice
    replayed.arm(g.journalSequence());
  }

  private Result apply(RouteEventBatch b) {
    String id = b.getStreamId();
    long last = positions.getOrDefault(id, 0L);
    if (id.isEmpty() || b.getSequence() == 0) {
      return new Result(
          last,
          false,
          0,
          Status.INVALID_ARGUMENT.withDescription("batch needs stream_id and sequence >= 1"));
    }
    if (b.getSequence() <= last) {
      duplicates.increment();
      return new Result(last, true, 0, null);
    }
    if (b.getSequence() != last + 1) {
      gaps.increment();
      return new Result(
          last,
          false,
          0,
          Status.FAILED_PRECONDITION.withDescription(
              "stream " + id + " is at " + last + ", got batch " + b.getSequence() + ": rewind"));
    }
    int n = applier.apply(b);
    feeds.batch(b);
    positions.put(id, b.getSequence());
    streamCollector.putIfAbsent(id, b.getCollector());
    batches.increment();
    return new Result(b.getSequence(), false, n, null);
  }
}
