package io.routewatch.collector.mrt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.publish.BatchBuilder;
import io.routewatch.collector.publish.StateLink;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.ImportError;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One MRT import: reads the archive record by record, turns records into route events, and hands
 * batches to the state link (which blocks when state is slow: reading pauses, nothing is lost).
 *
 * <p>Batches are cut at fixed event counts, so reading the same file again produces the same
 * batches with the same sequence numbers. That is what makes a rewind after a state restart exact:
 * the job re-reads the file and re-sends from the first batch state does not hold.
 *
 * <p>A finished job stays its stream's source ({@link ImportJobs} keeps the newest {@code
 * routewatch.collector.mrt.keep-finished}): state acknowledges what it applied, not what a snapshot
 * holds, so a state restarted from an older snapshot (or none) may hold less than it acknowledged.
 * A rewind then queues a re-send: a new job on the same file and stream that reads it again and
 * sends the batches after the one state holds, provided the file is unchanged (size and mtime).
 */
public final class ImportJobRun implements StateLink.StreamSource {
  private static final Logger LOG = Logger.getLogger(ImportJobRun.class);
  static final int MAX_ERRORS_KEPT = 100;

  /** Start of the error a job reports when state never acknowledged its last batch. */
  static final String NOT_ACKNOWLEDGED = "state did not acknowledge";

  private final String id;
  private final Path path;
  private final double speed;
  private final String collector;
  private final String streamId;
  private final StateLink link;
  private final CollectorConfig config;
  private final Counter eventsRead;
  private final Counter recordErrors;
  private final Counter oversizedRecords;

  private volatile ImportState state = ImportState.QUEUED;
  private volatile long records;
  private volatile long events;
  private volatile long bytesRead;
  private volatile long errorCount;
  private final List<ImportError> errors = new ArrayList<>();
  private volatile long startNanos;
  private volatile long endNanos;
  private volatile long rewindTo = -1;
  private volatile boolean interrupted;

  /** Failed for a reason outside the file: it could not be had, or state did not acknowledge. */
  private volatile boolean retryable;

  /** Set by {@link #cancel} (under this); the job ends CANCELLED at its next check. */
  private volatile boolean cancelRequested;

  /** The thread running the job while it runs (guarded by this): what a cancel interrupts. */
  private Thread worker;

  /** A record beyond max-record-bytes stopped the read (FAILED when it was the first record). */
  private volatile boolean oversized;

  private volatile long lastSequence;
  private final Object changed = new Object();

  /** Takes a finished job's rewind: queues a re-send of its file (null: a rewind is dropped). */
  interface Resender {
    void resend(ImportJobRun finished, long after);
  }

  private final Resender resender;

  /**
   * An import of several collectors' files merged by time (an archive range import): where the
   * files come from and what to do once the job ends. Null for a one-file import.
   */
  public interface Merged {
    /**
     * Runs on the import's thread before anything is read (downloads happen here): collector name →
     * its files in time order. A failure fails the job with the exception's message and those of
     * its suppressed exceptions (one error each).
     */
    Map<String, List<Path>> prepare() throws Exception;

    /** What the job's listing shows as its path (the request). */
    String label();

    /** The collector names the batches' source carries. */
    String collectors();

    /** The feed kind of the batches (updates or RIB dumps). */
    FeedKind feed();

    /** Called once the job ended, in any state: the files may go. */
    void ended(ImportJobRun job);
  }

  private final Merged merged;

  /** The merged job's files (set by {@link Merged#prepare}). */
  private volatile Map<String, List<Path>> lanes;

  private volatile long totalBytes = -1;

  /** The finished job this one re-sends (null for a first import). */
  private final ImportJobRun resendOf;

  /** Batches up to this one are not sent (a re-send: what state still holds). */
  private final long resendAfter;

  /** The file's size and mtime when this job (or the one it re-sends) read it. */
  private volatile long fileSize = -1;

  private volatile long fileModified = -1;

  /** A re-send that would not send the file's own batches (the file changed or is gone). */
  static final class ResendRefused extends RuntimeException {
    ResendRefused(String message) {
      super(message, null, false, false);
    }
  }

