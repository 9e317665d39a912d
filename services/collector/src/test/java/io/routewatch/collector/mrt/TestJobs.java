package io.routewatch.collector.mrt;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.publish.StateLink;
import io.smallrye.config.SmallRyeConfig;
import java.util.List;

/** Real {@link ImportJobs} outside Quarkus, for tests of other packages that start imports. */
public final class TestJobs {
  private TestJobs() {}

  /** Import jobs publishing on {@code link}; stopped through {@code closing}. */
  public static ImportJobs jobs(SmallRyeConfig cfg, StateLink link, List<AutoCloseable> closing) {
    ImportJobs jobs = new ImportJobs();
    jobs.link = link;
    jobs.config = cfg.getConfigMapping(CollectorConfig.class);
    jobs.registry = new SimpleMeterRegistry();
    jobs.metrics();
    closing.add(() -> jobs.onStop(null));
    return jobs;
  }
}
