package io.routewatch.servicekit.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * Refuses to start a service configured with a {@code routewatch.*} key (or {@code ROUTEWATCH_*}
 * variable in one of its namespaces) that it does not read. A chart typo becomes a crash loop with
 * the key in its last log line instead of a silent default. Runs first among start-up observers,
 * before any listener opens.
 *
 * <p>Variables that configuration values reference ({@code ${ROUTEWATCH_DB_URL:…}}) count as read.
 */
@ApplicationScoped
public class ConfigKeyCheck {
  private static final Logger LOG = Logger.getLogger(ConfigKeyCheck.class);
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)");

  @Inject Instance<KnownConfig> known;
  @Inject Config config;

  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    if (!known.isResolvable()) {
      return; // a module without its own list (tests of servicekit alone)
    }
    ConfigKeys keys = known.get().keys();
    // In @QuarkusTest the system properties are the test JVM's (routewatch.data, routewatch.root
    // for the test data), not the service's; every other source is checked there too.
    boolean skipSystemProperties = LaunchMode.current() == LaunchMode.TEST;
    List<ConfigKeys.Unknown> unknown = check(keys, config, skipSystemProperties);
    if (!unknown.isEmpty()) {
      String text =
          unknown.stream()
              .map(u -> u + ", did you mean " + keys.closest(u.key()).replace("[*]", "") + "?")
              .collect(Collectors.joining("; "));
      LOG.errorf("unknown configuration key(s): %s", text);
      throw new IllegalStateException(
          "unknown configuration key(s): "
              + text
              + " (routewatch refuses keys it does not read; see docs/configuration.md)");
    }
  }

  /** The unknown keys of every configuration source, each with the source that holds it. */
  static List<ConfigKeys.Unknown> check(
      ConfigKeys keys, Config config, boolean skipSystemProperties) {
    Map<String, String> found = new LinkedHashMap<>();
    java.util.Set<String> referenced = new java.util.HashSet<>();
    for (ConfigSource source : config.getConfigSources()) {
      if (skipSystemProperties && source.getName().startsWith("SysPropConfigSource")) {
        continue;
      }
      for (String name : source.getPropertyNames()) {
        found.putIfAbsent(name, source.getName());
        String raw = source.getValue(name);
        if (raw != null && raw.contains("${")) {
          Matcher m = REFERENCE.matcher(raw);
          while (m.find()) {
            referenced.add(m.group(1));
          }
        }
      }
    }
    // SmallRye also lists an environment variable in dotted form: report it once, as given, and
    // not at all when a configuration value references the variable
    found
        .keySet()
        .removeIf(k -> k.startsWith("routewatch.") && found.containsKey(ConfigKeys.envForm(k)));
    referenced.forEach(found::remove);
    return keys.unknown(found);
  }
}
