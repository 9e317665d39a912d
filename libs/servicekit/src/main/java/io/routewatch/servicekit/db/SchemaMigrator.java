package io.routewatch.servicekit.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Shared by state and alert (each with its own history table). Applies the Flyway migrations in
 * {@code db/migration} at start-up (before anything touches the tables), or only validates them
 * when {@code routewatch.db.migrate-at-start=false} (prod setups that migrate out of band).
 */
// Only services with a PostgreSQL datasource (state, alert) get this bean; the collector has none.
@IfBuildProperty(name = "quarkus.datasource.db-kind", stringValue = "postgresql")
@Startup
@Priority(1)
@ApplicationScoped
public class SchemaMigrator {
  private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);

  @Inject AgroalDataSource dataSource;

  @Inject DbConfig db;

  private String version = "";

  /** The schema version after start-up migration/validation. */
  public String version() {
    return version;
  }

  @PostConstruct
  void migrate() {
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .table(db.historyTable())
            .baselineOnMigrate(true)
            .baselineVersion("0") // a database shared with the other service is not "ours at V1"
            .validateMigrationNaming(true)
            .load();
    if (db.migrateAtStart()) {
      var result = flyway.migrate();
      version = String.valueOf(result.targetSchemaVersion);
      LOG.infof(
          "database schema at version %s (%d migrations applied now)",
          result.targetSchemaVersion, result.migrationsExecuted);
    } else {
      flyway.validate();
      version = String.valueOf(flyway.info().current().getVersion());
      LOG.info("database schema validated");
    }
  }
}
