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
import java.nio.file.Paths;
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

  @jakarta.annotation.PostConstruct
  void metrics() {
    resends =
        Counter.builder("routewatch_collector_mrt_resends_total")
            .description("Re-sends of finished imports asked for by a restarted state that lost batches")
            .register(registry);
  }

  void onStop(@Observes ShutdownEvent ev) {
    runner.shutdownNow();
  }

  /**
   * Queues an import of {@code path}. Rejects a path that is not a readable regular file, so a
   * typo fails at once instead of as a failed job.
   */
  public ImportJobRun start(String path, double speed, String collector) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("path is required");
    }
    return start(Paths.get(path), speed, collector, null);
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
    if (speed < 0 || Double.isNaN(speed)) {
      throw new IllegalArgumentException("speed must be 0 (as fast as possible) or > 0, got " + speed);
    }
    String id = "imp-" + counter.incrementAndGet();
    String name = collector == null || collector.isBlank() ? config.name() : collector;
    ImportJobRun job =
        new ImportJobRun(id, p, speed, name, streamId, link, config, registry, this, null, 0);
    jobs.put(id, job);
    runner.submit(() -> runAndKeep(job));
    return job;
  }

  private void runAndKeep(ImportJobRun job) {
    job.run();
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
              id, done.path(), 0, done.collector(), streamId, link, config, registry, this, done, after);
      jobs.put(id, job);
    }
    runAndKeep(job);
  }

  public synchronized ImportJobRun get(String id) {
    return jobs.get(id);
  }

  public synchronized Collection<ImportJobRun> all() {
    return List.copyOf(new ArrayList<>(jobs.values()));
  }
}
