package io.routewatch.alert.pipeline;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Wall clock (the default {@link AlertClock}). */
@DefaultBean
@ApplicationScoped
public class SystemAlertClock implements AlertClock {
  @Override
  public long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }
}
