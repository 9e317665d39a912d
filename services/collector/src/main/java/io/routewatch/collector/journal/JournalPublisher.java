package io.routewatch.collector.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.mrt.MrtEventReader;
import io.routewatch.collector.publish.BatchBuilder;
import io.routewatch.collector.publish.StateLink;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.Source;
import io.routewatch.servicekit.metrics.Gauges;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Sends the live journal to state, as an MRT import sends its file: each journal file is one stream
 * ({@code journal/<collector>/updates.YYYYMMDD.HHMM}), its batches are consecutive runs of whole
 * records decoded with the import's reader ({@link MrtEventReader}), and state applies each batch
 * exactly once by (stream, sequence).
 *
 * <p>A batch ends where the durable part of the file ended when it was cut, which depends on
 * timing; so before batch {@code n} is sent its end offset is appended to the file's index (a
 * sidecar {@code .updates.YYYYMMDD.HHMM.idx}, 8 bytes per batch, fsync'd), and re-reading after a
 * rewind follows the index: the re-sent batches are the ones state had, byte for byte. Position
 * (file, batch) maps to (file, record offset) through it.
 *
 * <p>On start the publisher asks state where each file's stream stands ({@code GetStreamPositions})
 * and resumes after it; when state later holds less than it acknowledged (a restart, a restore from
 * an older snapshot) the link rewinds the file's stream and this re-sends from there. Files are
 * sent oldest first, and the next file's first batch only after state acknowledged the previous
 * file whole, so state applies the journal in order.
 */
public final class JournalPublisher {
  private static final Logger LOG = Logger.getLogger(JournalPublisher.class);

  private final MrtJournal journal;
  private final StateLink link;
  private final CollectorConfig config;
  private final String collector;
  private final int maxBatchRecordBytes;
  private final int maxRecords;
  private final Counter batchesSent;
  private final Counter recordErrors;
  private final Map<Path, FileStream> streams = new TreeMap<>();
  private final Object wakeup = new Object();
  private volatile boolean stopping;
  private volatile long backlogBytes;
  private volatile long backlogBatches;
  private volatile Map<String, Long> startPositions;
  private Thread thread;

  /** One journal file's stream. Fields other than the volatile ones: publisher thread only. */
  private final class FileStream implements StateLink.StreamSource {
    final Path path;
    final Path index;
    final String streamId;
    volatile long indexed; // batches cut (entries in the index; written by the publisher only)
    volatile long lastEnd; // end offset of batch `indexed`
    long next = 1; // next sequence to send
    long offset; // where batch `next` starts
    volatile long rewindTo = -1;
    long measuredAcked = -1; // measure()'s cache: acknowledged batch and its end offset
    long measuredEnd;
    volatile boolean ackedWhole;

    FileStream(Path path) {
      this.path = path;
      this.index = indexOf(path);
      this.streamId = "journal/" + config.name() + "/" + path.getFileName();
    }

    @Override
    public void rewind(String stream, long sequence) {
      rewindTo = sequence; // under the link's lock: never block
      wake();
    }

    @Override
    public boolean replays() {
      return true;
    }
  }

  JournalPublisher(
      MrtJournal journal, StateLink link, CollectorConfig config, MeterRegistry registry) {
    this.journal = journal;
    this.link = link;
    this.config = config;
    this.collector = config.name();
    // MRT bytes per batch: an event's proto is at most a few times its NLRI's bytes, so this keeps
    // batches under max-batch-bytes
    this.maxBatchRecordBytes =
        (int)
            Math.min(Integer.MAX_VALUE / 2, Math.max(4096, config.publish().maxBatchBytes() / 16));
    this.maxRecords = Math.max(1, config.publish().batchSize());
    this.batchesSent = registry.counter("routewatch_collector_journal_batches_sent_total");
    this.recordErrors = registry.counter("routewatch_collector_journal_record_errors_total");
    Gauges.gauge(
        registry, "routewatch_collector_journal_unacknowledged_bytes", this, p -> p.backlogBytes);
    Gauges.gauge(
        registry,
        "routewatch_collector_journal_unacknowledged_batches",
        this,
        p -> p.backlogBatches);
  }

