package io.routewatch.collector.journal;

import io.routewatch.bgp.mrt.Bgp4mpEndpoints;
import io.routewatch.bgp.mrt.MrtWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A collector's live journal: every BGP message and session state change, appended as received to
 * MRT files ({@code BGP4MP_ET}, RFC 6396 / 8050; see {@link MrtWriter}) that rotate every {@code
 * interval} and are named like RouteViews' ({@code updates.YYYYMMDD.HHMM}, the UTC start of the
 * interval the records' times fall in), made durable in group commits: appends only encode into
 * memory, {@link #commit} writes what has accumulated and fsyncs it once, and {@link #durable} says
 * up to which record everything is on disk — what may be acknowledged upstream.
 *
 * <p>A record is filed by its own time; one earlier than the open file's interval (a clock step
 * back) goes into the open file, never into a closed one. On open, the newest file's tail is
 * checked record by record and a torn last record (a crash between write and fsync) is cut off, so
 * appending continues on a file every MRT reader reads to its end.
 *
 * <p>Thread-safe: any thread appends; one commit runs at a time.
 */
public final class MrtJournal implements AutoCloseable {
  /** RouteViews' update file name: {@code updates.20171001.0815}. */
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("'updates.'yyyyMMdd.HHmm").withZone(ZoneOffset.UTC);

  /** Largest MRT record the journal writes (a 65,535-byte message plus the BGP4MP fields). */
  static final int MAX_RECORD = 12 + 4 + 44 + MrtWriter.MAX_MESSAGE;

  private final Path dir;
  private final long intervalMicros;
  private final Object appendLock = new Object();
  private final Object commitLock = new Object();

  /** Appended, not yet handed to a commit: one segment per interval. */
  private List<Segment> pending = new ArrayList<>();

  private long appended;
  private long pendingBytes;
  private volatile long durable;

  /** The file the last commit wrote to and its size after that commit's fsync (null: none yet). */
  private volatile Mark mark;

  /**
   * How far the journal is on disk: every file before {@code file} (by name) is complete and
   * fsync'd, and {@code file} is, up to {@code size} bytes.
   */
  public record Mark(Path file, long size) {}

  private long slot = Long.MIN_VALUE; // interval of the newest segment (append side)

  // commit side (under commitLock)
  private FileChannel file;
  private long fileSlot = Long.MIN_VALUE;
  private Path filePath;

  private static final class Segment {
    final long slot;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    final MrtWriter writer = new MrtWriter(bytes);
    long lastRecord;

    Segment(long slot) {
      this.slot = slot;
    }
  }

  /** What is on disk: one journal file. */
  public record JournalFile(Path path, Instant intervalStart, long bytes) {}

  /**
   * @param dir the collector's journal directory (created)
   * @param interval rotation interval, a whole number of minutes (the file names have no seconds:
   *     two intervals in one minute would share a file); RouteViews and RIS use 15 and 5 minutes
   */
  public MrtJournal(Path dir, Duration interval) throws IOException {
    if (interval.toSeconds() < 60 || interval.toNanos() % 60_000_000_000L != 0) {
      throw new IllegalArgumentException(
          "routewatch.collector.journal.interval must be a whole number of minutes (file names"
              + " are updates.YYYYMMDD.HHMM): "
              + interval);
    }
    this.dir = Files.createDirectories(dir);
    this.intervalMicros = interval.toNanos() / 1000;
    List<JournalFile> files = files();
    if (!files.isEmpty()) {
      // the newest file stays open for appending: records of its interval (or, after a clock step
      // back, earlier) continue it
      JournalFile newest = files.get(files.size() - 1);
      repairTail(newest.path());
      long micros = newest.intervalStart().getEpochSecond() * 1_000_000;
      slot = Math.floorDiv(micros, intervalMicros);
      fileSlot = slot;
      mark = new Mark(newest.path(), Files.size(newest.path()));
    }
  }

  /**
   * Appends one BGP message of {@code session} (see {@link MrtWriter#message}); returns its record
   * number in this journal's run (1, 2, …), the number {@link #durable} reaches once it is on disk.
   */
  public long message(
      long timeMicros,
      Bgp4mpEndpoints session,
      boolean as4,
      boolean addPath,
      byte[] message,
      int offset,
      int length)
      throws IOException {
    synchronized (appendLock) {
      Segment s = segment(timeMicros);
      int before = s.bytes.size();
      s.writer.message(timeMicros, session, as4, addPath, message, offset, length);
      return added(s, before);
    }
  }

