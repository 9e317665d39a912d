package io.routewatch.alert.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alertmanager API v2 postable alert: labels, annotations (summary, description), startsAt, endsAt
 * (only when resolved: a firing alert without endsAt stays active for Alertmanager's
 * resolve_timeout, which the periodic re-send keeps extending), generatorURL.
 */
public final class AlertmanagerPayload {
  private AlertmanagerPayload() {}

  public static Map<String, Object> of(AlertView a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("labels", a.labels());
    m.put("annotations", Map.of("summary", a.summary(), "description", a.description()));
    m.put("startsAt", rfc3339(a.startsAtMicros()));
    if (a.endsAtMicros() > 0) {
      m.put("endsAt", rfc3339(a.endsAtMicros()));
    }
    if (!a.generatorUrl().isEmpty()) {
      m.put("generatorURL", a.generatorUrl());
    }
    return m;
  }

  public static String json(ObjectMapper json, AlertView a) {
    try {
      return json.writeValueAsString(of(a));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rfc3339(long micros) {
    return Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L)
        .toString();
  }
}
