package io.routewatch.state.rpki;

import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.state.StateConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link RpkiService} outside CDI, on a StateConfig that answers only rpki() and shard(). */
public final class RpkiTestSupport {
  private RpkiTestSupport() {}

  /** rpki() answers from {@code rpki} (method name → value); shard() has no peers. */
  public static StateConfig config(Map<String, Object> rpki) {
    StateConfig.Rpki r = proxy(StateConfig.Rpki.class, rpki);
    StateConfig.Shard s =
        proxy(
            StateConfig.Shard.class,
            Map.of("peers", Optional.<List<String>>empty(), "name", Optional.empty()));
    return proxy(StateConfig.class, Map.of("rpki", r, "shard", s));
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Map<String, Object> values) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, m, a) -> {
              if (!values.containsKey(m.getName())) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + m.getName());
              }
              return values.get(m.getName());
            });
  }

  /** Defaults as in StateConfig.Rpki, with file/url as given and caps of 1 MiB and 3 VRPs. */
  public static Map<String, Object> values(Optional<String> file, Optional<String> url) {
    Map<String, Object> v = new HashMap<>();
    v.put("file", file);
    v.put("url", url);
    v.put("refresh", Duration.ofMinutes(10));
    v.put("timeout", Duration.ofSeconds(10));
    v.put("maxBytes", 1L << 20);
    v.put("maxVrps", 3);
    return v;
  }

  /** A service with metrics registered, not started (call {@link #reload}). */
  public static RpkiService service(StateConfig config, MeterRegistry registry) {
    RpkiService s = new RpkiService();
    s.config = config;
    s.registry = registry;
    s.registerMetrics();
    return s;
  }

  public static void reload(RpkiService s) {
    s.reload();
  }
}
