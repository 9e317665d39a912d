package io.routewatch.collector.mrt;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.publish.StateLink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The registry of MRT import jobs; runs them one at a time, in the order they were started. */
@ApplicationScoped
public class ImportJobs {
  @Inject StateLink link;
  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;

  private final Map<String, ImportJobRun> jobs = new LinkedHashMap<>();
  private final AtomicInteger counter = new AtomicInteger();
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "mrt-import");
            t.setDaemon(true);
            return t;
          });

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
    ImportJobRun job = new ImportJobRun(id, p, speed, name, streamId, link, config, registry);
    jobs.put(id, job);
    runner.submit(job::run);
    return job;
  }

  public synchronized ImportJobRun get(String id) {
    return jobs.get(id);
  }

  public synchronized Collection<ImportJobRun> all() {
    return List.copyOf(new ArrayList<>(jobs.values()));
  }
}
