package io.routewatch.collector.archive;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.mrt.ImportJobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the {@link ArchiveFollower} of {@code routewatch.collector.archive.follow.collectors} (off
 * when empty): one daemon thread polls every {@code poll-interval}, the first poll at start.
 */
@ApplicationScoped
public class ArchiveFollowService {
  private static final Logger LOG = Logger.getLogger(ArchiveFollowService.class);

  @Inject CollectorConfig config;
  @Inject ArchiveImports archive;
  @Inject ImportJobs jobs;
  @Inject MeterRegistry registry;

  private volatile ArchiveFollower follower;
  private ScheduledExecutorService timer;

  void onStart(@Observes StartupEvent ev) {
    CollectorConfig.Follow c = config.archive().follow();
    List<String> collectors =
        c.collectors().orElse(List.of()).stream()
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    if (collectors.isEmpty()) {
      return;
    }
    Path ledger =
        c.ledger()
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(Path::of)
            .orElse(archive.cacheDir().resolve("follow.json"));
    follower =
        new ArchiveFollower(
            archive.index(),
            archive.fetcher(),
            jobs,
            ledger,
            new ArchiveFollower.Settings(
                collectors,
                c.pollInterval(),
                c.start(),
                c.window(),
                c.maxFilesPerPoll(),
                c.staleGrace(),
                archive.cacheDir(),
                config.publish().batchSize()),
            registry,
            System::currentTimeMillis);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "archive-follow");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, c.pollInterval().toMillis());
    timer.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
    LOG.infof(
        "following %s in the archives (every %s, window %s); ledger %s",
        collectors, c.pollInterval(), c.window(), follower.ledgerFile());
  }

  void onStop(@Observes ShutdownEvent ev) {
    ArchiveFollower f = follower;
    if (f != null) {
      f.stop();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** The running follower, or null when follow mode is off. */
  public ArchiveFollower follower() {
    return follower;
  }

  private void tick() {
    try {
      follower.poll();
    } catch (Throwable t) { // a scheduled task that throws is never run again: never let it
      LOG.errorf(t, "archive follow: poll failed; carrying on");
    }
  }
}
