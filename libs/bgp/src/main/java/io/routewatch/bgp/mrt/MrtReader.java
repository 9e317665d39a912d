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
 * Streaming MRT framing (RFC 6396 §2): an iterator of {@link MrtRecord}s in constant memory
 * (one record at a time) over plain, gzip or bzip2 input.
 *
 * <p>Framing errors cannot be skipped (there is no resynchronisation marker in MRT), so a
 * truncated header, a record running past the end of the data or a damaged compressed stream end
 * the iteration: every complete record before it is returned first. In {@link Mode#LENIENT} the
 * reason lands in {@link #problems()}; in {@link Mode#STRICT} {@link #next()} / {@link #hasNext()}
 * throw the located {@link DecodeException}. Record-level decode errors found by consumers are
 * reported through {@link #report} so that one list tells the whole story of a file.
 */
public final class MrtReader implements Iterator<MrtRecord>, Iterable<MrtRecord>, Closeable {
  /** Error policy. */
  public enum Mode { LENIENT, STRICT }

  /** Records longer than this are read in growing steps so a corrupt length cannot exhaust memory. */
  private static final int EAGER_LIMIT = 1 << 20;

  private final InputStream in;
  private final String source;
  private final Mode mode;
  private final List<DecodeProblem> problems = new ArrayList<>();
  private final byte[] header = new byte[16];
  private long offset;
  private long count;
  private long skipped;
  private MrtRecord next;
  private boolean finished;

  public MrtReader(InputStream decompressed, String source, Mode mode) {
    this.in = decompressed;
    this.source = source;
    this.mode = mode;
  }

  /** Opens a file of any supported compression. */
  public static MrtReader open(Path file, Mode mode) throws IOException {
    return new MrtReader(MrtInput.open(file), file.toString(), mode);
  }

  /** Wraps a stream of any supported compression (detected from its first bytes). */
  public static MrtReader open(InputStream raw, String source, Mode mode) throws IOException {
    return new MrtReader(MrtInput.open(raw, source), source, mode);
  }

  public String source() { return source; }
  public Mode mode() { return mode; }
  /** Records framed so far. */
  public long recordCount() { return count; }
  /** Records a consumer reported as skipped. */
  public long skippedCount() { return skipped; }
  /** Bytes of decompressed input consumed so far. */
  public long offset() { return offset; }
  public List<DecodeProblem> problems() { return List.copyOf(problems); }

  /**
   * Records a decode error a consumer met in record r. Lenient: counted, kept, returns normally.
   * Strict: throws the error, located in the stream.
   */
  public void report(MrtRecord r, DecodeException e, DecodeProblem.Outcome outcome) {
    DecodeException located = e.recordNumber() >= 0 ? e : e.locate(r.recordNumber(), r.bodyOffset());
    if (mode == Mode.STRICT) throw located;
    if (outcome == DecodeProblem.Outcome.SKIPPED_RECORD) skipped++;
    problems.add(new DecodeProblem(source, r.recordNumber(), located.byteOffset(), e.what(), outcome));
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
      if (type == MrtType.BGP4MP_ET) {
        // RFC 6396 §3: the microsecond field is counted in the length.
        if (length < 4) return stop(start, "BGP4MP_ET record length " + length + " < 4 (RFC 6396 §3)");
        int m = readFully(header, 12, 4);
        if (m < 4) return stop(start, "truncated BGP4MP_ET header");
        micros = io.routewatch.bgp.wire.ByteReader.getInt(header, 12);
        length -= 4;
      }
      if (length > Integer.MAX_VALUE - 16) return stop(start, "MRT record length " + length + " too large");
      byte[] body = readBody((int) length);
      if (body == null) {
        return stop(start, "truncated MRT record " + MrtType.name(type, subtype) + ": declared " + length
            + " body bytes, stream ended after " + (offset - start - (type == MrtType.BGP4MP_ET ? 16 : 12)));
      }
      count++;
      return new MrtRecord(count, start, ts, micros, type, subtype, body);
    } catch (IOException e) {
      return stop(offset, "input stream failed: " + e.getMessage());
    }
  }

  private byte[] readBody(int length) throws IOException {
    if (length <= EAGER_LIMIT) {
      byte[] body = new byte[length];
      return readFully(body, 0, length) == length ? body : null;
    }
    byte[] body = new byte[EAGER_LIMIT];
    int have = 0;
    while (have < length) {
      if (have == body.length) body = Arrays.copyOf(body, (int) Math.min(length, (long) body.length * 2));
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