  ImportJobRun(
      String id,
      Path path,
      double speed,
      String collector,
      String streamId,
      StateLink link,
      CollectorConfig config,
      MeterRegistry registry) {
    this(id, path, speed, collector, streamId, link, config, registry, null, null, 0);
  }

  ImportJobRun(
      String id,
      Path path,
      double speed,
      String collector,
      String streamId,
      StateLink link,
      CollectorConfig config,
      MeterRegistry registry,
      Resender resender,
      ImportJobRun resendOf,
      long resendAfter) {
    this(
        id,
        path,
        speed,
        collector,
        streamId,
        link,
        config,
        registry,
        resender,
        resendOf,
        resendAfter,
        null);
  }

  ImportJobRun(
      String id,
      Path path,
      double speed,
      String collector,
      String streamId,
      StateLink link,
      CollectorConfig config,
      MeterRegistry registry,
      Resender resender,
      ImportJobRun resendOf,
      long resendAfter,
      Merged merged) {
    this.merged = merged;
    this.resender = resender;
    this.resendOf = resendOf;
    this.resendAfter = Math.max(0, resendAfter);
    this.id = id;
    this.path = path;
    this.speed = speed;
    this.collector = collector;
    this.streamId =
        streamId != null
            ? streamId
            : collector + "/" + path.getFileName() + "/" + id + "/" + System.currentTimeMillis();
    this.link = link;
    this.config = config;
    this.eventsRead = registry.counter("routewatch_collector_events_read_total", "source", "mrt");
    this.recordErrors = registry.counter("routewatch_collector_mrt_record_errors_total");
    this.oversizedRecords = registry.counter("routewatch_collector_mrt_oversized_records_total");
  }

  public String id() {
    return id;
  }

  public Path path() {
    return path;
  }

  public String streamId() {
    return streamId;
  }

  /** The job whose file this one sends again after a state restart, or null. */
  public ImportJobRun resendOf() {
    return resendOf;
  }

  public String collector() {
    return collector;
  }

  /** The merged input of an archive range import, or null for a one-file import. */
  public Merged merged() {
    return merged;
  }

  public ImportState state() {
    return state;
  }

  /** True once the job is DONE, FAILED or CANCELLED. */
  public boolean finished() {
    return state == ImportState.DONE
        || state == ImportState.FAILED
        || state == ImportState.CANCELLED;
  }

  /**
   * Asks the job to stop: a queued job ends CANCELLED at once (and never runs), a running one is
   * interrupted and ends CANCELLED before its next send. False when it had ended already (or a
   * cancel was asked before).
   */
  boolean cancel() {
    synchronized (this) {
      if (finished() || cancelRequested) {
        return false;
      }
      cancelRequested = true;
      if (state == ImportState.QUEUED) {
        state = ImportState.CANCELLED;
        keepError(0, 0, "cancelled before it started");
      } else if (worker != null) {
        worker.interrupt(); // only while run() holds the job: never a later job on that thread
      }
    }
    signal();
    return true;
  }

  /** True when the job ended because the collector stopped (not because of the file or state). */
  public boolean interrupted() {
    return interrupted;
  }

  /**
   * True when the job FAILED for a reason outside the file's content: its files could not be
   * downloaded, or state did not acknowledge its last batch. The same file may import on a retry.
   */
  public boolean retryable() {
    return retryable;
  }

