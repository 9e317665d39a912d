package io.routewatch.collector.publish;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the stream to state is up: without it nothing the collector reads lands. */
@Readiness
@ApplicationScoped
public class StateLinkHealthCheck implements HealthCheck {
  @Inject StateLink link;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("state-link").status(link.isConnected()).build();
  }
}
