package io.routewatch.alert.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts a {@link StateQueryServer} before the app and points the alert service's state client at
 * it.
 */
public class StateQueryTestResource implements QuarkusTestResourceLifecycleManager {
  public static StateQueryServer state;

  @Override
  public Map<String, String> start() {
    try {
      state = new StateQueryServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "quarkus.grpc.clients.state.host", "127.0.0.1",
        "quarkus.grpc.clients.state.port", Integer.toString(state.port()),
        "%test.quarkus.grpc.clients.state.port", Integer.toString(state.port()),
        // in test mode the gRPC client connects to its test-port (9001 unless set)
        "quarkus.grpc.clients.state.test-port", Integer.toString(state.port()),
        "%test.quarkus.grpc.clients.state.test-port", Integer.toString(state.port()),
        // a pass every 200 ms: tests also run one themselves at known moments
        "routewatch.alert.seed-interval", "200ms");
  }

  @Override
  public void stop() {
    if (state != null) {
      state.close();
    }
  }
}
