package io.routewatch.collector.mrt;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.servicekit.metrics.Gauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the {@link MrtWatcher} of {@code routewatch.collector.mrt.watch-dir} (off when unset): one
 * daemon thread scans the directory every {@code watch-interval} (polling; file-system events are
 * unreliable on network and container file systems).
 */
@ApplicationScoped
public class MrtWatchService {
  private static final Logger LOG = Logger.getLogger(MrtWatchService.class);

  @Inject CollectorConfig config;
  @Inject ImportJobs jobs;
  @Inject MeterRegistry registry;

  private volatile MrtWatcher watcher;
  private ScheduledExecutorService timer;

  void onStart(@Observes StartupEvent ev) {
    CollectorConfig.Mrt c = config.mrt();
    String d = c.watchDir().map(String::trim).orElse("");
    if (d.isEmpty()) {
      return;
    }
    Path dir = Paths.get(d).toAbsolutePath().normalize();
    Path ledger =
        c.ledger()
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(Paths::get)
            .orElse(defaultLedger(dir));
    watcher =
        new MrtWatcher(
            dir,
            c.watchPattern(),
            c.stableFor(),
            ledger,
            jobs,
            config.name(),
            config.publish().batchSize(),
            System::nanoTime,
            registry);
    Gauges.gauge(
        registry,
        "routewatch_collector_mrt_watch_pending_files",
        this,
        s -> s.watcher == null ? 0 : s.watcher.pending());
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mrt-watch");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(10, c.watchInterval().toMillis());
    timer.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
    LOG.infof(
        "watching %s for MRT files (%s, every %s, stable for %s); ledger %s",
        dir, c.watchPattern(), c.watchInterval(), c.stableFor(), watcher.ledgerFile());
  }

  void onStop(@Observes ShutdownEvent ev) {
    MrtWatcher w = watcher;
    if (w != null) {
      w.stop();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * {@code /data/incoming} → {@code /data/incoming.imports.json}: next to the directory, not in it.
   */
  static Path defaultLedger(Path dir) {
    Path parent = dir.getParent();
    if (parent == null || dir.getFileName() == null) {
      return dir.resolve(".routewatch-imports.json");
    }
    return parent.resolve(dir.getFileName() + ".imports.json");
  }

  /** The running watcher, or null when no directory is watched. */
  MrtWatcher watcher() {
    return watcher;
  }

  private void tick() {
    try {
      watcher.scan();
    } catch (Throwable t) { // a scheduled task that throws is never run again: never let it
      LOG.errorf(t, "watch: scan of %s failed; carrying on", watcher.dir());
    }
  }
}
