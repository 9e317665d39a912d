package io.routewatch.pg;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: a real PostgreSQL per test run (see {@link LocalPostgres}). Tests that
 * need to stop/start the server reach it through {@link #current()}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
  private static volatile LocalPostgres current;

  public static LocalPostgres current() {
    return current;
  }

  @Override
  public Map<String, String> start() {
    current = LocalPostgres.start();
    return Map.of(
        "quarkus.datasource.jdbc.url", current.jdbcUrl(),
        "quarkus.datasource.username", current.username(),
        "quarkus.datasource.password", current.password());
  }

  @Override
  public void stop() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
