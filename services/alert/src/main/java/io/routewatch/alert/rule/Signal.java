package io.routewatch.alert.rule;

import java.util.Map;

/**
 * A rule's verdict on one change: this alert's condition holds ({@code fire}) or no longer holds.
 * The pipeline turns signals into alert states with hold and clear times.
 *
 * @param type alert type
 * @param key identity: type plus identifying labels
 * @param fire true = condition holds, false = condition is over
 * @param labels identifying labels without {@code severity} (the pipeline adds it)
 * @param summary firing summary (unused when {@code fire} is false)
 * @param description firing description
 * @param evidence what the noise filter weighs
 * @param context numbers the rule needs again when it resolves (kept with the alert)
 */
public record Signal(
    AlertType type,
    String key,
    boolean fire,
    Map<String, String> labels,
    String summary,
    String description,
    Evidence evidence,
    Map<String, String> context) {

  public static Signal resolve(AlertType type, String key) {
    return new Signal(type, key, false, Map.of(), "", "", Evidence.NONE, Map.of());
  }
}
