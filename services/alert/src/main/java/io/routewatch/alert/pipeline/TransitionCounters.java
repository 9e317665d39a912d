package io.routewatch.alert.pipeline;

import io.routewatch.alert.metrics.AlertMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/**
 * Counts fire and resolve transitions once they are committed (a rolled-back one did not happen).
 */
@ApplicationScoped
public class TransitionCounters {
  @Inject AlertMetrics metrics;

  void onTransition(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertView v) {
    if (AlertEntity.FIRING.equals(v.state())) {
      metrics.fired(v.type(), 1);
    } else if (AlertEntity.RESOLVED.equals(v.state())) {
      metrics.resolved(v.type(), 1);
    }
  }
}
