package io.routewatch.collector;

import io.routewatch.servicekit.config.KnownConfig;
import io.routewatch.servicekit.security.SecurityConfig;
import jakarta.inject.Singleton;
import java.util.List;

/** Every {@code routewatch.*} key the collector reads: its mappings and the codec's properties. */
@Singleton
public class CollectorKnownConfig implements KnownConfig {
  /** The collector's mappings (public: the Helm chart's tests check rendered keys against them). */
  public static final List<Class<?>> MAPPINGS =
      List.of(CollectorConfig.class, SecurityConfig.class);

  /** System properties of libs/bgp (bzip2 decoder choice and threads). */
  public static final List<String> OTHER_KEYS =
      List.of("routewatch.bgp.bzip2", "routewatch.bgp.bzip2Threads", "routewatch.bgp.noLbzip2");

  @Override
  public List<Class<?>> mappings() {
    return MAPPINGS;
  }

  @Override
  public List<String> otherKeys() {
    return OTHER_KEYS;
  }
}
