package io.routewatch.alert.pipeline;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.alert.AlertConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Drives hold and clear times: every {@code routewatch.alert.tick-interval} it asks the pipeline to
 * fire what has held and resolve what has cleared. Timers live in the database, so after a restart
 * the first tick catches up on everything that fell due while the service was down.
 */
@ApplicationScoped
public class AlertTicker {
  private static final Logger LOG = Logger.getLogger(AlertTicker.class);

  @Inject AlertPipeline pipeline;
  @Inject AlertConfig config;

  private ScheduledExecutorService exec;

  void onStart(@Observes StartupEvent ev) {
    exec =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "alert-ticker");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(10, config.tickInterval().toMillis());
    exec.scheduleWithFixedDelay(this::safeTick, ms, ms, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (exec != null) {
      exec.shutdownNow();
    }
  }

  /** One tick now (tests call this right after moving their clock). */
  public int tickNow() {
    return QuarkusTransaction.requiringNew().call(pipeline::tick);
  }

  private void safeTick() {
    try {
      tickNow();
    } catch (RuntimeException e) {
      LOG.warnf("alert tick failed (retried next tick): %s", e.toString());
    }
  }
}
