package io.routewatch.alert.link;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while subscribed to state's change stream: without it no alert can fire. */
@Readiness
@ApplicationScoped
public class StateLinkHealthCheck implements HealthCheck {
  @Inject StateSubscription subscription;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("state-change-stream")
        .status(subscription.isConnected())
        .withData("sequence", subscription.position())
        .build();
  }
}
