package io.routewatch.collector.mrt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Imports new MRT archives that appear in one directory: each file once, in name order (RouteViews
 * and RIS names sort by time), one job at a time through {@link ImportJobs}.
 *
 * <p>A file is taken only after its size and mtime stayed the same for {@code stableFor} (a file
 * still being written is not picked up early); names starting with {@code .} or ending in {@code
 * .tmp}, {@code .part}, {@code .partial}, {@code .crdownload} (rsync, wget, curl, browsers) and
 * empty files are never taken. Files are taken strictly in name order: a file that is not stable
 * yet holds back the files after it.
 *
 * <p>What was imported is kept in an {@link ImportLedger}, so "once" survives a restart. The job of
 * a watched file uses a stream id derived from the file (name, size, mtime, batch size): a file
 * whose import was cut short by a collector restart is imported again with the same batches under
 * the same stream id, and state skips the batches it had applied (exactly once).
 *
 * <p>{@link #scan()} is one pass and never throws: problems are logged with the file name and
 * counted in {@code routewatch_collector_mrt_watch_errors_total}.
 */
final class MrtWatcher {
  private static final Logger LOG = Logger.getLogger(MrtWatcher.class);
  private static final List<String> PARTIAL_SUFFIXES =
      List.of(".tmp", ".part", ".partial", ".crdownload");

  private record Seen(long size, long mtime, long sinceNanos) {}

  private final Path dir;
  private final PathMatcher matcher;
  private final long stableForNanos;
  private final ImportLedger ledger;
  private final ImportJobs jobs;
  private final String collector;
  private final int batchSize;
  private final LongSupplier clock;
  private final MeterRegistry registry;
  private final Counter scanErrors;
  private final Counter fileErrors;
  private final Counter ledgerErrors;

  /** Candidates by name with when their current (size, mtime) was first seen. */
  private final Map<String, Seen> seen = new HashMap<>();

  private final Set<String> warned = new HashSet<>();
  private ImportJobRun current;
  private String currentName;
  private String lastProblem;
  private boolean ledgerDirty;
  private volatile int pending;
  private volatile boolean stopping;

  MrtWatcher(
      Path dir,
      String pattern,
      Duration stableFor,
      Path ledgerFile,
      ImportJobs jobs,
      String collector,
      int batchSize,
      LongSupplier nanoClock,
      MeterRegistry registry) {
    this.dir = dir.toAbsolutePath().normalize();
    this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    this.stableForNanos = stableFor.toNanos();
    this.ledger = new ImportLedger(ledgerFile.toAbsolutePath().normalize());
    this.jobs = jobs;
    this.collector = collector;
    this.batchSize = batchSize;
    this.clock = nanoClock;
    this.registry = registry;
    for (ImportLedger.Outcome o : ImportLedger.Outcome.values()) {
      if (o.isFinal()) {
        filesCounter(o);
      }
    }
    this.scanErrors = errors("scan");
    this.fileErrors = errors("file");
    this.ledgerErrors = errors("ledger");
    loadLedger();
  }

  private Counter errors(String reason) {
    return registry.counter("routewatch_collector_mrt_watch_errors_total", "reason", reason);
  }

  private Counter filesCounter(ImportLedger.Outcome o) {
    return registry.counter(
        "routewatch_collector_mrt_watch_files_total", "outcome", o.name().toLowerCase(Locale.ROOT));
  }

  Path dir() {
    return dir;
  }

  Path ledgerFile() {
    return ledger.file();
  }

  /** Files waiting to be imported, the one being imported included. */
  int pending() {
    return pending;
  }

  /** The collector is stopping: record nothing more (an interrupted import stays IMPORTING). */
  void stop() {
    stopping = true;
  }

  private void loadLedger() {
    try {
      ledger.load();
      for (ImportLedger.Entry e : ledger.entries()) {
        if (!e.outcome().isFinal()) {
          LOG.infof(
              "watch: %s was being imported (job %s) when the collector stopped; it is imported again",
              e.name(), e.job());
        }
      }
    } catch (IOException | RuntimeException e) {
      // A ledger that cannot be read is kept aside; files are imported again under the same
      // stream ids, so state skips the batches it already applied.
      ledgerErrors.increment();
      Path aside =
          ledger
              .file()
              .resolveSibling(
                  ledger.file().getFileName() + ".unreadable-" + System.currentTimeMillis());
      LOG.errorf(
          "watch: ledger %s cannot be read (%s); moved to %s, starting with an empty one",
          ledger.file(), e, aside);
      try {
        Files.move(ledger.file(), aside);
      } catch (IOException | RuntimeException m) {
        LOG.errorf("watch: cannot move the unreadable ledger aside: %s", m);
      }
    }
  }

  /** One pass over the directory: notes changes, records a finished job, starts the next file. */
  synchronized void scan() {
    if (stopping) {
      return;
    }
    try {
      Map<String, BasicFileAttributes> files = list();
      if (files == null) {
        return;
      }
      long now = clock.getAsLong();
      seen.keySet().retainAll(files.keySet());
      files.forEach(
          (name, a) -> {
            long mtime = a.lastModifiedTime().toMillis();
            Seen s = seen.get(name);
            if (s == null || s.size != a.size() || s.mtime != mtime) {
              seen.put(name, new Seen(a.size(), mtime, now));
            }
          });
      finishCurrent();
      ledgerDirty |= ledger.retainPresent(files.keySet());
      List<String> todo = new ArrayList<>();
      for (String name : files.keySet()) { // TreeMap: name order
        ImportLedger.Entry e = ledger.get(name);
        if (name.equals(currentName)) {
          continue;
        }
        if (e != null && e.outcome().isFinal()) {
          Seen s = seen.get(name);
          if ((s.size != e.size() || s.mtime != e.mtime()) && warned.add("changed:" + name)) {
            LOG.warnf(
                "watch: %s changed after it was imported (job %s, %s); it is not imported again"
                    + " (import it through the API, or remove it from %s)",
                name, e.job(), e.outcome(), ledger.file());
          }
          continue;
        }
        todo.add(name);
      }
      pending = todo.size() + (current != null ? 1 : 0);
      if (current == null) {
        for (String name : todo) {
          Seen s = seen.get(name);
          if (s.size == 0) {
            continue; // an empty placeholder is never an archive
          }
          if (now - s.sinceNanos < stableForNanos) {
            break; // still being written (or just appeared): it and everything after it wait
          }
          if (begin(name, s) || stopping) {
            break;
          }
        }
      }
    } catch (RuntimeException e) {
      scanErrors.increment();
      LOG.errorf(e, "watch: scanning %s failed; carrying on", dir);
    } finally {
      saveLedgerIfDirty();
    }
  }

  /** Matching regular files by name (sorted), or null when the directory cannot be read. */
  private Map<String, BasicFileAttributes> list() {
    Map<String, BasicFileAttributes> out = new TreeMap<>();
    Path ledgerFile = ledger.file();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        Path fileName = p.getFileName();
        String name = fileName.toString();
        if (ignored(name) || !matcher.matches(fileName) || p.equals(ledgerFile)) {
          continue;
        }
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (a.isRegularFile()) {
            out.put(name, a);
            warned.remove("attributes:" + name);
          }
        } catch (IOException | RuntimeException e) {
          if (warned.add("attributes:" + name)) {
            fileErrors.increment();
            LOG.warnf("watch: %s: cannot read its attributes (%s); skipped", p, e);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      scanErrors.increment();
      String problem = e.toString();
      if (!problem.equals(lastProblem)) {
        LOG.warnf("watch: cannot list %s (%s); trying again", dir, problem);
        lastProblem = problem;
      }
      return null;
    }
    if (lastProblem != null) {
      LOG.infof("watch: %s is readable again", dir);
      lastProblem = null;
    }
    return out;
  }

  static boolean ignored(String name) {
    if (name.startsWith(".")) {
      return true;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (String suffix : PARTIAL_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** Queues the import of a stable file; true when a job was started. */
  private boolean begin(String name, Seen s) {
    Path p = dir.resolve(name);
    String streamId = ImportJobs.fileStreamId(collector, "watch", name, s.size, s.mtime, batchSize);
    try {
      ImportJobRun job = jobs.start(p, 0, collector, streamId);
      current = job;
      currentName = name;
      ledger.put(
          entry(name, p, s, job.id(), streamId, ImportLedger.Outcome.IMPORTING, 0, 0, 0, null));
      ledgerDirty = true;
      LOG.infof("watch: importing %s (job %s, %d bytes)", p, job.id(), s.size);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // the collector is stopping
    } catch (RuntimeException e) {
      ledger.put(
          entry(name, p, s, "", streamId, ImportLedger.Outcome.REJECTED, 0, 0, 1, e.getMessage()));
      ledgerDirty = true;
      filesCounter(ImportLedger.Outcome.REJECTED).increment();
      LOG.warnf("watch: %s could not be imported (%s); not retried", p, e.getMessage());
      return false;
    }
  }

  /** Records the outcome of the current job once it ended. */
  private void finishCurrent() {
    if (current == null || !current.finished()) {
      return;
    }
    ImportJobRun job = current;
    String name = currentName;
    current = null;
    currentName = null;
    if (job.interrupted() || stopping) {
      return; // stays IMPORTING: imported again after the restart
    }
    ImportJob p = job.toProto();
    ImportLedger.Outcome o =
        p.getState() == ImportState.DONE ? ImportLedger.Outcome.DONE : ImportLedger.Outcome.FAILED;
    ImportLedger.Entry started = ledger.get(name);
    Seen s =
        started != null
            ? new Seen(started.size(), started.mtime(), 0)
            : new Seen(p.getBytesTotal(), 0, 0);
    String firstError = p.getErrorsCount() > 0 ? p.getErrors(0).getMessage() : null;
    ledger.put(
        entry(
            name,
            job.path(),
            s,
            job.id(),
            job.streamId(),
            o,
            p.getRecords(),
            p.getEvents(),
            p.getErrorCount(),
            firstError));
    ledgerDirty = true;
    filesCounter(o).increment();
    if (o == ImportLedger.Outcome.DONE) {
      LOG.infof(
          "watch: %s imported (job %s): %d records, %d events, %d errors",
          job.path(), job.id(), p.getRecords(), p.getEvents(), p.getErrorCount());
    } else {
      LOG.warnf(
          "watch: %s failed (job %s): %d records, %d events, %d errors, first: %s; not retried",
          job.path(), job.id(), p.getRecords(), p.getEvents(), p.getErrorCount(), firstError);
    }
  }

  private static ImportLedger.Entry entry(
      String name,
      Path path,
      Seen s,
      String job,
      String streamId,
      ImportLedger.Outcome outcome,
      long records,
      long events,
      long errors,
      String firstError) {
    return new ImportLedger.Entry(
        name,
        path.toString(),
        s.size,
        s.mtime,
        job,
        streamId,
        outcome,
        records,
        events,
        errors,
        firstError,
        System.currentTimeMillis());
  }

  private void saveLedgerIfDirty() {
    if (!ledgerDirty) {
      return;
    }
    try {
      ledger.save();
      ledgerDirty = false;
      warned.remove("ledger");
    } catch (IOException | RuntimeException e) {
      ledgerErrors.increment();
      if (warned.add("ledger")) {
        LOG.errorf(
            "watch: cannot write the ledger %s (%s); trying again at the next scan",
            ledger.file(), e);
      }
    }
  }
}
