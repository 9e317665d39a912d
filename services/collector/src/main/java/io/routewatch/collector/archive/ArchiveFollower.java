package io.routewatch.collector.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.routewatch.collector.mrt.ImportJobRun;
import io.routewatch.collector.mrt.ImportJobs;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.servicekit.metrics.Gauges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Follow mode: keeps some collectors' update files imported as the archive publishes them.
 *
 * <p>Each {@link #poll} lists, per followed collector, the update files starting within the last
 * {@code window} (and not before where following started, {@code since}), and imports every one the
 * ledger does not hold, oldest first, at most {@code maxFilesPerPoll} per collector and poll. A
 * file published late (after newer ones were imported) is listed by a later poll and imported then,
 * once. Each file is downloaded through the checked cache and imported as its own job through
 * {@link ImportJobs} under a stream id derived from the collector, the file name and size ({@link
 * ImportJobs#fileStreamId}, purpose {@code follow}): importing it again after a restart re-sends
 * the same batches under the same stream id, and state skips those it applied.
 *
 * <p>A file enters the ledger only once its job ended: {@code DONE} (state acknowledged every
 * batch), or {@code FAILED} because of its content (not retried). A job that failed because the
 * file could not be downloaded or state did not acknowledge is retried at the next poll; a job cut
 * by the collector stopping is imported again at the restart.
 *
 * <p>Lag of a collector: now minus the end of the newest file imported (the next file's start, or
 * the file's start plus the family's publishing interval for the newest file listed); before any
 * file was imported, now minus {@code since}. A collector is stale while its lag exceeds its
 * publishing interval (RIS 5 min, RouteViews 15 min) plus the poll interval plus {@code
 * staleGrace}, unless files are being imported and one was imported within that time (a backlog
 * being worked through is not stale). {@link #poll} never throws: problems are logged with the URL
 * and counted.
 */
public final class ArchiveFollower {
  private static final Logger LOG = Logger.getLogger(ArchiveFollower.class);

  /** Longest window accepted: a poll lists at most two month directories per collector. */
  static final Duration MAX_WINDOW = Duration.ofDays(31);

  /** Follow-mode settings; see {@code routewatch.collector.archive.follow.*}. */
  public record Settings(
      List<String> collectors,
      Duration pollInterval,
      String start,
      Duration window,
      int maxFilesPerPoll,
      Duration staleGrace,
      Path cacheDir,
      int batchSize) {}

  /** One followed collector as the REST status shows it (times in epoch seconds, -1: none). */
  public record Status(
      String collector,
      long since,
      String newestFile,
      long newestEnd,
      long lagSeconds,
      long staleAfterSeconds,
      boolean stale,
      int importing,
      int pending,
      long filesImported,
      long lastPoll,
      long nextPoll,
      String lastError) {}

  private final ArchiveIndex index;
  private final ArchiveFetcher fetcher;
  private final ImportJobs jobs;
  private final ArchiveFollowLedger ledger;
  private final Settings settings;
  private final MeterRegistry registry;
  private final LongSupplier wallMillis;
  private final Map<String, Followed> followed = new LinkedHashMap<>();
  private volatile boolean stopping;

  /** One followed collector (fields guarded by the follower). */
  private final class Followed {
    final String collector;
    final ArchiveLayout.Family family;
    long since;
    String newestFile;
    long newestStart = -1;
    long newestEnd = -1;
    final TreeMap<String, ArchiveFollowLedger.FileEntry> files = new TreeMap<>();
    final Map<String, FollowFile> importing = new LinkedHashMap<>();
    int pending;
    long lastPoll = -1;
    long nextPoll = -1;
    String lastError;
    boolean stale;

    /** When a file of it was last imported (or the follower started): catching up is progress. */
    long progressAt = now();

    final Counter imported;
    final Counter failed;
    final Counter cancelled;
    final Counter late;
    final Counter polls;

    Followed(String collector) {
      this.collector = collector;
      this.family = ArchiveLayout.family(collector);
      this.imported = files("imported");
      this.failed = files("failed");
      this.cancelled = files("cancelled");
      this.late =
          Counter.builder("routewatch_collector_archive_follow_late_files_total")
              .description("Followed files imported after a newer file of the same collector")
              .tag("collector", collector)
              .register(registry);
      this.polls =
          Counter.builder("routewatch_collector_archive_follow_polls_total")
              .description("Listings of a followed collector's archive")
              .tag("collector", collector)
              .register(registry);
      for (String reason : List.of("listing", "download", "import", "ledger")) {
        errors(reason);
      }
    }

    private Counter files(String outcome) {
      return Counter.builder("routewatch_collector_archive_follow_files_total")
          .description("Followed files whose import ended, by outcome")
          .tags("collector", collector, "outcome", outcome)
          .register(registry);
    }

    Counter errors(String reason) {
      return Counter.builder("routewatch_collector_archive_follow_errors_total")
          .description(
              "Follow-mode problems (listing, download, import not acknowledged, ledger write)")
          .tags("collector", collector, "reason", reason)
          .register(registry);
    }

    long staleAfterSeconds() {
      return ArchiveIndex.nominal(family, ArchiveLayout.Kind.UPDATES)
          + settings.pollInterval().toSeconds()
          + settings.staleGrace().toSeconds();
    }

    long lagSeconds(long now) {
      return Math.max(0, now - (newestEnd >= 0 ? newestEnd : since));
    }

    /**
     * Behind by more than {@link #staleAfterSeconds}, and either nothing left to import (the
     * archive has published nothing newer) or no file imported for as long (listing, download or
     * state's acknowledgement keep failing). A backlog being imported (the first start, a restart
     * after a while) is not stale.
     */
    boolean stale(long now) {
      return lagSeconds(now) > staleAfterSeconds()
          && ((pending == 0 && importing.isEmpty()) || now - progressAt > staleAfterSeconds());
    }

    ArchiveFollowLedger.CollectorEntry entry() {
      return new ArchiveFollowLedger.CollectorEntry(
          since, newestFile, newestStart, newestEnd, files);
    }
  }

  /**
   * @param wallMillis the wall clock (epoch milliseconds)
   * @throws IllegalArgumentException for a bad collector name, start or window
   */
  public ArchiveFollower(
      ArchiveIndex index,
      ArchiveFetcher fetcher,
      ImportJobs jobs,
      Path ledgerFile,
      Settings settings,
      MeterRegistry registry,
      LongSupplier wallMillis) {
    this.index = index;
    this.fetcher = fetcher;
    this.jobs = jobs;
    this.ledger = new ArchiveFollowLedger(ledgerFile.toAbsolutePath().normalize());
    this.settings = settings;
    this.registry = registry;
    this.wallMillis = wallMillis;
    if (settings.window().isNegative()
        || settings.window().isZero()
        || settings.window().compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException(
          "routewatch.collector.archive.follow.window must be above 0 and at most "
              + MAX_WINDOW.toDays()
              + " days, got "
              + settings.window());
    }
    if (settings.maxFilesPerPoll() < 1) {
      throw new IllegalArgumentException(
          "routewatch.collector.archive.follow.max-files-per-poll must be at least 1");
    }
    long now = now();
    long startAt = startAt(settings.start(), now);
    for (String c : new LinkedHashSet<>(settings.collectors())) {
      followed.put(c, new Followed(c));
    }
    try {
      ledger.load();
    } catch (IOException | RuntimeException e) {
      Path aside = ledger.file().resolveSibling(ledger.file().getFileName() + ".unreadable");
      LOG.errorf(
          "archive follow: ledger %s cannot be read (%s); moved to %s, following from %s",
          ledger.file(), e, aside, ArchiveTime.format(startAt));
      try {
        Files.move(ledger.file(), aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException m) {
        LOG.errorf("archive follow: cannot move the unreadable ledger aside: %s", m);
      }
    }
    for (Followed f : followed.values()) {
      ArchiveFollowLedger.CollectorEntry e = ledger.get(f.collector);
      if (e != null) {
        f.since = e.since();
        f.newestFile = e.newestFile();
        f.newestStart = e.newestStart();
        f.newestEnd = e.newestEnd();
        f.files.putAll(e.files());
        LOG.infof(
            "archive follow %s: since %s, %d files in the ledger, newest %s",
            f.collector, ArchiveTime.format(f.since), f.files.size(), f.newestFile);
      } else {
        f.since = startAt;
        saveLedger(f);
        LOG.infof(
            "archive follow %s: nothing in the ledger, following from %s",
            f.collector, ArchiveTime.format(f.since));
      }
      Tags tags = Tags.of("collector", f.collector);
      Gauges.gauge(
          registry,
          "routewatch_collector_archive_follow_lag_seconds",
          tags,
          f,
          x -> {
            synchronized (this) {
              return x.lagSeconds(now());
            }
          });
      Gauges.gauge(
          registry,
          "routewatch_collector_archive_follow_stale",
          tags,
          f,
          x -> {
            synchronized (this) {
              return x.stale(now()) ? 1 : 0;
            }
          });
      Gauges.gauge(
          registry,
          "routewatch_collector_archive_follow_pending_files",
          tags,
          f,
          x -> {
            synchronized (this) {
              return x.pending;
            }
          });
    }
  }

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /**
   * Where following starts: {@code now}, a duration before {@code now} ({@code 90m}, {@code 1h},
   * {@code PT2H}) or a time (ISO 8601, epoch seconds).
   */
  static long startAt(String spec, long now) {
    String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("now")) {
      return now;
    }
    Matcher m = SHORT_DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return now - d.toSeconds();
    }
    if (s.startsWith("p")) {
      try {
        return now - Duration.parse(s.toUpperCase(Locale.ROOT)).toSeconds();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "routewatch.collector.archive.follow.start '" + spec + "' is not a duration", e);
      }
    }
    try {
      return ArchiveTime.parse("routewatch.collector.archive.follow.start", spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + ", a duration before now (1h, 30m) or 'now'", e);
    }
  }

  private long now() {
    return Math.floorDiv(wallMillis.getAsLong(), 1000);
  }

  Path ledgerFile() {
    return ledger.file();
  }

  /** The collector is stopping: record nothing more (a cut import is imported again). */
  public void stop() {
    stopping = true;
  }

  /** Each followed collector's status. */
  public synchronized List<Status> status() {
    long now = now();
    List<Status> out = new ArrayList<>();
    for (Followed f : followed.values()) {
      long lag = f.lagSeconds(now);
      out.add(
          new Status(
              f.collector,
              f.since,
              f.newestFile,
              f.newestEnd,
              lag,
              f.staleAfterSeconds(),
              f.stale(now),
              f.importing.size(),
              f.pending,
              (long) f.imported.count(),
              f.lastPoll,
              f.nextPoll,
              f.lastError));
    }
    return out;
  }

  /** One poll of every followed collector; never throws. */
  public void poll() {
    for (Followed f : followed.values()) {
      if (stopping || Thread.currentThread().isInterrupted()) {
        return;
      }
      try {
        pollOne(f);
      } catch (RuntimeException e) {
        synchronized (this) {
          f.lastError = e.toString();
        }
        LOG.errorf(e, "archive follow %s: poll failed; carrying on", f.collector);
      }
    }
    synchronized (this) {
      long next = now() + settings.pollInterval().toSeconds();
      for (Followed f : followed.values()) {
        f.nextPoll = next;
      }
    }
  }

  private void pollOne(Followed f) {
    long polledAt = wallMillis.getAsLong();
    long now = Math.floorDiv(polledAt, 1000);
    long from;
    synchronized (this) {
      f.lastPoll = now;
      from = Math.max(f.since, now - settings.window().toSeconds());
      judge(f, now);
    }
    f.polls.increment();
    // a file stamped a little ahead of this clock (skew) is listed too
    long until = now + ArchiveIndex.nominal(f.family, ArchiveLayout.Kind.UPDATES);
    if (until <= from) {
      return; // following starts in the future
    }
    List<ArchiveFile> listed;
    try {
      listed = index.list(List.of(f.collector), ArchiveLayout.Kind.UPDATES, from, until);
    } catch (IOException e) {
      f.errors("listing").increment();
      synchronized (this) {
        f.lastError = e.getMessage();
      }
      LOG.warnf(
          "archive follow %s: %s; trying again at the next poll", f.collector, e.getMessage());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    List<ArchiveFile> todo = new ArrayList<>();
    synchronized (this) {
      // a job cancelled while queued never runs, so it never reports its end: noted here
      for (FollowFile ff : List.copyOf(f.importing.values())) {
        ImportJobRun job = ff.job;
        if (job != null && job.state() == ImportState.CANCELLED) {
          ff.releaseAll();
          ended(ff, job);
        }
      }
      for (ArchiveFile a : listed) {
        if (a.epochSecond() >= from
            && !f.files.containsKey(a.name())
            && !f.importing.containsKey(a.name())) {
          todo.add(a);
        }
      }
      f.pending = todo.size() + f.importing.size();
    }
    int room;
    synchronized (this) {
      room = settings.maxFilesPerPoll() - f.importing.size();
    }
    for (ArchiveFile a : todo) {
      if (room <= 0 || stopping) {
        break;
      }
      if (begin(f, a, polledAt)) {
        room--;
      }
    }
  }

  /** Logs a collector going stale or catching up (the gauge says it all the time). */
  private void judge(Followed f, long now) {
    long lag = f.lagSeconds(now);
    boolean stale = f.stale(now);
    if (stale != f.stale) {
      f.stale = stale;
      if (stale) {
        LOG.warnf(
            "archive follow %s: stale, lag %d s > %d s (newest file imported: %s)",
            f.collector, lag, f.staleAfterSeconds(), f.newestFile);
      } else {
        LOG.infof("archive follow %s: caught up, lag %d s", f.collector, lag);
      }
    }
  }

  /** Downloads {@code a} and queues its import; false when it could not be had (retried). */
  private boolean begin(Followed f, ArchiveFile a, long seenAtMillis) {
    Path path;
    long size;
    try {
      path = fetcher.fetch(a);
    } catch (IOException e) {
      f.errors("download").increment();
      synchronized (this) {
        f.lastError = e.getMessage();
      }
      LOG.warnf(
          "archive follow %s: %s; trying again at the next poll", f.collector, e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      size = Files.size(path);
    } catch (IOException e) {
      fetcher.release(path);
      f.errors("download").increment();
      LOG.warnf("archive follow %s: cannot read %s: %s", f.collector, path, e);
      return false;
    }
    String stream =
        ImportJobs.fileStreamId(f.collector, "follow", a.name(), size, 0, settings.batchSize());
    FollowFile ff = new FollowFile(f, a, path, stream, seenAtMillis);
    synchronized (this) {
      if (stopping) {
        fetcher.release(path);
        return false;
      }
      f.importing.put(a.name(), ff);
      try {
        ImportJobRun job = jobs.startMerged(ff, 0, stream, settings.cacheDir());
        ff.job = job;
        LOG.infof(
            "archive follow %s: importing %s (job %s, %d bytes)",
            f.collector, a.url(), job.id(), size);
        return true;
      } catch (RejectedExecutionException e) {
        f.importing.remove(a.name());
        ff.releaseAll();
        return false; // the collector is stopping
      }
    }
  }

  /** A job of {@code ff} ended (on the import thread). */
  private synchronized void ended(FollowFile ff, ImportJobRun job) {
    if (job != ff.job) {
      return; // a re-send to a state that lost batches: the file is in the ledger already
    }
    if (ff.ended) {
      return; // a cancelled job noted by a poll and then by its own end
    }
    ff.ended = true;
    Followed f = ff.followed;
    if (f.importing.get(ff.file.name()) == ff) {
      f.importing.remove(ff.file.name());
      f.pending = Math.max(0, f.pending - 1);
    }
    if (stopping || job.interrupted()) {
      return; // not in the ledger: imported again at the restart, state skips what it applied
    }
    ImportJob p = job.toProto();
    String firstError = p.getErrorsCount() > 0 ? p.getErrors(0).getMessage() : null;
    ArchiveFollowLedger.Outcome outcome;
    if (job.state() == ImportState.DONE) {
      outcome = ArchiveFollowLedger.Outcome.DONE;
    } else if (job.state() == ImportState.CANCELLED) {
      outcome = ArchiveFollowLedger.Outcome.CANCELLED;
    } else if (job.retryable()) {
      f.errors("import").increment();
      f.lastError = ff.file.url() + ": " + firstError;
      LOG.warnf(
          "archive follow %s: import of %s failed (%s); trying again at the next poll",
          f.collector, ff.file.url(), firstError);
      return;
    } else {
      outcome = ArchiveFollowLedger.Outcome.FAILED;
    }
    ArchiveFile a = ff.file;
    f.files.put(
        a.name(),
        new ArchiveFollowLedger.FileEntry(
            a.epochSecond(),
            a.endEpochSecond(),
            outcome,
            job.id(),
            job.streamId(),
            p.getEvents(),
            ff.seenAtMillis,
            wallMillis.getAsLong(),
            firstError));
    switch (outcome) {
      case DONE -> {
        f.imported.increment();
        f.progressAt = now();
        if (f.newestStart >= 0 && a.epochSecond() < f.newestStart) {
          f.late.increment();
          LOG.infof(
              "archive follow %s: %s was published late (after %s); imported",
              f.collector, a.name(), f.newestFile);
        }
        if (a.epochSecond() > f.newestStart) {
          f.newestStart = a.epochSecond();
          f.newestFile = a.name();
        }
        f.newestEnd = Math.max(f.newestEnd, a.endEpochSecond());
        judge(f, now());
      }
      case CANCELLED -> f.cancelled.increment();
      case FAILED -> {
        f.failed.increment();
        f.lastError = a.url() + ": " + firstError;
        LOG.warnf(
            "archive follow %s: %s failed (%s); not retried", f.collector, a.url(), firstError);
      }
      default -> {}
    }
    prune(f);
    saveLedger(f);
  }

  /** Forgets files that started before the window (they are never listed again). */
  private void prune(Followed f) {
    long keepFrom = now() - settings.window().toSeconds() - 3600;
    f.files.values().removeIf(e -> e.start() < keepFrom);
  }

  private void saveLedger(Followed f) {
    try {
      ledger.put(f.collector, f.entry());
    } catch (IOException | RuntimeException e) {
      f.errors("ledger").increment();
      LOG.errorf(
          "archive follow %s: cannot write the ledger %s (%s); written again with the next file",
          f.collector, ledger.file(), e);
    }
  }

  /** One followed file's import: its download is held until the job ended. */
  private final class FollowFile implements ImportJobRun.Merged {
    final Followed followed;
    final ArchiveFile file;
    final String stream;
    final long seenAtMillis;
    private Path fetched;
    private final List<Path> held = new ArrayList<>();

    /** The file's import job (set once queued; guarded by the follower). */
    volatile ImportJobRun job;

    /** Its end was recorded (guarded by the follower). */
    boolean ended;

    FollowFile(
        Followed followed, ArchiveFile file, Path fetched, String stream, long seenAtMillis) {
      this.followed = followed;
      this.file = file;
      this.fetched = fetched;
      this.stream = stream;
      this.seenAtMillis = seenAtMillis;
      held.add(fetched);
    }

    @Override
    public Map<String, List<Path>> prepare() throws Exception {
      Path p;
      synchronized (held) {
        p = fetched;
        fetched = null;
      }
      if (p == null) { // a re-send: the cache may have evicted it meanwhile
        p = fetcher.fetch(file);
        synchronized (held) {
          held.add(p);
        }
      }
      return Map.of(followed.collector, List.of(p));
    }

    @Override
    public String label() {
      return "archive:" + followed.collector + " follow " + file.name();
    }

    @Override
    public String collectors() {
      return followed.collector;
    }

    @Override
    public FeedKind feed() {
      return FeedKind.MRT_UPDATES;
    }

    void releaseAll() {
      synchronized (held) {
        held.forEach(fetcher::release);
        held.clear();
      }
    }

    @Override
    public void ended(ImportJobRun job) {
      releaseAll();
      ArchiveFollower.this.ended(this, job);
    }
  }
}
