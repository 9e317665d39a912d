package io.routewatch.collector.archive;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.mrt.ArchiveRanges;
import io.routewatch.collector.mrt.ImportJobRun;
import io.routewatch.collector.mrt.ImportJobs;
import io.routewatch.proto.v1.ArchiveFileInfo;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.ListArchiveFilesRequest;
import io.routewatch.proto.v1.ListArchiveFilesResponse;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Archive range imports: lists a time range of RouteViews / RIS files, downloads them into the
 * cache and imports them as one job whose events are merged by time across the collectors. The
 * job's stream id is derived from the request, and the request is kept in a ledger until the job
 * ends: a collector that stops mid-import starts it again under the same stream id, and state skips
 * the batches it already applied (no duplicate, nothing skipped).
 */
@ApplicationScoped
public class ArchiveImports implements ArchiveRanges {
  private static final Logger LOG = Logger.getLogger(ArchiveImports.class);

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;
  @Inject ImportJobs jobs;

  private ArchiveIndex index;
  private ArchiveFetcher fetcher;
  private ArchiveLedger ledger;
  private Path cacheDir;

  @PostConstruct
  void init() {
    CollectorConfig.Archive a = config.archive();
    cacheDir =
        Path.of(
                a.cacheDir()
                    .orElse(
                        Path.of(System.getProperty("java.io.tmpdir"), "routewatch-archive-cache")
                            .toString()))
            .toAbsolutePath()
            .normalize();
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    index =
        new ArchiveIndex(
            http,
            f -> f == ArchiveLayout.Family.RIS ? a.risBaseUrl() : a.routeviewsBaseUrl(),
            a.timeout());
    fetcher =
        new ArchiveFetcher(
            http,
            new ArchiveFetcher.Settings(
                cacheDir,
                a.cacheMaxBytes(),
                Math.max(1, a.parallel()),
                Math.max(1, a.attempts()),
                a.retryBackoff(),
                a.timeout()),
            registry);
    ledger =
        new ArchiveLedger(
            a.ledger().map(Path::of).orElse(cacheDir.resolve("imports.json")).toAbsolutePath());
  }

  /** Range imports a stopped collector left unfinished start again, in the order asked. */
  void onStart(@Observes StartupEvent ev) {
    try {
      ledger.load();
    } catch (IOException e) {
      LOG.errorf("archive import ledger %s unreadable (%s): nothing resumed", ledger.file(), e);
      return;
    }
    List<ArchiveLedger.Entry> open = new ArrayList<>();
    for (ArchiveLedger.Entry e : ledger.entries()) {
      if (e.outcome() == ArchiveLedger.Outcome.IMPORTING) {
        open.add(e);
      }
    }
    open.sort(java.util.Comparator.comparingLong(ArchiveLedger.Entry::updatedAt));
    for (ArchiveLedger.Entry e : open) {
      LOG.infof("archive import %s was not finished: importing it again", e.streamId());
      try {
        start(e.collectors(), ArchiveLayout.Kind.parse(e.kind()), e.from(), e.until(), e.speed());
      } catch (RuntimeException ex) {
        LOG.errorf("archive import %s cannot be resumed: %s", e.streamId(), ex.getMessage());
      }
    }
  }

  public ArchiveFetcher fetcher() {
    return fetcher;
  }

  /** The archive listing (mirror or public archive, as configured). */
  ArchiveIndex index() {
    return index;
  }

  /** The download cache directory. */
  Path cacheDir() {
    return cacheDir;
  }

  /** The files of the range (see {@link ArchiveIndex#list}). */
  public List<ArchiveFile> list(
      List<String> collectors, ArchiveLayout.Kind kind, long from, long until)
      throws IOException, InterruptedException {
    return index.list(collectors, kind, from, until);
  }

  @Override
  public ImportJobRun start(
      List<String> collectors, String type, String from, String until, double speed) {
    return start(
        collectors,
        ArchiveLayout.Kind.parse(type),
        ArchiveTime.parse("from", from),
        ArchiveTime.parse("until", until),
        speed);
  }

  @Override
  public ListArchiveFilesResponse list(ListArchiveFilesRequest req)
      throws IOException, InterruptedException {
    List<ArchiveFile> files =
        list(
            req.getCollectorsList(),
            ArchiveLayout.Kind.parse(req.getType().isEmpty() ? "updates" : req.getType()),
            ArchiveTime.parse("from", req.getFrom()),
            ArchiveTime.parse("until", req.getUntil()));
    ListArchiveFilesResponse.Builder b = ListArchiveFilesResponse.newBuilder();
    for (ArchiveFile f : files) {
      b.addFiles(
          ArchiveFileInfo.newBuilder()
              .setCollector(f.collector())
              .setType(f.kind().name().toLowerCase(java.util.Locale.ROOT))
              .setName(f.name())
              .setUrl(f.url())
              .setStartUnixSeconds(f.epochSecond())
              .setEndUnixSeconds(f.endEpochSecond()));
    }
    return b.build();
  }

