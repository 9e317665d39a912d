package io.routewatch.state.snapshot;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the RIB snapshot is loading: queries would see a partial table. */
@Readiness
@ApplicationScoped
public class SnapshotReadiness implements HealthCheck {
  @Inject SnapshotService snapshots;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("rib-snapshot")
        .status(snapshots.ready())
        .withData("enabled", snapshots.enabled())
        .build();
  }
}
