package io.routewatch.alert.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts a real Alertmanager before the app and points routewatch at it, with delivery timings
 * scaled for tests (re-send every 2 s, retry backoff 200 ms → 1 s, fast polling).
 */
public class AlertmanagerTestResource implements QuarkusTestResourceLifecycleManager {
  public static AlertmanagerProcess am;

  @Override
  public Map<String, String> start() {
    try {
      am = new AlertmanagerProcess();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "routewatch.alert.alertmanager.urls", am.url(),
        "routewatch.alert.alertmanager.resend-interval", "2s",
        "routewatch.alert.alertmanager.retry-initial", "200ms",
        "routewatch.alert.alertmanager.retry-max", "1s",
        "routewatch.alert.alertmanager.poll-interval", "50ms",
        "routewatch.alert.tick-interval", "100ms",
        "routewatch.alert.state-url", "http://127.0.0.1:8082");
  }

  @Override
  public void stop() {
    if (am != null) {
      am.close();
    }
  }
}
