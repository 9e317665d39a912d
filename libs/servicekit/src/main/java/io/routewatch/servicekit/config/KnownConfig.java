package io.routewatch.servicekit.config;

import java.util.List;

/**
 * A service's list of the {@code @ConfigMapping} interfaces it reads: the one source of truth for
 * its {@code routewatch.*} keys. Each service has exactly one bean of this type; {@link
 * ConfigKeyCheck} refuses to start with a key none of them declares, and the Helm chart's tests
 * check every rendered key against the same list.
 */
public interface KnownConfig {
  List<Class<?>> mappings();

  /** Single keys read outside the mappings (e.g. the codec's system properties). */
  default List<String> otherKeys() {
    return List.of();
  }

  default ConfigKeys keys() {
    return ConfigKeys.of(mappings(), otherKeys());
  }
}
