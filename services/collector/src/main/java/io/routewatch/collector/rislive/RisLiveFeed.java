package io.routewatch.collector.rislive;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.archive.ArchiveFile;
import io.routewatch.collector.archive.ArchiveImports;
import io.routewatch.collector.archive.ArchiveLayout;
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
import java.util.List;
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
  @Inject ArchiveImports archives;

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

  /**
   * {@code bootstrap-rib} value: the collector's newest RIB dump in the archive, and its updates.
   */
  static final String FROM_ARCHIVE = "archive";

  /**
   * How far back the archive is searched for the newest dump (RIS: one every 8 h, RouteViews 2 h).
   */
  static final long ARCHIVE_DUMP_WINDOW_SECONDS = 24 * 3600;

  /**
   * A bootstrap dump checked at start: its path (null: taken from the archive when the bootstrap
   * runs), the collector it is from, the dump's time (0 until an archive dump is found).
   */
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
    if (c.bootstrapRib().get().strip().equalsIgnoreCase(FROM_ARCHIVE)) {
      try {
        ArchiveLayout.family(host);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            key
                + "=archive needs a public archive collector as routewatch.collector.ris-live.host"
                + " (rrc00 … rrc26): "
                + e.getMessage(),
            e);
      }
      return Optional.of(new Bootstrap(null, host, 0));
    }
    Path file = Path.of(c.bootstrapRib().get());
    return Optional.of(new Bootstrap(file, host, firstRecordMicros(file, key)));
  }

  /** The time of a RIB dump's first record; a file that is none stops with the reason. */
  static long firstRecordMicros(Path file, String key) {
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
    return first.timestamp() * 1_000_000L;
  }

  /** Imports the dump (a job like any import), then opens the gate, whatever the outcome. */
  private void startBootstrap(Bootstrap b) {
    Thread t =
        new Thread(
            () -> {
              long started = System.nanoTime();
              Path file = b.file();
              long dumpMicros = b.dumpMicros();
              ArchiveFile dump = null;
              try {
                if (file == null) {
                  dump = newestDump(b.collector());
                  file = archives.fetcher().fetch(dump);
                  gate.since(
                      firstRecordMicros(file, "routewatch.collector.ris-live.bootstrap-rib"));
                }
                ImportJobRun job = jobs.startConfigured(file, b.collector(), "bootstrap");
                LOG.infof(
                    "RIS Live bootstrap: importing %s as %s (dump of %s), job %s; live messages"
                        + " held until state has it",
                    file,
                    b.collector(),
                    java.time.Instant.ofEpochSecond(dumpMicros / 1_000_000),
                    job.id());
                while (!job.finished()) {
                  Thread.sleep(100);
                }
                if (job.state() == ImportState.DONE) {
                  LOG.infof(
                      "RIS Live bootstrap: %s applied (%d events) in %.1f s",
                      file, job.toProto().getEvents(), (System.nanoTime() - started) / 1e9);
                  if (dump != null) {
                    updatesSince(dump);
                  }
                  LOG.info("RIS Live bootstrap: applying the held live messages");
                } else {
                  registry
                      .counter("routewatch_collector_rislive_bootstrap_failures_total")
                      .increment();
                  LOG.errorf(
                      "RIS Live bootstrap: import of %s ended %s (%s): the live feed goes on"
                          + " without it, state is incomplete until RIS sends the routes again",
                      file,
                      job.state(),
                      job.toProto().getErrorsList().isEmpty()
                          ? "no error kept"
                          : job.toProto().getErrors(0).getMessage());
                }
              } catch (InterruptedException e) {
                return; // shutting down: the gate stays shut, the client is closing
              } catch (IOException | RuntimeException e) {
                registry
                    .counter("routewatch_collector_rislive_bootstrap_failures_total")
                    .increment();
                LOG.errorf(
                    "RIS Live bootstrap: %s not imported (%s): the live feed goes on without it",
                    file == null ? "the newest dump of " + b.collector() + " in the archive" : file,
                    e.getMessage());
              } finally {
                if (dump != null && file != null) {
                  archives.fetcher().release(file);
                }
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

  /** The newest RIB dump of {@code collector} in the archive within the last day. */
  private ArchiveFile newestDump(String collector) throws IOException, InterruptedException {
    long now = System.currentTimeMillis() / 1000;
    List<ArchiveFile> ribs =
        archives.list(
            List.of(collector), ArchiveLayout.Kind.RIBS, now - ARCHIVE_DUMP_WINDOW_SECONDS, now);
    if (ribs.isEmpty()) {
      throw new IOException(
          "no RIB dump of " + collector + " in the archive in the last 24 h (" + now + ")");
    }
    ArchiveFile newest = ribs.get(ribs.size() - 1);
    LOG.infof("RIS Live bootstrap: newest dump of %s is %s", collector, newest.url());
    return newest;
  }

  /**
   * Imports the collector's update files from the dump's time to now (a range import: exactly once,
   * merged by time), so state holds what happened between the dump and the live stream. What RIS
   * has not published yet (the last minutes) is not in them: RIS Live cannot replay it.
   */
  private void updatesSince(ArchiveFile dump) throws InterruptedException {
    long until = System.currentTimeMillis() / 1000;
    if (until <= dump.epochSecond()) {
      return;
    }
    ImportJobRun job =
        archives.start(
            List.of(dump.collector()), ArchiveLayout.Kind.UPDATES, dump.epochSecond(), until, 0);
    LOG.infof(
        "RIS Live bootstrap: importing the update files of %s since the dump (%s), job %s",
        dump.collector(), java.time.Instant.ofEpochSecond(dump.epochSecond()), job.id());
    while (!job.finished()) {
      Thread.sleep(100);
    }
    if (job.state() == ImportState.DONE) {
      LOG.infof(
          "RIS Live bootstrap: update files since the dump applied (%d events)",
          job.toProto().getEvents());
    } else {
      registry.counter("routewatch_collector_rislive_bootstrap_failures_total").increment();
      LOG.errorf(
          "RIS Live bootstrap: the update files since the dump ended %s (%s): state misses what"
              + " changed between the dump and the live stream",
          job.state(),
          job.toProto().getErrorsList().isEmpty()
              ? "no error kept"
              : job.toProto().getErrors(0).getMessage());
    }
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
