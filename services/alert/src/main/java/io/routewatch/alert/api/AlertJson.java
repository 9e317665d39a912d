package io.routewatch.alert.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.routewatch.alert.rule.AlertType;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * One spelling of the alert type everywhere: REST and SSE write it as gRPC and Alertmanager do, the
 * {@code alertname} ({@code SingleHomed}, not the enum constant {@code SINGLE_HOMED}); filters
 * accept either ({@link AlertType#parse}).
 */
@Singleton
public class AlertJson implements ObjectMapperCustomizer {
  @Override
  public void customize(ObjectMapper mapper) {
    mapper.registerModule(
        new SimpleModule("routewatch-alert-type")
            .addSerializer(
                AlertType.class,
                new JsonSerializer<>() {
                  @Override
                  public void serialize(AlertType t, JsonGenerator g, SerializerProvider p)
                      throws IOException {
                    g.writeString(t.alertname());
                  }
                }));
  }
}
