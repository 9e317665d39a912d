package io.routewatch.state.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import io.routewatch.state.leak.AsRelationships;
import io.routewatch.state.leak.AsRelationshipsReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Loads the AS relationships of {@code routewatch.state.relationships} (file, then overrides) for
 * the engine's valley-free check. A file that cannot be read is logged and counted, and leak
 * detection stays off: state carries on.
 */
@ApplicationScoped
public class RelationshipsLoader {
  private static final Logger LOG = Logger.getLogger(RelationshipsLoader.class);

  @Inject StateConfig config;
  @Inject MeterRegistry registry;

  private volatile AsRelationships loaded = AsRelationships.EMPTY;

  /** Reads the configured relationships ({@link AsRelationships#EMPTY} when none). */
  public AsRelationships load() {
    Counter rejected = registry.counter("routewatch_state_relationships_rejected_lines_total");
    Counter failures = registry.counter("routewatch_state_relationships_load_failures_total");
    for (String rel : new String[] {"p2c", "p2p", "sibling"}) {
      Gauges.gauge(
          registry,
          "routewatch_state_relationships_links",
          Tags.of("relationship", rel),
          this,
          s ->
              switch (rel) {
                case "p2c" -> s.loaded.p2cLinks();
                case "p2p" -> s.loaded.p2pLinks();
                default -> s.loaded.siblingLinks();
              });
    }
    StateConfig.Relationships c = config.relationships();
    List<String> overrides = c.overrides().orElse(List.of());
    if (c.file().isEmpty() && overrides.isEmpty()) {
      return AsRelationships.EMPTY;
    }
    AsRelationships.Builder b = new AsRelationships.Builder();
    AsRelationships fromFile = AsRelationships.EMPTY;
    if (c.file().isPresent()) {
      Path file = Path.of(c.file().get());
      try {
        AsRelationshipsReader.Result r = AsRelationshipsReader.read(file, c.maxLinks());
        r.problems().forEach(p -> LOG.warnf("AS relationships: skipped %s", p));
        if (r.rejected() > r.problems().size()) {
          LOG.warnf(
              "AS relationships: %s: %d more bad lines skipped",
              file, r.rejected() - r.problems().size());
        }
        rejected.increment(r.rejected());
        fromFile = r.relationships();
      } catch (IOException | RuntimeException e) {
        failures.increment();
        LOG.errorf(
            "AS relationships: cannot read %s (route leak detection off): %s",
            file, e instanceof AsRelationshipsReader.TooManyLinks ? e.getMessage() : e.toString());
        return AsRelationships.EMPTY;
      }
    }
    int i = 0;
    List<String> bad = new ArrayList<>();
    for (String o : overrides) {
      String why = AsRelationshipsReader.parse(o.trim(), b);
      if (why != null) {
        bad.add("routewatch.state.relationships.overrides[" + i + "]: " + why);
      }
      i++;
    }
    bad.forEach(p -> LOG.warnf("AS relationships: skipped %s", p));
    rejected.increment(bad.size());
    AsRelationships r = fromFile.withOverrides(b.build());
    loaded = r;
    LOG.infof(
        "AS relationships: %d links (%d p2c, %d p2p, %d sibling) from %s and %d overrides",
        r.size(),
        r.p2cLinks(),
        r.p2pLinks(),
        r.siblingLinks(),
        c.file().orElse("no file"),
        overrides.size() - bad.size());
    return r;
  }
}
