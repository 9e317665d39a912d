package io.routewatch.alert.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Two Alertmanagers for the dead-letter tests: a {@link JudgingAlertmanager} and a real one, both
 * configured, with fast polling and a short retry backoff.
 */
public class DeadLetterTestResource implements QuarkusTestResourceLifecycleManager {
  public static JudgingAlertmanager judge;
  public static AlertmanagerProcess am;

  @Override
  public Map<String, String> start() {
    try {
      judge = new JudgingAlertmanager();
      am = new AlertmanagerProcess();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "routewatch.alert.alertmanager.urls", judge.url() + "," + am.url(),
        "routewatch.alert.alertmanager.retry-initial", "100ms",
        "routewatch.alert.alertmanager.retry-max", "200ms",
        "routewatch.alert.alertmanager.poll-interval", "50ms",
        // no firing alerts here; keep re-sends out of the way all the same
        "routewatch.alert.alertmanager.resend-interval", "1h");
  }

  @Override
  public void stop() {
    if (judge != null) {
      judge.close();
    }
    if (am != null) {
      am.close();
    }
  }
}
