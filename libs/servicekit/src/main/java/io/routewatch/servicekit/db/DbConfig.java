package io.routewatch.servicekit.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code routewatch.db.*}: schema migration of the services with a database (state, alert). */
@ConfigMapping(prefix = "routewatch.db")
public interface DbConfig {
  /** Apply Flyway migrations at start; false only validates (schemas migrated out of band). */
  @WithDefault("true")
  boolean migrateAtStart();

  /**
   * Flyway's history table: each service keeps its own, so state and alert can share a database.
   */
  @WithDefault("flyway_schema_history")
  String historyTable();
}
