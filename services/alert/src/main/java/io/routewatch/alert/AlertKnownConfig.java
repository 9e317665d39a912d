package io.routewatch.alert;

import io.routewatch.servicekit.config.KnownConfig;
import io.routewatch.servicekit.db.DbConfig;
import io.routewatch.servicekit.security.SecurityConfig;
import jakarta.inject.Singleton;
import java.util.List;

/** Every {@code routewatch.*} key the alert service reads. */
@Singleton
public class AlertKnownConfig implements KnownConfig {
  /** Alert's mappings (public: the Helm chart's tests check rendered keys against them). */
  public static final List<Class<?>> MAPPINGS =
      List.of(AlertConfig.class, DbConfig.class, SecurityConfig.class);

  @Override
  public List<Class<?>> mappings() {
    return MAPPINGS;
  }
}
