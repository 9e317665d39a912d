package io.routewatch.state;

import io.routewatch.servicekit.config.KnownConfig;
import io.routewatch.servicekit.db.DbConfig;
import io.routewatch.servicekit.security.SecurityConfig;
import jakarta.inject.Singleton;
import java.util.List;

/** Every {@code routewatch.*} key state reads. */
@Singleton
public class StateKnownConfig implements KnownConfig {
  /** State's mappings (public: the Helm chart's tests check rendered keys against them). */
  public static final List<Class<?>> MAPPINGS =
      List.of(StateConfig.class, WebConfig.class, DbConfig.class, SecurityConfig.class);

  @Override
  public List<Class<?>> mappings() {
    return MAPPINGS;
  }
}