  /** The sidecar holding a journal file's batch ends. */
  public static Path indexOf(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".idx");
  }

  void start() {
    thread = new Thread(this::run, "journal-publisher");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    stopping = true;
    wake();
    if (thread != null) {
      thread.interrupt();
    }
  }

  void wake() {
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
  }

  /** Journal bytes state has not acknowledged (all files). */
  public long backlogBytes() {
    return backlogBytes;
  }

  /** True when state acknowledged every byte of {@code file} and the file is closed. */
  boolean acknowledgedWhole(Path file) {
    synchronized (streams) {
      FileStream fs = streams.get(file);
      return fs != null && fs.ackedWhole;
    }
  }

  /** Retention deleted {@code file}: its stream is no longer a source. */
  void forget(Path file) {
    FileStream fs;
    synchronized (streams) {
      fs = streams.remove(file);
    }
    if (fs != null) {
      link.unregister(fs.streamId, fs);
    }
  }

  private void run() {
    while (!stopping) {
      try {
        loop();
      } catch (InterruptedException e) {
        LOG.debug("journal publisher stopped");
        return;
      } catch (IOException | RuntimeException e) {
        if (stopping) {
          return;
        }
        LOG.errorf(e, "journal publisher failed; starting over in 1 s");
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void loop() throws IOException, InterruptedException {
    {
      if (startPositions == null) {
        startPositions = new java.util.concurrent.ConcurrentHashMap<>(awaitPositions());
      }
      while (!stopping) {
        MrtJournal.Mark mark = journal.mark();
        syncFiles();
        List<FileStream> ordered;
        synchronized (streams) {
          ordered = new ArrayList<>(streams.values());
        }
        for (FileStream fs : ordered) {
          applyRewind(fs);
        }
        boolean sent = false;
        for (int i = 0; i < ordered.size() && mark != null; i++) {
          FileStream fs = ordered.get(i);
          long limit = limit(fs, mark);
          if (fs.offset >= limit) {
            continue;
          }
          if (i > 0 && !previousAcknowledged(ordered.get(i - 1))) {
            break; // state applies the journal in order: the older file first
          }
          sendOne(fs, limit);
          sent = true;
          break;
        }
        if (!sent) {
          synchronized (wakeup) {
            wakeup.wait(100);
          }
        }
      }
    }
  }

  /** Asks state for its positions until it answers (state may be down when we start). */
  private Map<String, Long> awaitPositions() throws InterruptedException {
    long tries = 0;
    while (!stopping) {
      try {
        return link.positions();
      } catch (RuntimeException e) {
        if (tries++ % 30 == 0) {
          LOG.infof(
              "journal publisher waits for state (%s); sessions go on writing the journal",
              e.getMessage());
        }
        Thread.sleep(1000);
      }
    }
    throw new InterruptedException("stopping");
  }

  /**
   * How far {@code fs} may be read: whole if closed, up to the last commit if it is the open one.
   */
  private static long limit(FileStream fs, MrtJournal.Mark mark) throws IOException {
    int c = fs.path.getFileName().compareTo(mark.file().getFileName());
    if (c < 0) {
      return Files.size(fs.path);
    }
    return c == 0 ? mark.size() : 0;
  }

  private boolean previousAcknowledged(FileStream prev) throws InterruptedException {
    long last = prev.next - 1;
    return last <= startPositions.getOrDefault(prev.streamId, 0L)
        || link.awaitAcknowledged(prev.streamId, prev.next - 1, Duration.ofMillis(200));
  }

  /** New journal files become streams: their index is read and state's position applied. */
  private void syncFiles() throws IOException {
    for (MrtJournal.JournalFile f : journal.files()) {
      synchronized (streams) {
        if (streams.containsKey(f.path())) {
          continue;
        }
      }
      FileStream fs = new FileStream(f.path());
      loadIndex(fs, f.bytes());
      long theirs = startPositions.getOrDefault(fs.streamId, 0L);
      if (theirs > fs.indexed) {
        LOG.warnf(
            "state holds %s up to batch %d but its index ends at %d: sending on after %d",
            fs.streamId, theirs, fs.indexed, fs.indexed);
        theirs = fs.indexed;
      }
      seek(fs, theirs);
      synchronized (streams) {
        streams.put(f.path(), fs);
      }
      link.register(fs.streamId, fs);
      // a file state held before this run: if state later holds less, it is re-sent too
      link.acknowledgedBefore(fs.streamId, theirs);
    }
  }

  /** Reads the index: whole 8-byte entries that lie within the file (a torn tail is cut). */
  private static void loadIndex(FileStream fs, long fileBytes) throws IOException {
    if (!Files.exists(fs.index)) {
      return;
    }
    try (FileChannel ch =
        FileChannel.open(fs.index, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long n = ch.size() / 8;
      ByteBuffer b = ByteBuffer.allocate(8);
      long good = 0;
      long end = 0;
      for (long i = 0; i < n; i++) {
        b.clear();
        ch.read(b, i * 8);
        long e = b.getLong(0);
        if (e <= end || e > fileBytes) {
          break;
        }
        end = e;
        good = i + 1;
      }
      if (ch.size() != good * 8) {
        ch.truncate(good * 8);
        ch.force(true);
      }
      fs.indexed = good;
      fs.lastEnd = end;
    }
  }

  /** End offset of batch {@code seq} (0 for 0), from the index. */
  private static long end(FileStream fs, long seq) throws IOException {
    if (seq <= 0) {
      return 0;
    }
    if (seq == fs.indexed) {
      long e = fs.lastEnd;
      if (seq == fs.indexed) {
        return e;
      }
    }
    try (FileChannel ch = FileChannel.open(fs.index, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(8);
      ch.read(b, (seq - 1) * 8);
      return b.getLong(0);
    }
  }

  private static void seek(FileStream fs, long after) throws IOException {
    fs.next = after + 1;
    fs.offset = end(fs, after);
  }

  private void applyRewind(FileStream fs) throws IOException {
    long r = fs.rewindTo;
    if (r < 0) {
      return;
    }
    fs.rewindTo = -1;
    startPositions.remove(fs.streamId); // state no longer holds what it held when we started
    long to = Math.min(r, fs.indexed);
    LOG.infof("journal: re-sending %s after batch %d (state lost what followed)", fs.streamId, to);
    seek(fs, to);
  }

  /** Cuts (or, re-sending, re-reads) batch {@code fs.next} and sends it. */
  private void sendOne(FileStream fs, long limit) throws IOException, InterruptedException {
    long seq = fs.next;
    long from = fs.offset;
    long to;
    byte[] bytes;
    int length;
    if (seq <= fs.indexed) {
      to = end(fs, seq);
      length = (int) (to - from);
      bytes = read(fs.path, from, length);
    } else {
      int window = (int) Math.min(limit - from, maxBatchRecordBytes + (long) MrtJournal.MAX_RECORD);
      bytes = read(fs.path, from, window);
      length = cut(bytes, window);
      if (length == 0) {
        throw new IOException(
            fs.path + ": no whole MRT record at offset " + from + " (of " + limit + " durable)");
      }
      to = from + length;
      appendIndex(fs, to);
    }
    BatchBuilder batch =
        new BatchBuilder(
            collector,
            fs.streamId,
            Source.newBuilder().setCollector(collector).setFeed(FeedKind.BGP).build());
    try (MrtEventReader r =
        MrtEventReader.open(
            bytes,
            0,
            length,
            fs.path + "@" + from,
            collector,
            MrtJournal.MAX_RECORD,
            (record, offset, message) -> {
              recordErrors.increment();
              LOG.warnf("%s: record at offset %d: %s", fs.path, from + offset, message);
            })) {
      while (r.next(batch)) {
        // events accumulate in the batch
      }
    }
    link.send(batch.build(seq, false));
    batchesSent.increment();
    fs.next = seq + 1;
    fs.offset = to;
  }

  /** Length of the whole records at the start of {@code b}, at most the per-batch caps. */
  private int cut(byte[] b, int n) {
    int at = 0;
    int records = 0;
    while (at + 12 <= n && records < maxRecords) {
      long len = ByteBuffer.wrap(b, at + 8, 4).getInt() & 0xffffffffL;
      if (len > MrtJournal.MAX_RECORD || at + 12 + len > n) {
        break;
      }
      if (records > 0 && at + 12 + len > maxBatchRecordBytes) {
        break;
      }
      at += 12 + (int) len;
      records++;
    }
    return at;
  }

  private static byte[] read(Path p, long from, int length) throws IOException {
    byte[] b = new byte[length];
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.wrap(b);
      while (buf.hasRemaining()) {
        if (ch.read(buf, from + buf.position()) < 0) {
          throw new IOException(p + " ends before offset " + (from + length));
        }
      }
    }
    return b;
  }

  private static void appendIndex(FileStream fs, long end) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            fs.index,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.allocate(8).putLong(0, end);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false); // the batch goes out only once its boundary is durable
    }
    fs.lastEnd = end; // before indexed: a reader of indexed finds its end
    fs.indexed++;
  }

  /**
   * The unacknowledged backlog and which files state holds whole (from the journal's commit thread,
   * every second: it must go on while the publisher waits for state).
   */
  void measure() throws IOException {
    Map<String, Long> start = startPositions;
    MrtJournal.Mark mark = journal.mark();
    List<FileStream> ordered;
    synchronized (streams) {
      ordered = new ArrayList<>(streams.values());
    }
    long bytes = 0;
    long batches = 0;
    for (FileStream fs : ordered) {
      long limit = mark == null ? 0 : limit(fs, mark);
      long acked = Math.min(link.acknowledged(fs.streamId), fs.indexed);
      if (start != null) {
        acked = Math.max(acked, Math.min(start.getOrDefault(fs.streamId, 0L), fs.indexed));
      }
      if (acked != fs.measuredAcked) {
        fs.measuredEnd = end(fs, acked);
        fs.measuredAcked = acked;
      }
      long ackedEnd = fs.measuredEnd;
      bytes += Math.max(0, limit - ackedEnd);
      batches += Math.max(0, fs.indexed - acked);
      boolean closed =
          mark != null && fs.path.getFileName().compareTo(mark.file().getFileName()) < 0;
      fs.ackedWhole = closed && ackedEnd >= limit;
    }
    backlogBytes = bytes;
    backlogBatches = batches;
  }
}