  void run() {
    synchronized (this) {
      if (cancelRequested) {
        return; // cancelled while queued
      }
      worker = Thread.currentThread();
      startNanos = System.nanoTime();
      state = ImportState.RUNNING;
    }
    link.register(streamId, this);
    try {
      if (merged != null) {
        lanes = prepareLanes();
      }
      fingerprint();
      long skipThrough = resendAfter;
      if (resendOf != null) {
        LOG.infof(
            "import %s: re-sending %s (import %s) after batch %d: state lost what it had acknowledged",
            id, path, resendOf.id, skipThrough);
      }
      while (true) {
        long rewound = readOnce(skipThrough);
        if (rewound < 0) {
          // Everything sent: wait for state to acknowledge it all, unless it restarted meanwhile.
          Duration timeout = config.mrt().ackTimeout();
          long deadline = System.nanoTime() + timeout.toNanos();
          long left;
          boolean acked = false;
          while (!acked && rewindTo < 0 && (left = deadline - System.nanoTime()) > 0) {
            stopIfInterrupted();
            acked =
                link.awaitAcknowledged(
                    streamId, lastSequence, Duration.ofNanos(Math.min(left, 1_000_000_000L)));
          }
          // An over-limit length after good records is a framing stop like a truncation (the
          // reader's located error says where; bgpdump stops there too): DONE with the records
          // read. At the first record nothing in the file is MRT (or it is a bomb): FAILED.
          if (acked && oversized && records == 0) {
            addError(
                records + 1,
                bytesRead,
                "import failed: record "
                    + (records + 1)
                    + " declares a body longer than routewatch.collector.mrt.max-record-bytes ("
                    + config.mrt().maxRecordBytes()
                    + ") or the file is not MRT; the records before it were sent");
            state = ImportState.FAILED;
            break;
          }
          synchronized (this) {
            // DONE under the lock rewind() takes: a later rewind goes to the resender
            if (acked && rewindTo < 0) {
              state = ImportState.DONE;
              break;
            }
          }
          if (rewindTo < 0) {
            addError(
                records,
                bytesRead,
                NOT_ACKNOWLEDGED + " batch " + lastSequence + " within " + timeout);
            retryable = true;
            state = ImportState.FAILED;
            break;
          }
          rewound = rewindTo;
        }
        skipThrough = rewound; // state lost batches after `rewound`: read again, re-send from there
        LOG.infof("import %s: re-reading %s, re-sending after batch %d", id, path, rewound);
      }
    } catch (InterruptedException e) {
      synchronized (this) {
        if (cancelRequested) {
          Thread.interrupted(); // the cancel's interrupt ends here, not in the runner's next job
          keepError(records, bytesRead, "cancelled after " + records + " records");
          state = ImportState.CANCELLED;
        } else {
          Thread.currentThread().interrupt();
          interrupted = true;
          state = ImportState.FAILED;
        }
      }
    } catch (PrepareFailed e) {
      for (String line : e.lines) {
        keepError(0, 0, line);
      }
      LOG.errorf("import %s: %s", id, e.lines.get(0));
      retryable = true;
      state = ImportState.FAILED;
    } catch (ResendRefused e) {
      LOG.errorf("import %s: %s", id, e.getMessage());
      keepError(records, bytesRead, e.getMessage());
      state = ImportState.FAILED;
    } catch (RuntimeException e) {
      LOG.errorf(e, "import %s of %s failed", id, path);
      addError(records, bytesRead, e.toString());
      state = ImportState.FAILED;
    } finally {
      synchronized (this) {
        worker = null;
        if (cancelRequested) {
          Thread.interrupted(); // a cancel's interrupt after the last check: not the next job's
        }
      }
      endNanos = System.nanoTime();
      if (state != ImportState.DONE || resender == null) {
        link.unregister(streamId, this);
      } // else: stays the stream's source, for a re-send after a state restart
      if (merged != null) {
        try {
          merged.ended(this);
        } catch (RuntimeException e) {
          LOG.errorf(e, "import %s: after the end", id);
        }
      }
      signal();
    }
    LOG.infof(
        "import %s of %s: %s, %d records, %d events, %d errors, %.1f s",
        id, path, state, records, events, errorCount, elapsedSeconds());
  }

  /** A merged job whose files could not be had: one error line each. */
  static final class PrepareFailed extends RuntimeException {
    final List<String> lines;

    PrepareFailed(List<String> lines) {
      super(lines.get(0), null, false, false);
      this.lines = lines;
    }
  }

  private Map<String, List<Path>> prepareLanes() throws InterruptedException {
    try {
      return merged.prepare();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      List<String> lines = new ArrayList<>();
      lines.add("cannot get the archive files: " + e.getMessage());
      for (Throwable t : e.getSuppressed()) {
        lines.add(t.getMessage());
      }
      throw new PrepareFailed(lines);
    }
  }

