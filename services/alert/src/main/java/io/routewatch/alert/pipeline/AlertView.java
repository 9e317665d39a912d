package io.routewatch.alert.pipeline;

import io.routewatch.alert.rule.AlertType;
import java.util.Map;

/**
 * An alert at one transition, as notifications, the stream and the history show it.
 *
 * @param id identity (type + identifying labels)
 * @param type alert type
 * @param state PENDING, FIRING or RESOLVED
 * @param severity critical, warning or info
 * @param labels all labels incl. alertname and severity
 * @param summary summary annotation
 * @param description description annotation
 * @param startsAtMicros when the condition started
 * @param endsAtMicros when it ended (0 while firing)
 * @param generatorUrl state query for the network
 * @param atMicros when this transition happened
 */
public record AlertView(
    String id,
    AlertType type,
    String state,
    String severity,
    Map<String, String> labels,
    String summary,
    String description,
    long startsAtMicros,
    long endsAtMicros,
    String generatorUrl,
    long atMicros) {

  /** Origin ASN from the {@code asn} label (0 when none). */
  public long asn() {
    String a = labels.getOrDefault("asn", "");
    return a.startsWith("AS") ? Long.parseLong(a.substring(2)) : 0;
  }

  public String country() {
    return labels.getOrDefault("country", "");
  }
}
