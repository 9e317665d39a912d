package io.routewatch.alert.rule;

import java.util.Map;

/**
 * An alert the pipeline holds (pending or firing), as rules see it.
 *
 * @param key identity
 * @param type alert type
 * @param firing false while still in its hold time
 * @param labels labels incl. severity
 * @param summary firing summary
 * @param description firing description
 * @param context numbers saved by the rule when it fired
 * @param startsAtMicros when the condition started
 */
public record ActiveAlert(
    String key,
    AlertType type,
    boolean firing,
    Map<String, String> labels,
    String summary,
    String description,
    Map<String, String> context,
    long startsAtMicros) {}
