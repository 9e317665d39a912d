package io.routewatch.alert.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.routewatch.alert.pipeline.AlertClock;
import io.routewatch.alert.pipeline.AlertEntity;
import io.routewatch.alert.pipeline.AlertEventEntity;
import io.routewatch.alert.pipeline.AlertView;
import io.routewatch.alert.rule.AlertType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** History (alert_event) and current alerts, for gRPC and REST alike. */
@ApplicationScoped
public class AlertHistoryService {
  public static final int DEFAULT_LIMIT = 1000;
  public static final int MAX_LIMIT = 10_000;
  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  @Inject ObjectMapper json;
  @Inject AlertClock clock;

  /** Transitions in [from, to), newest first; throws IllegalArgumentException on bad input. */
  public List<AlertView> list(long from, long to, AlertFilter f, int limit) {
    if (from < 0) {
      throw new IllegalArgumentException("from (" + from + ") must be >= 0");
    }
    long end = to == 0 ? Long.MAX_VALUE : to;
    if (end <= from) {
      throw new IllegalArgumentException("to (" + to + ") must be after from (" + from + ")");
    }
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit " + limit + " must be 0.." + MAX_LIMIT);
    }
    int n = limit == 0 ? DEFAULT_LIMIT : limit;
    StringBuilder q = new StringBuilder("atMicros >= :from and atMicros < :to");
    Map<String, Object> p = new HashMap<>();
    p.put("from", from);
    p.put("to", end);
    if (!f.types().isEmpty()) {
      q.append(" and type in :types");
      p.put("types", f.types().stream().map(AlertType::alertname).collect(Collectors.toList()));
    }
    if (f.asn() != 0) {
      q.append(" and asn = :asn");
      p.put("asn", f.asn());
    }
    if (!f.country().isEmpty()) {
      q.append(" and country = :country");
      p.put("country", f.country());
    }
    q.append(" order by atMicros desc, id desc");
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AlertEventEntity.<AlertEventEntity>find(q.toString(), p).page(0, n).list().stream()
                    .map(this::view)
                    .toList());
  }

  /** Pending and firing alerts matching the filter. */
  public List<AlertView> current(AlertFilter f, boolean includePending) {
    List<AlertView> out = new ArrayList<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (AlertEntity a :
                  AlertEntity.<AlertEntity>list(
                      "state <> ?1 order by pendingSince", AlertEntity.RESOLVED)) {
                if (!includePending && AlertEntity.PENDING.equals(a.state)) {
                  continue;
                }
                AlertView v =
                    new AlertView(
                        a.id,
                        AlertType.parse(a.type).orElseThrow(),
                        a.state,
                        a.severity,
                        read(a.labels),
                        a.summary,
                        a.description,
                        a.startsAt == null ? a.pendingSince : a.startsAt,
                        0,
                        a.generatorUrl,
                        clock.nowMicros());
                if (f.matches(v)) {
                  out.add(v);
                }
              }
            });
    return out;
  }

  private AlertView view(AlertEventEntity e) {
    return new AlertView(
        e.alertId,
        AlertType.parse(e.type).orElseThrow(),
        e.state,
        e.severity,
        read(e.labels),
        e.summary,
        e.description,
        e.startsAt,
        e.endsAt == null ? 0 : e.endsAt,
        e.generatorUrl,
        e.atMicros);
  }

  private Map<String, String> read(String s) {
    try {
      return json.readValue(s, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
