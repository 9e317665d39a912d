package io.routewatch.state.rpki;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.rib.PrefixOriginCounts;
import io.routewatch.state.rib.RoutingEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code routewatch_state_rov_routes{state}}: VP best paths per RFC 6811 state over the whole RIB,
 * recounted every minute while RPKI is on (the (prefix, origin) pairs are copied under the engine's
 * read lock and validated outside it).
 */
@ApplicationScoped
public class RovGauges {
  private static final Logger LOG = Logger.getLogger(RovGauges.class);
  static final long INTERVAL_SECONDS = 60;

  @Inject RoutingEngine engine;
  @Inject RpkiService rpki;
  @Inject MeterRegistry registry;

  private final double[] routes = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
  private ScheduledExecutorService timer;

  void onStart(@Observes StartupEvent ev) {
    if (!rpki.enabled()) {
      return;
    }
    for (RovState s : RovState.values()) {
      Gauges.gauge(
          registry,
          "routewatch_state_rov_routes",
          Tags.of("state", s.name().toLowerCase(Locale.ROOT)),
          this,
          g -> g.routes[s.ordinal()]);
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rov-gauges");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::recount, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void recount() {
    try {
      if (!rpki.loaded()) {
        return; // NaN until a VRP set is there: "all not found" would be a lie
      }
      long[] c = count(rpki.table(), engine.prefixOrigins());
      for (int i = 0; i < c.length; i++) {
        routes[i] = c[i];
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "ROV recount failed");
    }
  }

  /** VP best paths per state (indexed by {@link RovState#ordinal()}). */
  static long[] count(VrpTable table, PrefixOriginCounts pairs) {
    long[] c = new long[RovState.values().length];
    for (int i = 0; i < pairs.size(); i++) {
      RovState s = table.validate(pairs.prefixes()[i], pairs.origins()[i] & 0xffff_ffffL);
      c[s.ordinal()] += pairs.paths()[i];
    }
    return c;
  }
}