  /** Appends one FSM transition of {@code session} (see {@link MrtWriter#stateChange}). */
  public long stateChange(long timeMicros, Bgp4mpEndpoints session, int oldState, int newState)
      throws IOException {
    synchronized (appendLock) {
      Segment s = segment(timeMicros);
      int before = s.bytes.size();
      s.writer.stateChange(timeMicros, session, oldState, newState);
      return added(s, before);
    }
  }

  private long added(Segment s, int before) {
    pendingBytes += s.bytes.size() - before;
    s.lastRecord = ++appended;
    return appended;
  }

  private Segment segment(long timeMicros) {
    long t = Math.floorDiv(timeMicros, intervalMicros);
    if (t > slot) {
      slot = t;
    }
    if (pending.isEmpty() || pending.get(pending.size() - 1).slot != slot) {
      pending.add(new Segment(slot));
    }
    return pending.get(pending.size() - 1);
  }

  /** Records appended in this run. */
  public long appended() {
    synchronized (appendLock) {
      return appended;
    }
  }

  /** Bytes appended and not yet written by a commit. */
  public long pendingBytes() {
    synchronized (appendLock) {
      return pendingBytes;
    }
  }

  /** Every record up to this number is written and fsync'd. */
  public long durable() {
    return durable;
  }

  /**
   * Writes everything appended so far to its files and fsyncs them (one fsync per file touched);
   * returns the record number now durable. Appends go on meanwhile into the next group.
   */
  public long commit() throws IOException {
    synchronized (commitLock) {
      List<Segment> group;
      synchronized (appendLock) {
        if (pending.isEmpty()) {
          return durable;
        }
        group = pending;
        pending = new ArrayList<>();
        pendingBytes = 0;
      }
      long last = durable;
      for (Segment s : group) {
        if (s.slot > fileSlot || file == null) {
          if (file != null) {
            file.force(false);
            file.close();
          }
          fileSlot = Math.max(fileSlot, s.slot);
          filePath =
              dir.resolve(
                  NAME.format(Instant.ofEpochSecond(fileSlot * intervalMicros / 1_000_000)));
          file =
              FileChannel.open(
                  filePath,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND);
        }
        ByteBuffer b = ByteBuffer.wrap(s.bytes.toByteArray());
        while (b.hasRemaining()) {
          file.write(b);
        }
        last = Math.max(last, s.lastRecord);
      }
      file.force(false);
      mark = new Mark(filePath, file.size());
      durable = last;
      synchronized (this) {
        notifyAll();
      }
      return last;
    }
  }

  /** What is durable on disk (null before the first commit of a new journal). */
  public Mark mark() {
    return mark;
  }

  /** Waits until record {@code record} is durable; false if {@code timeout} passed first. */
  public boolean awaitDurable(long record, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (durable < record) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  /** The journal's files, oldest first. */
  public List<JournalFile> files() throws IOException {
    List<JournalFile> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        if (!n.matches("updates\\.\\d{8}\\.\\d{4}")) {
          continue;
        }
        Instant start = Instant.from(NAME.parse(n)); // the name's own format, in UTC
        out.add(new JournalFile(p, start, Files.size(p)));
      }
    }
    return out;
  }

  /**
   * Cuts a torn last record off {@code p}: walks the MRT common headers (12 bytes, the length at
   * 8..11) and truncates after the last record that is there in full. Returns the bytes cut.
   */
  static long repairTail(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long at = 0;
      ByteBuffer header = ByteBuffer.allocate(12);
      while (at + 12 <= size) {
        header.clear();
        ch.read(header, at);
        long length = Integer.toUnsignedLong(header.getInt(8));
        if (length > MAX_RECORD || at + 12 + length > size) {
          break;
        }
        at += 12 + length;
      }
      if (at < size) {
        ch.truncate(at);
        ch.force(true);
        return size - at;
      }
      return 0;
    }
  }

  /** Commits what is pending and closes the open file. */
  @Override
  public void close() throws IOException {
    commit();
    synchronized (commitLock) {
      if (file != null) {
        file.close();
        file = null;
      }
    }
  }
}