  /**
   * Records the file's size and mtime; a re-send first checks the file is the one its import read
   * (the batches re-sent must be the same batches under the same sequences).
   */
  private void fingerprint() {
    long size;
    long modified;
    if (lanes != null) {
      // downloaded archive files are checked and immutable; their cache mtime is the LRU clock
      size = 0;
      for (List<Path> files : lanes.values()) {
        for (Path p : files) {
          size += sizeOf(p);
        }
      }
      modified = 0;
      if (resendOf != null && size != resendOf.fileSize) {
        throw new ResendRefused(
            "cannot re-send "
                + merged.label()
                + ": its files changed (size "
                + resendOf.fileSize
                + " -> "
                + size
                + ")");
      }
      fileSize = size;
      totalBytes = size;
      fileModified = modified;
      return;
    }
    try {
      size = Files.size(path);
      modified = Files.getLastModifiedTime(path).toMillis();
    } catch (java.io.IOException e) {
      if (resendOf != null) {
        throw new ResendRefused(
            "cannot re-send "
                + path
                + " (import "
                + resendOf.id
                + "): "
                + e
                + "; state lost its batches after "
                + resendAfter);
      }
      throw new java.io.UncheckedIOException("cannot read " + path, e);
    }
    if (resendOf != null && (size != resendOf.fileSize || modified != resendOf.fileModified)) {
      throw new ResendRefused(
          "cannot re-send "
              + path
              + " (import "
              + resendOf.id
              + "): the file changed since it was imported (size "
              + resendOf.fileSize
              + " -> "
              + size
              + ", mtime "
              + resendOf.fileModified
              + " -> "
              + modified
              + "); state lost its batches after "
              + resendAfter);
    }
    fileSize = size;
    fileModified = modified;
  }

  /**
   * Reads the whole file once, sending batches after {@code skipThrough}. Returns -1 when done, or
   * the sequence to rewind to when state asked for a rewind meanwhile.
   */
  private long readOnce(long skipThrough) throws InterruptedException {
    rewindTo = -1;
    int batchSize = config.publish().batchSize();
    long maxBytes = config.publish().maxBatchBytes();
    long sequence = 0;
    long firstTs = -1;
    long wallStart = System.nanoTime();
    try (ImportSource reader = open()) {
      BatchBuilder batch = reader.newBatch(config.name(), streamId);
      while (reader.next(batch)) {
        records = reader.records();
        bytesRead = reader.bytesRead();
        long ts = reader.lastTimestampMicros();
        // ts is 0 until the first record that carries routes (OPEN/KEEPALIVE records come first
        // in many update files): pacing from 0 would sleep for the archive's whole epoch offset.
        if (speed > 0 && ts > 0) {
          if (firstTs < 0) {
            firstTs = ts;
          }
          pace(wallStart, ts - firstTs);
        }
        if (batch.size() >= batchSize || batch.bytes() >= maxBytes) {
          sequence++;
          if (sequence > skipThrough) {
            stopIfInterrupted();
            countEvents(batch.size(), sequence);
            link.send(batch.build(sequence, false));
          }
          batch = reader.newBatch(config.name(), streamId);
          if (rewindTo >= 0) {
            return rewindTo;
          }
          signal();
        }
      }
      records = reader.records();
      bytesRead = reader.bytesRead();
      if (reader.oversizedRecords() > 0 && !oversized) {
        oversized = true; // counted once per job, not per re-read after a rewind
        oversizedRecords.increment();
      }
      sequence++;
      stopIfInterrupted();
      countEvents(batch.size(), sequence);
      link.send(batch.build(sequence, true));
      lastSequence = sequence;
      return rewindTo >= 0 ? rewindTo : -1;
    }
  }

  private ImportSource open() {
    if (lanes == null) {
      return MrtEventReader.open(
          path, collector, config.mrt().maxRecordBytes(), this::onRecordError);
    }
    return new MergedEventReader(
        lanes,
        merged.collectors(),
        merged.feed(),
        config.mrt().maxRecordBytes(),
        this::onRecordError);
  }

