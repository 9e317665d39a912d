package io.routewatch.alert.api;

import io.routewatch.alert.pipeline.AlertView;
import io.routewatch.proto.v1.Alert;
import io.routewatch.proto.v1.AlertState;

/** AlertView → proto. */
public final class AlertMapper {
  private AlertMapper() {}

  public static Alert toProto(AlertView v) {
    return Alert.newBuilder()
        .setId(v.id())
        .setType(v.type().alertname())
        .setState(
            switch (v.state()) {
              case "PENDING" -> AlertState.PENDING;
              case "FIRING" -> AlertState.FIRING;
              case "RESOLVED" -> AlertState.RESOLVED;
              default -> AlertState.ALERT_STATE_UNSPECIFIED;
            })
        .putAllLabels(v.labels())
        .setSummary(v.summary())
        .setDescription(v.description())
        .setStartsAtMicros(v.startsAtMicros())
        .setEndsAtMicros(v.endsAtMicros())
        .setSeverity(v.severity())
        .setGeneratorUrl(v.generatorUrl())
        .setAtMicros(v.atMicros())
        .build();
  }
}
