package io.routewatch.state.rpki;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.jboss.logging.Logger;

/**
 * Holds the current VRP set: loaded from {@code routewatch.state.rpki.file} and/or {@code .url} at
 * start and every {@code .refresh}. A load replaces the table only when every configured source was
 * read; otherwise the last good table stays and the failure is logged and counted. Off (an empty
 * table, {@link #enabled()} false) while neither source is set.
 */
@ApplicationScoped
public class RpkiService {
  private static final Logger LOG = Logger.getLogger(RpkiService.class);

  @Inject StateConfig config;
  @Inject MeterRegistry registry;

  private volatile VrpTable table = VrpTable.EMPTY;
  private volatile VrpTable replaced; // the set the last good load replaced; null until a second
  private volatile long lastLoadMillis;
  private volatile long lastRejected;
  private Counter failures;
  private Counter rejected;
  private ScheduledExecutorService timer;
  private HttpClient http; // loader thread only
  private final List<Consumer<List<Vrp>>> loadListeners = new CopyOnWriteArrayList<>();

  void onStart(@Observes StartupEvent ev) {
    registerMetrics();
    if (enabled()) {
      start();
    }
  }

  void registerMetrics() {
    failures = registry.counter("routewatch_state_rpki_load_failures_total");
    rejected = registry.counter("routewatch_state_rpki_rejected_rows_total");
    Gauges.gauge(
        registry,
        "routewatch_state_rpki_vrps",
        Tags.of("family", "ipv4"),
        this,
        s -> s.table.ipv4Size());
    Gauges.gauge(
        registry,
        "routewatch_state_rpki_vrps",
        Tags.of("family", "ipv6"),
        this,
        s -> s.table.ipv6Size());
    Gauges.gauge(
        registry,
        "routewatch_state_rpki_last_load_age_seconds",
        this,
        s ->
            s.lastLoadMillis == 0
                ? Double.NaN
                : (System.currentTimeMillis() - s.lastLoadMillis) / 1000.0);
    Gauges.gauge(
        registry, "routewatch_state_rpki_last_load_rejected_rows", this, s -> s.lastRejected);
  }

  /** Checks the URL and schedules the first load now and then one every refresh. */
  void start() {
    Optional<String> url = config.rpki().url();
    if (url.isPresent()) {
      String scheme = URI.create(url.get()).getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalStateException("routewatch.state.rpki.url must be http(s): " + url.get());
      }
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rpki-loader");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(1000, config.rpki().refresh().toMillis());
    timer.scheduleWithFixedDelay(this::reload, 0, every, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** True when a VRP source is configured. */
  public boolean enabled() {
    return config.rpki().file().isPresent() || config.rpki().url().isPresent();
  }

  /** True once a VRP set was loaded (answers before that would call every route NOT_FOUND). */
  public boolean loaded() {
    return lastLoadMillis != 0;
  }

  /** The current VRP set (empty until the first good load). */
  public VrpTable table() {
    return table;
  }

  /**
   * The VRP set the last good load replaced: what routes were validated against until then (null
   * before the second good load: the first replaced nothing). A listener reads it beside {@link
   * #table()} on the loader thread, so it needs to have seen no earlier load itself.
   */
  public VrpTable replacedTable() {
    return replaced;
  }

  /**
   * Called on the loader thread with every VRP of each good load, after the table is replaced
   * ({@link #table()} is the new one): the ROA-change watch and the re-validation of the watched
   * routes. Listeners run in the order they were added; one that throws is logged and the others
   * still run.
   */
  public void onLoad(Consumer<List<Vrp>> listener) {
    loadListeners.add(listener);
  }

  /** Wall time of the last good load, 0 if none. */
  public long lastLoadMillis() {
    return lastLoadMillis;
  }

  /** Reads every configured source; replaces the table only if all were read. Never throws. */
  void reload() {
    List<Vrp> all = new ArrayList<>();
    long bad = 0;
    VrpReader.Limits limits =
        new VrpReader.Limits(config.rpki().maxBytes(), config.rpki().maxVrps());
    try {
      List<VrpReader.Result> results = new ArrayList<>();
      if (config.rpki().file().isPresent()) {
        results.add(VrpReader.read(Path.of(config.rpki().file().get()), limits));
      }
      if (config.rpki().url().isPresent()) {
        results.add(fetch(config.rpki().url().get(), limits));
      }
      for (VrpReader.Result r : results) {
        all.addAll(r.vrps());
        bad += r.rejected();
        r.problems().forEach(p -> LOG.warnf("rejected VRP row: %s", p));
        if (r.rejected() > r.problems().size()) {
          LOG.warnf("%s: %d more rejected rows", r.source(), r.rejected() - r.problems().size());
        }
      }
      VrpTable t = VrpTable.of(all);
      replaced = lastLoadMillis == 0 ? null : table;
      table = t;
      lastLoadMillis = System.currentTimeMillis();
      lastRejected = bad;
      rejected.increment(bad);
      LOG.infof(
          "RPKI: %d VRPs (%d IPv4, %d IPv6) loaded, %d rows rejected",
          t.size(), t.ipv4Size(), t.ipv6Size(), bad);
      for (Consumer<List<Vrp>> l : loadListeners) {
        try {
          l.accept(all);
        } catch (RuntimeException e) {
          LOG.errorf(e, "RPKI: a VRP load listener failed");
        }
      }
    } catch (IOException | VrpFormatException | RuntimeException e) {
      failures.increment();
      LOG.errorf(
          "RPKI: VRP load failed, keeping the last good set (%d VRPs): %s",
          table.size(),
          e instanceof VrpFormatException || e instanceof VrpReader.SizeExceeded
              ? e.getMessage()
              : e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private VrpReader.Result fetch(String url, VrpReader.Limits limits)
      throws IOException, VrpFormatException, InterruptedException {
    Duration timeout = config.rpki().timeout();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .connectTimeout(timeout)
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
    }
    HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = resp.body()) {
      if (resp.statusCode() != 200) {
        throw new VrpFormatException(url + ": HTTP " + resp.statusCode());
      }
      boolean gz =
          url.endsWith(".gz")
              || resp.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip");
      InputStream in = gz ? new GZIPInputStream(body, 1 << 16) : body;
      return VrpReader.read(in, url, limits);
    }
  }
}
