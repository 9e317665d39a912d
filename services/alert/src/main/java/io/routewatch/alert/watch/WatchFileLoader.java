package io.routewatch.alert.watch;

import io.quarkus.runtime.StartupEvent;
import io.routewatch.alert.AlertConfig;
import io.routewatch.servicekit.db.SchemaMigrator;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Loads {@code routewatch.alert.watch-file} at start (upsert; entries added through the API stay).
 * Format:
 *
 * <pre>
 * watch:
 *   - asn: AS131279
 *     description: Star JV, North Korea
 *     overrides: {min-peer-asns: 1, new-upstream.hold: 30s}
 *   - prefix: 175.45.176.0/22
 *     overrides:
 *       origins: "131279"
 *   - country: KP
 * </pre>
 *
 * A malformed file stops start-up with the line and what is wrong: silently watching less than the
 * operator wrote is worse than not starting.
 */
@ApplicationScoped
public class WatchFileLoader {
  private static final Logger LOG = Logger.getLogger(WatchFileLoader.class);

  @Inject AlertConfig config;
  @Inject WatchService watch;
  @Inject SchemaMigrator schema;

  /** Early (priority 10): the list must be in place before the first change is handled. */
  void onStart(@Observes @Priority(10) StartupEvent ev) {
    schema.version(); // tables first
    config.watchFile().ifPresent(f -> load(Path.of(f)).forEach(watch::upsert));
    watch.reload();
    LOG.infof("watch list: %d entries", watch.list().size());
  }

  /** Parses a watch file into validated entries. */
  public static List<WatchEntry> load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read watch file " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  public static List<WatchEntry> parse(String text) {
    Object doc = WatchYamlParser.parse(text);
    if (!(doc instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException("watch file: top level must be a map with a 'watch' list");
    }
    Object items = root.get("watch");
    if (items == null || "".equals(items)) {
      return List.of();
    }
    if (!(items instanceof List<?> list)) {
      throw new IllegalArgumentException("watch file: 'watch' must be a list");
    }
    List<WatchEntry> out = new ArrayList<>();
    int i = 0;
    for (Object o : list) {
      i++;
      if (!(o instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("watch file: item " + i + " must be a map");
      }
      String kind = null;
      String value = null;
      for (String k : List.of("asn", "prefix", "country")) {
        if (m.containsKey(k)) {
          if (kind != null) {
            throw new IllegalArgumentException(
                "watch file: item " + i + " has both " + kind + " and " + k);
          }
          kind = k;
          value = String.valueOf(m.get(k));
        }
      }
      if (kind == null) {
        throw new IllegalArgumentException(
            "watch file: item " + i + " needs one of asn, prefix, country");
      }
      Map<String, String> ov = new LinkedHashMap<>();
      Object raw = m.get("overrides");
      if (raw instanceof Map<?, ?> rm) {
        rm.forEach((k, v) -> ov.put(String.valueOf(k), String.valueOf(v)));
      } else if (raw != null && !"".equals(raw)) {
        throw new IllegalArgumentException("watch file: item " + i + ": overrides must be a map");
      }
      Object desc = m.get("description");
      try {
        out.add(
            WatchService.validate(
                kind, value, ov, desc == null ? "" : String.valueOf(desc), "file"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("watch file: item " + i + ": " + e.getMessage());
      }
    }
    return out;
  }
}
