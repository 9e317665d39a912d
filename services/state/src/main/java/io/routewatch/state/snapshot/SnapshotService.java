package io.routewatch.state.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import io.routewatch.state.changes.ChangeJournal;
import io.routewatch.state.rib.RibImage;
import io.routewatch.state.rib.RoutingEngine;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * RIB snapshots of this state instance. All entry points run on the ingest writer thread (the only
 * writer), so a capture sees the engine and the stream positions at one instant: the thread copies
 * the state ({@link RoutingEngine#capture()}, the pause) and a background thread encodes, fsyncs
 * and renames the file. At start the newest valid snapshot is loaded before the first batch is
 * applied; until then {@link #ready()} is false (readiness DOWN, ingest refused).
 */
@ApplicationScoped
public class SnapshotService {
  private static final Logger LOG = Logger.getLogger(SnapshotService.class);
  private static final long JOURNAL_WAIT_MILLIS = 60_000;

  @Inject StateConfig config;
  @Inject RoutingEngine engine;
  @Inject MeterRegistry registry;
  @Inject ChangeJournal journal;

  private SnapshotFiles files;
  private ExecutorService io;
  private volatile boolean ready;
  private volatile long lastCreatedMillis;
  private volatile double lastDurationSeconds = Double.NaN;
  private volatile double lastPauseSeconds = Double.NaN;
  private volatile double loadSeconds = Double.NaN;
  private volatile long lastBytes;
  private volatile long lastRoutes;
  private volatile long lastBatches;
  private volatile long lastJournalSequence = IngestImage.UNKNOWN_SEQUENCE;
  private Counter written;
  private Counter failures;
  private Counter loadFailures;
  // writer-thread state
  private long nextDueNanos;
  private long capturedMark = Long.MIN_VALUE;
  private CompletableFuture<Path> inFlight = CompletableFuture.completedFuture(null);

  @PostConstruct
  void init() {
    files = new SnapshotFiles(Path.of(config.snapshot().dir()).toAbsolutePath());
    io =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "snapshot-writer");
              t.setDaemon(true);
              return t;
            });
    written = registry.counter("routewatch_state_snapshots_written_total");
    failures = registry.counter("routewatch_state_snapshot_write_failures_total");
    loadFailures = registry.counter("routewatch_state_snapshot_load_failures_total");
    Gauges.gauge(
        registry,
        "routewatch_state_snapshot_age_seconds",
        this,
        s ->
            s.lastCreatedMillis == 0
                ? Double.NaN
                : (System.currentTimeMillis() - s.lastCreatedMillis) / 1000.0);
    Gauges.gauge(
        registry, "routewatch_state_snapshot_duration_seconds", this, s -> s.lastDurationSeconds);
    Gauges.gauge(
        registry, "routewatch_state_snapshot_pause_seconds", this, s -> s.lastPauseSeconds);
    Gauges.gauge(registry, "routewatch_state_snapshot_size_bytes", this, s -> s.lastBytes);
    Gauges.gauge(registry, "routewatch_state_snapshot_routes", this, s -> s.lastRoutes);
    Gauges.gauge(registry, "routewatch_state_snapshot_batches", this, s -> s.lastBatches);
    Gauges.gauge(registry, "routewatch_state_snapshot_load_seconds", this, s -> s.loadSeconds);
    // changes up to this sequence are derived from the last snapshot's state (-1: unknown)
    Gauges.gauge(
        registry, "routewatch_state_snapshot_journal_sequence", this, s -> s.lastJournalSequence);
  }

  @PreDestroy
  void close() {
    io.shutdown();
  }

  public boolean enabled() {
    return config.snapshot().enabled();
  }

  /** True once the snapshot (if any) is loaded: state may take ingest and answer readiness. */
  public boolean ready() {
    return ready;
  }

  /**
   * Writer thread, before the first batch: loads the newest valid snapshot into the (empty) engine
   * and returns its ingest positions; empty when disabled or there is none. Never throws: a bad
   * file is reported, set aside and the next older one tried.
   */
  public Optional<IngestImage> load() {
    try {
      if (!enabled()) {
        return Optional.empty();
      }
      long t0 = System.nanoTime();
      while (true) {
        Optional<SnapshotFiles.Loaded> found;
        try {
          found =
              files.loadNewest(
                  msg -> {
                    loadFailures.increment();
                    LOG.warn(msg);
                  });
        } catch (IOException e) {
          loadFailures.increment();
          LOG.warnf("cannot list snapshots in %s, starting empty: %s", files.dir(), e);
          return Optional.empty();
        }
        if (found.isEmpty()) {
          LOG.infof(
              "no snapshot in %s: starting empty (collectors re-send their streams)", files.dir());
          return Optional.empty();
        }
        Snapshot s = found.get().snapshot();
        try {
          engine.restore(s.rib());
        } catch (RuntimeException e) {
          loadFailures.increment();
          LOG.warnf("snapshot %s is inconsistent, ignored: %s", found.get().file(), e);
          files.quarantine(found.get().file());
          continue;
        }
        loadSeconds = (System.nanoTime() - t0) / 1e9;
        remember(s, found.get().bytes());
        LOG.infof(
            "loaded snapshot %s (%d bytes, %d routes, %d VPs, %d streams) in %.2f s",
            found.get().file().getFileName(),
            found.get().bytes(),
            s.rib().routeCount(),
            s.rib().vps().size(),
            s.ingest().positions().size(),
            loadSeconds);
        return Optional.of(s.ingest());
      }
    } finally {
      nextDueNanos = System.nanoTime() + config.snapshot().interval().toNanos();
      ready = true;
    }
  }

  private void remember(Snapshot s, long bytes) {
    lastCreatedMillis = s.createdMillis();
    lastBytes = bytes;
    lastRoutes = s.rib().routeCount();
    lastBatches = s.ingest().batchesCovered();
    lastJournalSequence = s.ingest().journalSequence();
  }

  /**
   * Writer thread, between batches: takes a snapshot if the interval has passed, something changed
   * since the last one ({@code mark} differs) and the previous one is written.
   */
  public void maybeCapture(LongSupplier mark, Supplier<IngestImage> ingest) {
    if (!enabled() || !ready || System.nanoTime() < nextDueNanos || !inFlight.isDone()) {
      return;
    }
    long m = mark.getAsLong();
    nextDueNanos = System.nanoTime() + config.snapshot().interval().toNanos();
    if (m != capturedMark) {
      capture(m, ingest);
    }
  }

  /** Writer thread, on clean shutdown after its last batch: a final snapshot, waited for. */
  public void finalSnapshot(LongSupplier mark, Supplier<IngestImage> ingest) {
    if (!enabled() || !ready) {
      return;
    }
    try {
      inFlight.get(60, TimeUnit.SECONDS);
      long m = mark.getAsLong();
      if (m != capturedMark) {
        capture(m, ingest).get(120, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warnf("final snapshot not written: %s", e);
    }
  }

  private CompletableFuture<Path> capture(long mark, Supplier<IngestImage> ingest) {
    long t0 = System.nanoTime();
    RibImage rib = engine.capture();
    IngestImage g = ingest.get();
    long pause = System.nanoTime() - t0;
    lastPauseSeconds = pause / 1e9;
    capturedMark = mark;
    Snapshot s = new Snapshot(System.currentTimeMillis(), g, rib);
    inFlight = CompletableFuture.supplyAsync(() -> write(s, pause), io);
    return inFlight;
  }

  private Path write(Snapshot s, long pauseNanos) {
    long t0 = System.nanoTime();
    try {
      // The snapshot stands for every change up to its journal sequence: it may only exist once
      // they are committed, or a crash right after it would lose changes no replay derives again.
      long seq = s.ingest().journalSequence();
      if (seq > 0 && !journal.awaitCommitted(seq, JOURNAL_WAIT_MILLIS)) {
        throw new IOException(
            "journal not committed through sequence "
                + seq
                + " after "
                + JOURNAL_WAIT_MILLIS / 1000
                + " s (at "
                + journal.lastSequence()
                + ")");
      }
      Path p = files.write(s);
      long bytes = java.nio.file.Files.size(p);
      lastDurationSeconds = (System.nanoTime() - t0) / 1e9;
      remember(s, bytes);
      written.increment();
      files.prune(config.snapshot().keep());
      LOG.infof(
          "snapshot %s: %d routes, %d bytes, ingest paused %.1f ms, written in %.2f s",
          p.getFileName(), lastRoutes, bytes, pauseNanos / 1e6, lastDurationSeconds);
      return p;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.increment();
      LOG.warnf("snapshot not written to %s: interrupted", files.dir());
      return null;
    } catch (IOException | RuntimeException e) {
      failures.increment();
      LOG.warnf("snapshot not written to %s: %s", files.dir(), e);
      return null;
    }
  }
}
