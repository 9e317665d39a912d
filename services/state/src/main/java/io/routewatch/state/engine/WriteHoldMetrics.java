package io.routewatch.state.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.routewatch.servicekit.log.LogLimiter;
import io.routewatch.state.rib.RoutingEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * How long the routing engine's writer holds its lock, per operation (batch, tick, snapshot, watch,
 * …): {@code routewatch_state_engine_write_hold_seconds}. A query waits at most one hold, so its
 * max is the query latency the writer causes; a hold over {@link #SLOW} is logged (at most one line
 * per 10 s) with the operation.
 */
final class WriteHoldMetrics implements RoutingEngine.HoldObserver {
  private static final Logger LOG = Logger.getLogger(WriteHoldMetrics.class);
  static final long SLOW = Duration.ofMillis(500).toNanos();

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final LogLimiter slowLog = new LogLimiter(Duration.ofSeconds(10));

  WriteHoldMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void held(String operation, long nanos) {
    timers
        .computeIfAbsent(
            operation,
            op ->
                Timer.builder("routewatch_state_engine_write_hold")
                    .description("Time the routing engine's writer held its lock (queries wait)")
                    .tag("operation", op)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (nanos > SLOW) {
      long quiet = slowLog.admit();
      if (quiet >= 0) {
        LOG.warnf(
            "engine write lock held %d ms by %s: queries waited that long (%d more slow holds"
                + " not logged)",
            nanos / 1_000_000, operation, quiet);
      }
    }
  }
}
