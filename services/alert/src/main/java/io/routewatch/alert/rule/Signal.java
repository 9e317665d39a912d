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
 * @param severity the {@code severity} label this firing asks for (a rule that grades by the
 *     route's ROV state); null: the type's setting ({@link Thresholds#severity})
 */
public record Signal(
    AlertType type,
    String key,
    boolean fire,
    Map<String, String> labels,
    String summary,
    String description,
    Evidence evidence,
    Map<String, String> context,
    String severity) {

  /** A signal with the type's configured severity. */
  public Signal(
      AlertType type,
      String key,
      boolean fire,
      Map<String, String> labels,
      String summary,
      String description,
      Evidence evidence,
      Map<String, String> context) {
    this(type, key, fire, labels, summary, description, evidence, context, null);
  }

  /** This signal with the {@code severity} label {@code s} (null: the type's setting). */
  public Signal withSeverity(String s) {
    return new Signal(type, key, fire, labels, summary, description, evidence, context, s);
  }

  public static Signal resolve(AlertType type, String key) {
    return new Signal(type, key, false, Map.of(), "", "", Evidence.NONE, Map.of());
  }
}