  /**
   * A stop ({@link ImportJobs} interrupts the job when the collector shuts down, {@link #cancel}
   * when a client cancels it) that lands in a read makes the reader end as if the file were
   * truncated there (the interrupted file channel or inflater fails; the interrupt flag stays set).
   * A batch built after that is not the file's batch at its sequence, and the last one would go out
   * as the end of the stream: a watched file is imported again after the restart under the same
   * stream id, state skips the sequences it holds, and the rest of that batch would be lost. So
   * nothing is sent once the job was interrupted.
   */
  private void stopIfInterrupted() throws InterruptedException {
    if (Thread.currentThread().isInterrupted() || cancelRequested) {
      throw new InterruptedException("import stopped");
    }
  }

  private void countEvents(int n, long sequence) {
    // Re-sent batches after a rewind are not new events.
    if (sequence > lastSequence) {
      events += n;
      eventsRead.increment(n);
      lastSequence = sequence;
    }
  }

  private void pace(long wallStart, long archiveMicros) throws InterruptedException {
    long dueNanos = wallStart + (long) (archiveMicros * 1000 / speed);
    long wait = dueNanos - System.nanoTime();
    if (wait > 1_000_000) {
      Thread.sleep(wait / 1_000_000);
    }
  }

  private void onRecordError(long record, long offset, String message) {
    recordErrors.increment();
    addError(record, offset, message);
  }

  private void addError(long record, long offset, String message) {
    keepError(record, offset, message);
    LOG.warnf("%s: record %d at offset %d: %s", path, record, offset, message);
  }

  /** Counts the error and keeps it in the job's list (the first {@value #MAX_ERRORS_KEPT}). */
  private synchronized void keepError(long record, long offset, String message) {
    errorCount++;
    if (errors.size() < MAX_ERRORS_KEPT) {
      errors.add(
          ImportError.newBuilder().setRecord(record).setOffset(offset).setMessage(message).build());
    }
  }

  /** Called under the state link's lock: never blocks. */
  @Override
  public void rewind(String stream, long sequence) {
    synchronized (this) {
      if (state != ImportState.DONE) {
        rewindTo = sequence; // the running job reads the file again
        return;
      }
    }
    if (resender != null) {
      resender.resend(this, sequence);
    }
  }

  void awaitChange(long millis) throws InterruptedException {
    synchronized (changed) {
      changed.wait(millis);
    }
  }

  private void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  private double elapsedSeconds() {
    if (startNanos == 0) {
      return 0;
    }
    long end = endNanos != 0 ? endNanos : System.nanoTime();
    return (end - startNanos) / 1e9;
  }

  public ImportJob toProto() {
    // asked before this job's lock: the link's lock is taken before it on a rewind
    long acknowledged = eventsAcknowledgedEstimate();
    synchronized (this) {
      return toProto(acknowledged);
    }
  }

  private ImportJob toProto(long acknowledged) {
    double elapsed = elapsedSeconds();
    long total = totalBytes >= 0 ? totalBytes : merged != null ? 0 : sizeOf(path);
    double rate = elapsed > 0 ? events / elapsed : 0;
    double eta = 0;
    if (state == ImportState.RUNNING && bytesRead > 0 && total > bytesRead) {
      eta = elapsed * (total - bytesRead) / bytesRead;
    }
    return ImportJob.newBuilder()
        .setId(id)
        .setPath(merged != null ? merged.label() : path.toString())
        .setState(state)
        .setBytesTotal(total)
        .setBytesRead(state == ImportState.DONE ? total : bytesRead)
        .setRecords(records)
        .setEvents(events)
        .setEventsAcknowledged(acknowledged)
        .setErrorCount(errorCount)
        .addAllErrors(errors)
        .setEventsPerSecond(rate)
        .setEtaSeconds(eta)
        .setElapsedSeconds(elapsed)
        .setStreamId(streamId)
        .build();
  }

  private long eventsAcknowledgedEstimate() {
    if (state == ImportState.DONE) {
      return events;
    }
    long batches = link.acknowledged(streamId);
    return Math.min(events, batches * config.publish().batchSize());
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (Exception e) {
      return 0;
    }
  }
}
