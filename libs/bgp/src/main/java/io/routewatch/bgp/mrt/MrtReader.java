package io.routewatch.bgp.mrt;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.error.Rfc7606Action;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streaming MRT framing (RFC 6396 §2): an iterator of {@link MrtRecord}s in constant memory (one
 * record at a time) over plain, gzip or bzip2 input.
 *
 * <p>Framing errors cannot be skipped (there is no resynchronisation marker in MRT), so a truncated
 * header, a record running past the end of the data or a damaged compressed stream end the
 * iteration: every complete record before it is returned first. In {@link Mode#LENIENT} the reason
 * lands in {@link #problems()}; in {@link Mode#STRICT} {@link #next()} / {@link #hasNext()} throw
 * the located {@link DecodeException}. Record-level decode errors found by consumers are reported
 * through {@link #report} so that one list tells the whole story of a file.
 *
 * <p>A record whose header declares a body longer than {@link #maxRecordBytes()} stops the stream
 * before anything is allocated for it (counted in {@link #oversizedRecords()}): without the bound a
 * small gzip file of a header declaring ~4 GiB followed by zeros would make the reader allocate and
 * fill the whole declared length.
 *
 * <p>Framing errors never quote the bytes they could not frame (declared length, type code of an
 * unknown type): a file that is not MRT at all must not have its first bytes echoed in an error a
 * user of the import API can read. They say what was wrong and where (record number, offset).
 */
public final class MrtReader implements Iterator<MrtRecord>, Iterable<MrtRecord>, Closeable {
  /** Error policy. */
  public enum Mode {
    LENIENT,
    STRICT
  }

  /**
   * Records longer than this are read in growing steps so a corrupt length cannot exhaust memory.
   */
  private static final int EAGER_LIMIT = 1 << 20;

  /**
   * Default {@link #maxRecordBytes()}: 16 MiB. RFC 4271 §4.1 caps a BGP message at 4096 bytes (RFC
   * 8654 extended messages: 65535), so BGP4MP records stay below 64 KiB plus their peer header;
   * only a TABLE_DUMP_V2 RIB record (one prefix, an entry per peer; RFC 6396 §4.3.2) grows with the
   * peer count. The largest record in the shared corpus is 69,700 bytes
   * (bview.64k_stream_overflow); a full-table RIB record of ~1000 peers with 200-byte attribute
   * sets is ~200 KiB, 80× below this.
   */
  public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;

  private final InputStream in;
  private final String source;
  private final Mode mode;
  private final int maxRecordBytes;
  private final List<DecodeProblem> problems = new ArrayList<>();
  private final byte[] header = new byte[16];
  private long offset;
  private long count;
  private long skipped;
  private long oversized;
  private MrtRecord next;
  private boolean finished;

  public MrtReader(InputStream decompressed, String source, Mode mode) {
    this(decompressed, source, mode, DEFAULT_MAX_RECORD_BYTES);
  }

  /**
   * @param maxRecordBytes longest record body accepted (after the common header); a longer declared
   *     length stops the stream as a framing error, before any allocation
   */
  public MrtReader(InputStream decompressed, String source, Mode mode, int maxRecordBytes) {
    if (maxRecordBytes < 0 || maxRecordBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxRecordBytes must be 0.." + (Integer.MAX_VALUE - 16));
    }
    this.in = decompressed;
    this.source = source;
    this.mode = mode;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Opens a file of any supported compression. */
  public static MrtReader open(Path file, Mode mode) throws IOException {
    return new MrtReader(MrtInput.open(file), file.toString(), mode);
  }

  /** Wraps a stream of any supported compression (detected from its first bytes). */
  public static MrtReader open(InputStream raw, String source, Mode mode) throws IOException {
    return open(raw, source, mode, DEFAULT_MAX_RECORD_BYTES);
  }

  /** As {@link #open(InputStream, String, Mode)} with a bound on the record length. */
  public static MrtReader open(InputStream raw, String source, Mode mode, int maxRecordBytes)
      throws IOException {
    return new MrtReader(MrtInput.open(raw, source), source, mode, maxRecordBytes);
  }

  public String source() {
    return source;
  }

  public Mode mode() {
    return mode;
  }

  /** Records framed so far. */
  public long recordCount() {
    return count;
  }

  /** Longest record body accepted. */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  /**
   * Records refused because their declared length was beyond {@link #maxRecordBytes()} (0 or 1).
   */
  public long oversizedRecords() {
    return oversized;
  }

  /** Records a consumer reported as skipped. */
  public long skippedCount() {
    return skipped;
  }

  /** Bytes of decompressed input consumed so far. */
  public long offset() {
    return offset;
  }

  public List<DecodeProblem> problems() {
    return List.copyOf(problems);
  }

  /**
   * Records a decode error a consumer met in record r. Lenient: counted, kept, returns normally.
   * Strict: throws the error, located in the stream.
   */
  public void report(MrtRecord r, DecodeException e, DecodeProblem.Outcome outcome) {
    DecodeException located =
        e.recordNumber() >= 0 ? e : e.locate(r.recordNumber(), r.bodyOffset());
    if (mode == Mode.STRICT) throw located;
    if (outcome == DecodeProblem.Outcome.SKIPPED_RECORD) skipped++;
    problems.add(
        new DecodeProblem(source, r.recordNumber(), located.byteOffset(), e.what(), outcome));
  }

  @Override
  public Iterator<MrtRecord> iterator() {
    return this;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !finished) next = readRecord();
    return next != null;
  }

  @Override
  public MrtRecord next() {
    if (!hasNext()) throw new NoSuchElementException();
    MrtRecord r = next;
    next = null;
    return r;
  }

  private MrtRecord readRecord() {
    long start = offset;
    try {
      int n = readFully(header, 0, 12);
      if (n == 0) return end();
      if (n < 12) return stop(start, "truncated MRT header: " + n + " of 12 bytes (RFC 6396 §2)");
      long ts = Integer.toUnsignedLong(io.routewatch.bgp.wire.ByteReader.getInt(header, 0));
      int type = io.routewatch.bgp.wire.ByteReader.getShort(header, 4);
      int subtype = io.routewatch.bgp.wire.ByteReader.getShort(header, 6);
      long length = Integer.toUnsignedLong(io.routewatch.bgp.wire.ByteReader.getInt(header, 8));
      int micros = 0;
      int headerLength = 12;
      if (type == MrtType.BGP4MP_ET) {
        // RFC 6396 §3: the microsecond field is counted in the length.
        if (length < 4)
          return stop(start, "BGP4MP_ET record shorter than its microsecond field (RFC 6396 §3)");
        int m = readFully(header, 12, 4);
        if (m < 4) return stop(start, "truncated BGP4MP_ET header");
        micros = io.routewatch.bgp.wire.ByteReader.getInt(header, 12);
        length -= 4;
        headerLength = 16;
      }
      // Checked before anything is allocated or read. The declared length itself is not quoted:
      // for a file that is not MRT it is the file's bytes 8-11.
      if (length > maxRecordBytes) {
        oversized++;
        return stop(
            start,
            "not an MRT record header, or a record longer than the limit (declared body length beyond "
                + maxRecordBytes
                + " bytes; RFC 6396 §2)");
      }
      byte[] body = readBody((int) length);
      if (body == null) {
        return stop(
            start,
            "truncated "
                + describe(type)
                + ": the stream ended "
                + (offset - start - headerLength)
                + " bytes into its body (RFC 6396 §2)");
      }
      count++;
      return new MrtRecord(count, start, ts, micros, type, subtype, body);
    } catch (IOException e) {
      return stop(offset, "input stream failed: " + e.getMessage());
    }
  }

  /**
   * A record's type for an error text: its name when RFC 6396 defines it, never an undefined code.
   */
  private static String describe(int type) {
    return MrtType.isDefined(type)
        ? "MRT " + MrtType.name(type) + " record"
        : "MRT record of an undefined type";
  }

  private byte[] readBody(int length) throws IOException {
    if (length <= EAGER_LIMIT) {
      byte[] body = new byte[length];
      return readFully(body, 0, length) == length ? body : null;
    }
    byte[] body = new byte[EAGER_LIMIT];
    int have = 0;
    while (have < length) {
      if (have == body.length)
        body = Arrays.copyOf(body, (int) Math.min(length, (long) body.length * 2));
      int n = readFully(body, have, body.length - have);
      have += n;
      if (n == 0 || have < body.length) break;
    }
    return have == length ? body : null;
  }

  private int readFully(byte[] b, int off, int len) throws IOException {
    int n = 0;
    while (n < len) {
      int r = in.read(b, off + n, len - n);
      if (r < 0) break;
      n += r;
    }
    offset += n;
    return n;
  }

  private MrtRecord end() {
    finished = true;
    return null;
  }

  private MrtRecord stop(long at, String what) {
    finished = true;
    if (mode == Mode.STRICT) {
      throw new DecodeException(what, count + 1, at, header, Rfc7606Action.NONE);
    }
    problems.add(new DecodeProblem(source, count + 1, at, what, DecodeProblem.Outcome.STOPPED));
    return null;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
