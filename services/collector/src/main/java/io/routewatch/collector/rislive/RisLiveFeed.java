package io.routewatch.collector.rislive;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.mrt.ImportJobRun;
import io.routewatch.collector.mrt.ImportJobs;
import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.collector.publish.LiveStream;
import io.routewatch.collector.publish.LiveStreams;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.servicekit.metrics.Gauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs the RIS Live client when {@code routewatch.collector.ris-live.url} is set. Its events go to
 * one stream ({@code rislive/<start-ms>}). RIS Live cannot replay the past, so a rewind after a
 * state restart only continues the sequence; routes re-appear as RIS sends them. With {@code
 * bootstrap-rib} the collector's RIB dump is imported first ({@link BootstrapGate}).
 */
@ApplicationScoped
public class RisLiveFeed {
  private static final Logger LOG = Logger.getLogger(RisLiveFeed.class);

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;
  @Inject LiveStreams streams;
  @Inject FeedHealth health;

  @Inject ImportJobs jobs;

  private RisLiveClient client;
  private LiveStream stream;
  private volatile BootstrapGate gate;
  private volatile Thread bootstrapThread;

  void onStart(@Observes StartupEvent ev) {
    if (config.risLive().url().isEmpty()) {
      return;
    }
    RisLiveSettings s = RisLiveSettings.of(config.risLive());
    Optional<Bootstrap> bootstrap = bootstrap(config.risLive());
    stream = streams.open("ris-live", "rislive/" + System.currentTimeMillis(), FeedKind.RIS_LIVE);
    stream.onRewind(() -> LOG.warn("state lost RIS Live events; RIS Live cannot replay them"));
    Consumer<LiveEvent> sink = stream::offer;
    if (bootstrap.isPresent()) {
      Bootstrap b = bootstrap.get();
      gate = new BootstrapGate(b.dumpMicros(), config.risLive().bootstrapMaxHeld(), stream::offer);
      sink =
          e -> {
            try {
              gate.offer(e);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt(); // the client is closing
            }
          };
      Gauges.gauge(registry, "routewatch_collector_rislive_bootstrap_open", this, f -> f.open());
      FunctionCounter.builder(
              "routewatch_collector_rislive_bootstrap_skipped_total", gate, BootstrapGate::skipped)
          .description("live messages older than the bootstrap dump, dropped")
          .register(registry);
      FunctionCounter.builder(
              "routewatch_collector_rislive_bootstrap_waits_total", gate, BootstrapGate::waits)
          .description("times the feed stopped reading: bootstrap-max-held messages were held")
          .register(registry);
    }
    client = new RisLiveClient(s, sink, registry, health.feed("rislive", "rislive"));
    client.start();
    LOG.infof("RIS Live client for %s", s.url());
    bootstrap.ifPresent(this::startBootstrap);
  }

  /** A bootstrap dump checked at start: its path, the collector it is from, the dump's time. */
  record Bootstrap(Path file, String collector, long dumpMicros) {}

  /**
   * The configured bootstrap dump, checked now so a mistake stops the start with its reason: it
   * needs {@code host} (the collector whose dump it is: its routes and the live ones must be the
   * same vantage points), and must be a readable MRT RIB dump; its time is its first record's.
   */
  static Optional<Bootstrap> bootstrap(CollectorConfig.RisLive c) {
    if (c.bootstrapRib().isEmpty() || c.bootstrapRib().get().isBlank()) {
      return Optional.empty();
    }
    String key = "routewatch.collector.ris-live.bootstrap-rib";
    String host =
        c.host()
            .filter(h -> !h.isBlank())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        key
                            + " needs routewatch.collector.ris-live.host: the RIS collector the"
                            + " dump is from (its peers are the live feed's vantage points)"));
    Path file = Path.of(c.bootstrapRib().get());
    MrtRecord first;
    try (MrtReader r = MrtReader.open(file, MrtReader.Mode.LENIENT)) {
      first = r.hasNext() ? r.next() : null;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(key + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    if (first == null) {
      throw new IllegalStateException(key + ": " + file + " holds no MRT record");
    }
    if (first.type() != MrtType.TABLE_DUMP && first.type() != MrtType.TABLE_DUMP_V2) {
      throw new IllegalStateException(
          key
              + ": "
              + file
              + " is not a RIB dump: its first record is "
              + MrtType.name(first.type())
              + " (TABLE_DUMP or TABLE_DUMP_V2 expected)");
    }
    return Optional.of(new Bootstrap(file, host, first.timestamp() * 1_000_000L));
  }

  /** Imports the dump (a job like any import), then opens the gate, whatever the outcome. */
  private void startBootstrap(Bootstrap b) {
    Thread t =
        new Thread(
            () -> {
              long started = System.nanoTime();
              try {
                ImportJobRun job = jobs.startConfigured(b.file(), b.collector(), "bootstrap");
                LOG.infof(
                    "RIS Live bootstrap: importing %s as %s (dump of %s), job %s; live messages"
                        + " held until state has it",
                    b.file(),
                    b.collector(),
                    java.time.Instant.ofEpochSecond(b.dumpMicros() / 1_000_000),
                    job.id());
                while (!job.finished()) {
                  Thread.sleep(100);
                }
                if (job.state() == ImportState.DONE) {
                  LOG.infof(
                      "RIS Live bootstrap: %s applied (%d events) in %.1f s; applying the held"
                          + " live messages",
                      b.file(), job.toProto().getEvents(), (System.nanoTime() - started) / 1e9);
                } else {
                  registry
                      .counter("routewatch_collector_rislive_bootstrap_failures_total")
                      .increment();
                  LOG.errorf(
                      "RIS Live bootstrap: import of %s ended %s (%s): the live feed goes on"
                          + " without it, state is incomplete until RIS sends the routes again",
                      b.file(),
                      job.state(),
                      job.toProto().getErrorsList().isEmpty()
                          ? "no error kept"
                          : job.toProto().getErrors(0).getMessage());
                }
              } catch (InterruptedException e) {
                return; // shutting down: the gate stays shut, the client is closing
              } catch (RuntimeException e) {
                registry
                    .counter("routewatch_collector_rislive_bootstrap_failures_total")
                    .increment();
                LOG.errorf(
                    "RIS Live bootstrap: %s not imported (%s): the live feed goes on without it",
                    b.file(), e.getMessage());
              }
              gate.open();
              LOG.infof(
                  "RIS Live bootstrap done: %d held at most, %d older than the dump dropped",
                  gate.heldMax(), gate.skipped());
            },
            "rislive-bootstrap");
    t.setDaemon(true);
    bootstrapThread = t;
    t.start();
  }

  private double open() {
    return gate == null || gate.isOpen() ? 1 : 0;
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (bootstrapThread != null) {
      bootstrapThread.interrupt();
    }
    if (client != null) {
      client.close();
      stream.close(Duration.ofSeconds(5));
    }
  }
}
