package io.routewatch.collector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Collector settings ({@code routewatch.collector.*}; env {@code ROUTEWATCH_COLLECTOR_*}). */
@ConfigMapping(prefix = "routewatch.collector")
public interface CollectorConfig {
  /** Name of this collector instance; carried on every event. */
  @WithDefault("routewatch")
  String name();

  Publish publish();

  Import imports();

  interface Publish {
    /** Route events per batch sent to state. */
    @WithDefault("2048")
    int batchSize();

    /** Unacknowledged batches kept in flight; when full, sources pause (back-pressure). */
    @WithDefault("32")
    int window();

    /** First reconnect delay after the state link fails; doubles up to reconnect-max. */
    @WithDefault("100ms")
    Duration reconnectMin();

    @WithDefault("5s")
    Duration reconnectMax();

    /** Longest a partly filled batch of a live source waits before it is sent. */
    @WithDefault("200ms")
    Duration lingerMax();
  }

  interface Import {
    /** Directory watched for new MRT archives (imported once each, in name order). */
    Optional<String> watchDir();

    /** A file must be unchanged for this long before the watcher imports it. */
    @WithDefault("2s")
    Duration settle();

    /** How often the watch directory is scanned. */
    @WithDefault("1s")
    Duration scanInterval();
  }
}
