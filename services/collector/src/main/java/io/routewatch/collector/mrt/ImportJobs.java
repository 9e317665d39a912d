package io.routewatch.collector.mrt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.publish.StateLink;
import io.routewatch.proto.v1.ImportState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry of MRT import jobs; runs them one at a time, in the order they were started. Keeps
 * the newest finished imports ({@code routewatch.collector.mrt.keep-finished}) as their streams'
 * sources and queues a re-send of one when a restarted state holds less of it than it acknowledged.
 */
@ApplicationScoped
public class ImportJobs implements ImportJobRun.Resender {
  @Inject StateLink link;
  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;

  private final Map<String, ImportJobRun> jobs = new LinkedHashMap<>();

  /** Finished imports that can be sent again, oldest first, by stream id (guarded by this). */
  private final LinkedHashMap<String, ImportJobRun> finished = new LinkedHashMap<>();

  /** Re-sends asked for and not started yet: stream id → lowest batch state holds (own lock). */
  private final Map<String, Long> resendsDue = new HashMap<>();

  private final Map<String, ImportJobRun> resendOrigin = new HashMap<>();
  private final AtomicInteger counter = new AtomicInteger();
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "mrt-import");
            t.setDaemon(true);
            return t;
          });

  private Counter resends;
  private Counter refusedOutside;
  private Counter refusedInvalid;
  private Counter cancelled;

  /** Slowest and fastest pace accepted besides 0 (as fast as possible), × the archive's clock. */
  static final double MIN_SPEED = 0.01;

  static final double MAX_SPEED = 1e6;

  @jakarta.annotation.PostConstruct
  void metrics() {
    resends =
        Counter.builder("routewatch_collector_mrt_resends_total")
            .description(
                "Re-sends of finished imports asked for by a restarted state that lost batches")
            .register(registry);
    refusedOutside = refused("outside_import_dirs");
    refusedInvalid = refused("invalid_argument");
    cancelled =
        Counter.builder("routewatch_collector_mrt_imports_cancelled_total")
            .description(
                "Import jobs stopped by a cancel request (REST DELETE or gRPC CancelImport)")
            .register(registry);
  }

  private Counter refused(String reason) {
    return Counter.builder("routewatch_collector_mrt_imports_refused_total")
        .description("Import requests refused before a job was created, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  void onStop(@Observes ShutdownEvent ev) {
    runner.shutdownNow();
  }

  /**
   * Queues an import of {@code path} asked for through the API. The path must lie, after symlinks,
   * under an import directory or the watch directory ({@link ImportDirs.Refused} otherwise); the
   * job reads the real path checked here. Rejects a path that is not a readable regular file, and a
   * speed out of range, so a typo fails at once instead of as a failed job. Nothing is created for
   * a refused request.
   */
  public ImportJobRun start(String path, double speed, String collector) {
    try {
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("path is required");
      }
      checkSpeed(speed);
      Path real = new ImportDirs(config.mrt()).check(path);
      return start(real, speed, collector, null);
    } catch (ImportDirs.Refused e) {
      refusedOutside.increment();
      throw e;
    } catch (IllegalArgumentException e) {
      refusedInvalid.increment();
      throw e;
    }
  }

  /**
   * Queues the import of a file named in the collector's own configuration (a live feed's bootstrap
   * RIB dump): not an API request, so not limited to the import directories. Its stream id is
   * derived from the file ({@code purpose}, name, size, mtime, batch size), as a watched file's, so
   * after a collector restart the same batches are sent again and state skips those it applied.
   */
  public ImportJobRun startConfigured(Path path, String collector, String purpose) {
    Path p = path.toAbsolutePath().normalize();
    try {
      String streamId =
          fileStreamId(
              collector,
              purpose,
              p.getFileName().toString(),
              Files.size(p),
              Files.getLastModifiedTime(p).toMillis(),
              config.publish().batchSize());
      return start(p, 0, collector, streamId);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  /**
   * The stream id of a file the collector imports by itself (watched, or configured): the same file
   * (name, size, mtime) in the same batches gives the same id after a restart, so state skips the
   * batches it applied.
   */
  public static String fileStreamId(
      String collector, String purpose, String name, long size, long mtime, int batchSize) {
    return collector + "/" + purpose + "/" + name + "/" + size + "-" + mtime + "-b" + batchSize;
  }

  static void checkSpeed(double speed) {
    if (speed == 0) {
      return;
    }
    if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) { // NaN fails both
      throw new IllegalArgumentException(
          "speed must be 0 (as fast as possible) or between "
              + MIN_SPEED
              + " and "
              + (long) MAX_SPEED
              + " (× the archive's clock), got "
              + speed);
    }
  }

  /**
   * Queues an import of {@code path} under {@code streamId} (null: a new stream id for this job).
   * The directory watcher passes a stream id derived from the file, so importing the same file
   * again after a collector restart re-sends the same batches and state skips those it applied.
   */
  synchronized ImportJobRun start(Path path, double speed, String collector, String streamId) {
    Path p = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException("not a readable file on the collector: " + p);
    }
    checkSpeed(speed);
    String id = "imp-" + counter.incrementAndGet();
    String name = collector == null || collector.isBlank() ? config.name() : collector;
    ImportJobRun job =
        new ImportJobRun(id, p, speed, name, streamId, link, config, registry, this, null, 0);
    jobs.put(id, job);
    runner.submit(() -> runAndKeep(job));
    return job;
  }

  /**
   * Queues an import of several collectors' files merged by time (an archive range import) under
   * {@code streamId}: the same request gets the same stream id, so importing it again after a
   * collector restart re-sends the same batches and state skips those it applied.
   *
   * @param where a directory the job names as its path internally (the cache)
   */
  public synchronized ImportJobRun startMerged(
      ImportJobRun.Merged merged, double speed, String streamId, Path where) {
    checkSpeed(speed);
    String id = "imp-" + counter.incrementAndGet();
    ImportJobRun job =
        new ImportJobRun(
            id,
            where,
            speed,
            merged.collectors(),
            streamId,
            link,
            config,
            registry,
            this,
            null,
            0,
            merged);
    jobs.put(id, job);
    runner.submit(() -> runAndKeep(job));
    return job;
  }

  private void runAndKeep(ImportJobRun job) {
    job.run();
    synchronized (this) {
      pruneJobs();
    }
    if (job.state() != ImportState.DONE) {
      return;
    }
    // Lock order: this, then the link's. A rewind holds the link's lock and takes only
    // resendsDue's (resend), never this one, so the two cannot wait on each other.
    synchronized (this) {
      finished.remove(job.streamId()); // a re-send replaces its import: newest last
      finished.put(job.streamId(), job);
      var it = finished.values().iterator();
      while (finished.size() > Math.max(0, config.mrt().keepFinished()) && it.hasNext()) {
        ImportJobRun forgotten = it.next();
        it.remove();
        link.unregister(forgotten.streamId(), forgotten);
      }
    }
  }

  /** True while {@code job} is kept as its stream's source for a re-send. */
  synchronized boolean keeps(ImportJobRun job) {
    return finished.get(job.streamId()) == job;
  }

  /**
   * A finished job's rewind (called under the state link's lock: only queues). Re-sends asked for
   * the same stream before one started merge into one from the lowest batch.
   */
  @Override
  public void resend(ImportJobRun done, long after) {
    boolean queue;
    synchronized (resendsDue) {
      Long before = resendsDue.get(done.streamId());
      queue = before == null;
      resendsDue.put(done.streamId(), before == null ? after : Math.min(before, after));
      resendOrigin.put(done.streamId(), done);
    }
    resends.increment();
    if (queue) {
      runner.submit(() -> resendNow(done.streamId()));
    }
  }

  /** On the runner: the re-send of a finished import as a job of its own (listed with the rest). */
  private void resendNow(String streamId) {
    long after;
    ImportJobRun done;
    synchronized (resendsDue) {
      Long a = resendsDue.remove(streamId);
      done = resendOrigin.remove(streamId);
      if (a == null || done == null) {
        return;
      }
      after = a;
    }
    ImportJobRun job;
    synchronized (this) {
      String id = "imp-" + counter.incrementAndGet();
      job =
          new ImportJobRun(
              id,
              done.path(),
              0,
              done.collector(),
              streamId,
              link,
              config,
              registry,
              this,
              done,
              after,
              done.merged());
      jobs.put(id, job);
    }
    runAndKeep(job);
  }

  /**
   * Stops job {@code id} (queued: it never starts; running: it stops before its next send) and
   * waits up to {@code wait} for it to end. Null for an unknown id; a job that already ended is
   * returned as it is.
   */
  public ImportJobRun cancel(String id, Duration wait) throws InterruptedException {
    ImportJobRun job = get(id);
    if (job == null) {
      return null;
    }
    if (job.cancel()) {
      cancelled.increment();
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (job.state() == ImportState.RUNNING && System.nanoTime() < deadline) {
      job.awaitChange(50);
    }
    synchronized (this) {
      pruneJobs();
    }
    return job;
  }

  /**
   * Forgets the oldest finished jobs beyond keep-jobs (guarded by this). A finished import kept for
   * a re-send stays in {@link #finished}: its listing is not what a re-send needs.
   */
  private void pruneJobs() {
    int keep = Math.max(0, config.mrt().keepJobs());
    long ended = jobs.values().stream().filter(ImportJobRun::finished).count();
    var it = jobs.values().iterator();
    while (ended > keep && it.hasNext()) {
      if (it.next().finished()) {
        it.remove();
        ended--;
      }
    }
  }

  public synchronized ImportJobRun get(String id) {
    return jobs.get(id);
  }

  public synchronized Collection<ImportJobRun> all() {
    return List.copyOf(new ArrayList<>(jobs.values()));
  }
}
