package io.routewatch.state.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.state.StateConfig;
import io.routewatch.state.changes.ChangePublisher;
import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.rib.EngineConfig;
import io.routewatch.state.rib.RoutingEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.jboss.logging.Logger;

/** Builds the one {@link RoutingEngine} of this state instance from configuration. */
@ApplicationScoped
public class EngineProducer {
  private static final Logger LOG = Logger.getLogger(EngineProducer.class);

  /** RIR files shipped in the jar (see resources/registry/README.md for provenance). */
  static final String[] BUNDLED = {
    "registry/delegated-apnic-latest.gz",
    "registry/delegated-ripencc-latest.gz",
    "registry/delegated-arin-extended-latest.gz",
    "registry/delegated-lacnic-latest.gz",
    "registry/delegated-afrinic-latest.gz"
  };

  @Inject StateConfig config;
  @Inject ChangePublisher publisher;
  @Inject MeterRegistry registry;
  @Inject RelationshipsLoader relationships;

  @Produces
  @ApplicationScoped
  RoutingEngine engine(CountryRegistry countries) {
    StateConfig.Engine e = config.engine();
    EngineConfig cfg =
        EngineConfig.defaults()
            .withFullFeed(e.fullFeedV4(), e.fullFeedV6())
            .withOutage(
                e.outageThreshold(),
                e.outageClearThreshold(),
                e.outageHold().toNanos() / 1000,
                e.outageClear().toNanos() / 1000)
            .withShareMovePoints(e.shareMovePoints())
            .withSettle(e.settle().toNanos() / 1000, e.warmup().toNanos() / 1000);
    RoutingEngine engine = new RoutingEngine(cfg, countries, publisher);
    engine.onWriteHold(new WriteHoldMetrics(registry));
    engine.relationships(relationships.load());
    return engine;
  }

  /**
   * Loads the country registry at start (a few seconds of RIR file parsing on a small machine), not
   * lazily on the first route: that first call is on the writer thread inside the engine's write
   * lock, so every query waited for the load (AbuseStreamFloodIT saw queries wait 4-5 s).
   */
  void loadCountries(@Observes StartupEvent ev, CountryRegistry countries) {
    countries.countryCount();
  }

  @Produces
  @ApplicationScoped
  CountryRegistry countries() {
    try {
      if (config.registryDir().isPresent()) {
        Path dir = Path.of(config.registryDir().get());
        CountryRegistry r = CountryRegistry.loadDirectory(dir);
        LOG.infof("country registry from %s: %d countries", dir, r.countryCount());
        return r;
      }
      List<Reader> readers = new ArrayList<>();
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      for (String res : BUNDLED) {
        InputStream in = cl.getResourceAsStream(res);
        if (in != null) {
          readers.add(
              new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.ISO_8859_1));
        }
      }
      CountryRegistry r = CountryRegistry.load(readers.toArray(Reader[]::new));
      for (Reader rd : readers) {
        rd.close();
      }
      LOG.infof(
          "country registry from %d bundled RIR files: %d countries",
          readers.size(), r.countryCount());
      return r;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read RIR delegated files", ex);
    }
  }
}