  /** The stream id of a range import: the same request, the same stream. */
  static String streamId(List<String> collectors, ArchiveLayout.Kind kind, long from, long until) {
    return "archive/"
        + String.join(",", collectors)
        + "/"
        + kind.name().toLowerCase(java.util.Locale.ROOT)
        + "/"
        + from
        + "-"
        + until;
  }

  /**
   * Queues the import of every file of {@code collectors} covering part of [from, until) (epoch
   * seconds), merged by time. Bad collector names, an empty or reversed range and a speed out of
   * range are refused here ({@link IllegalArgumentException}); listing and downloading happen in
   * the job, whose errors name each file that could not be had.
   */
  public ImportJobRun start(
      List<String> collectorsAsked, ArchiveLayout.Kind kind, long from, long until, double speed) {
    List<String> collectors = new ArrayList<>(new LinkedHashSet<>(collectorsAsked));
    if (collectors.isEmpty()) {
      throw new IllegalArgumentException("at least one archive collector is required");
    }
    collectors.forEach(ArchiveLayout::family);
    if (until <= from) {
      throw new IllegalArgumentException(
          "until ("
              + Instant.ofEpochSecond(until)
              + ") must be after from ("
              + Instant.ofEpochSecond(from)
              + ")");
    }
    String stream = streamId(collectors, kind, from, until);
    Range range = new Range(collectors, kind, from, until, speed, stream);
    range.record(ArchiveLedger.Outcome.IMPORTING, ""); // before the job can end
    return jobs.startMerged(range, speed, stream, cacheDir);
  }

  /** One range import's input: listed and fetched on the import's thread. */
  private final class Range implements ImportJobRun.Merged {
    final List<String> collectors;
    final ArchiveLayout.Kind kind;
    final long from;
    final long until;
    final double speed;
    final String stream;
    private final List<Path> held = new ArrayList<>();

    Range(
        List<String> collectors,
        ArchiveLayout.Kind kind,
        long from,
        long until,
        double speed,
        String stream) {
      this.collectors = List.copyOf(collectors);
      this.kind = kind;
      this.from = from;
      this.until = until;
      this.speed = speed;
      this.stream = stream;
    }

    void record(ArchiveLedger.Outcome outcome, String job) {
      try {
        ledger.put(
            new ArchiveLedger.Entry(
                stream,
                collectors,
                kind.name().toLowerCase(java.util.Locale.ROOT),
                from,
                until,
                speed,
                outcome,
                job,
                System.currentTimeMillis()));
      } catch (IOException e) {
        LOG.errorf("cannot write the archive import ledger %s: %s", ledger.file(), e);
      }
    }

    @Override
    public Map<String, List<Path>> prepare() throws Exception {
      List<ArchiveFile> files = index.list(collectors, kind, from, until);
      if (files.isEmpty()) {
        throw new IOException(
            "no "
                + kind.name().toLowerCase(java.util.Locale.ROOT)
                + " files of "
                + String.join(",", collectors)
                + " cover "
                + Instant.ofEpochSecond(from)
                + " to "
                + Instant.ofEpochSecond(until));
      }
      List<Path> paths;
      try {
        paths = fetcher.fetchAll(files);
      } catch (ArchiveFetcher.FetchFailed e) {
        IOException x = new IOException(e.getMessage());
        e.failures().forEach(f -> x.addSuppressed(new IOException(f.toString())));
        throw x;
      }
      synchronized (held) {
        held.addAll(paths);
      }
      Map<String, List<Path>> lanes = new LinkedHashMap<>();
      collectors.forEach(c -> lanes.put(c, new ArrayList<>()));
      for (int i = 0; i < files.size(); i++) {
        lanes.get(files.get(i).collector()).add(paths.get(i));
      }
      LOG.infof("archive import %s: %d files fetched", stream, files.size());
      return lanes;
    }

    @Override
    public String label() {
      return "archive:"
          + String.join(",", collectors)
          + " "
          + kind.name().toLowerCase(java.util.Locale.ROOT)
          + " "
          + Instant.ofEpochSecond(from)
          + " to "
          + Instant.ofEpochSecond(until);
    }

    @Override
    public String collectors() {
      return String.join(",", collectors);
    }

    @Override
    public FeedKind feed() {
      return kind == ArchiveLayout.Kind.RIBS ? FeedKind.MRT_RIB : FeedKind.MRT_UPDATES;
    }

    @Override
    public void ended(ImportJobRun job) {
      synchronized (held) {
        held.forEach(fetcher::release);
        held.clear();
      }
      if (job.interrupted()) {
        return; // the collector is stopping: the ledger keeps it IMPORTING, resumed at start
      }
      ImportState s = job.state();
      record(
          s == ImportState.DONE
              ? ArchiveLedger.Outcome.DONE
              : s == ImportState.CANCELLED
                  ? ArchiveLedger.Outcome.CANCELLED
                  : ArchiveLedger.Outcome.FAILED,
          job.id());
    }
  }
}
