package io.routewatch.state.changes;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The state service's stage timings, {@code routewatch_state_stage_seconds{stage}}
 * (docs/metrics.md): {@code queued} (a Publish batch arrived → the writer takes it), {@code
 * applied} (the writer applies it, changes derived), {@code journaled} (a change derived →
 * committed in the journal, per journal write from its oldest change) and {@code published} (a
 * change's event time, stamped by the collector on arrival, → handed to a live subscriber's
 * stream).
 */
public final class Stages {
  /** Changes older than this at publication are a replay or an archive, not live: not timed. */
  static final long LIVE_MICROS = 3_600_000_000L;

  private Stages() {}

  /** The timer of one stage (registered once; the registry returns the same one after). */
  public static Timer timer(MeterRegistry registry, String stage) {
    return Timer.builder("routewatch_state_stage")
        .description(
            "Live latency inside state by stage: queued, applied (per batch), journaled (per"
                + " journal write), published (change event time to a subscriber's stream)")
        .tag("stage", stage)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }
}
