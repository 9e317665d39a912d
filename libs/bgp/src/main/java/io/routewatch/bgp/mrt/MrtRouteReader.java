package io.routewatch.bgp.mrt;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streaming route records over an MRT file: {@link MrtReader} framing + {@link MrtRouteDecoder}.
 *
 * <p>Two ways to consume: {@link #readAll(RouteRecordSink)} / {@link #next(RouteRecordSink)} push
 * records into a callback with no intermediate lists (the fast path), or iterate ({@code for
 * (RouteRecord r : reader)}), which buffers the records of one MRT record at a time.
 *
 * <p>Errors follow the {@link MrtReader} mode. LENIENT: an undecodable record is skipped and
 * reported ({@link DecodeProblem.Outcome#SKIPPED_RECORD}), a dropped RIB entry is reported as
 * {@link DecodeProblem.Outcome#PARTIAL} (so is an UPDATE whose MP NLRI could not be read, RFC 7606
 * AFI/SAFI disable), a known nonconforming record decoded after a repair as {@link
 * DecodeProblem.Outcome#REPAIRED}, damaged framing stops the stream ({@link
 * DecodeProblem.Outcome#STOPPED}); all in {@link #problems()} with record number and byte offset.
 * STRICT: the first of these throws the located {@link DecodeException}.
 */
public final class MrtRouteReader
    implements Iterator<RouteRecord>, Iterable<RouteRecord>, Closeable {
  private final MrtReader records;
  private final MrtRouteDecoder decoder = new MrtRouteDecoder();
  private final ArrayDeque<RouteRecord> pending = new ArrayDeque<>();
  private long routes;

  public MrtRouteReader(MrtReader records) {
    this.records = records;
  }

  /** Opens a plain, gzip or bzip2 MRT file. */
  public static MrtRouteReader open(Path file, MrtReader.Mode mode) throws IOException {
    return new MrtRouteReader(MrtReader.open(file, mode));
  }

  /** Wraps a stream of any supported compression (detected from its first bytes). */
  public static MrtRouteReader open(InputStream raw, String source, MrtReader.Mode mode)
      throws IOException {
    return new MrtRouteReader(MrtReader.open(raw, source, mode));
  }

  /**
   * As {@link #open(InputStream, String, MrtReader.Mode)}, refusing records longer than
   * maxRecordBytes.
   */
  public static MrtRouteReader open(
      InputStream raw, String source, MrtReader.Mode mode, int maxRecordBytes) throws IOException {
    return new MrtRouteReader(MrtReader.open(raw, source, mode, maxRecordBytes));
  }

  /**
   * Decodes the next MRT record into sink (zero or more route records, or a peer index table).
   * Returns false at the end of the stream.
   */
  public boolean next(RouteRecordSink sink) {
    if (!records.hasNext()) return false;
    MrtRecord r = records.next();
    try {
      decoder.decode(r, sink, (e, outcome) -> records.report(r, e, outcome));
    } catch (DecodeException e) {
      records.report(r, e, DecodeProblem.Outcome.SKIPPED_RECORD);
    }
    return true;
  }

  /** Streams every remaining record into sink; returns the number of route records delivered. */
  public long readAll(RouteRecordSink sink) {
    long before = routes;
    RouteRecordSink counting =
        new RouteRecordSink() {
          @Override
          public void route(RouteRecord record) {
            routes++;
            sink.route(record);
          }

          @Override
          public void peerIndex(PeerIndexTable table) {
            sink.peerIndex(table);
          }
        };
    while (next(counting)) {
      // all work happens in the sink
    }
    return routes - before;
  }

  /** The latest TABLE_DUMP_V2 PEER_INDEX_TABLE (collector BGP id, view, peers), or null. */
  public PeerIndexTable peerIndex() {
    return decoder.peerIndex();
  }

  /** The underlying record reader (record count, offset, mode). */
  public MrtReader records() {
    return records;
  }

  /** Problems so far, each with source, record number, byte offset and what was done. */
  public List<DecodeProblem> problems() {
    return records.problems();
  }

  @Override
  public Iterator<RouteRecord> iterator() {
    return this;
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty()) {
      if (!next(pending::add)) return false;
    }
    return true;
  }

  @Override
  public RouteRecord next() {
    if (!hasNext()) throw new NoSuchElementException();
    routes++;
    return pending.poll();
  }

  @Override
  public void close() {
    records.close();
  }
}
