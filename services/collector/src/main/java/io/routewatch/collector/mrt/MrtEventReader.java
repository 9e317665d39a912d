package io.routewatch.collector.mrt;

import com.google.protobuf.ByteString;
import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.mrt.MrtPeer;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRouteReader;
import io.routewatch.bgp.mrt.PeerIndexTable;
import io.routewatch.bgp.mrt.RouteRecord;
import io.routewatch.bgp.mrt.RouteRecordSink;
import io.routewatch.collector.publish.BatchBuilder;
import io.routewatch.collector.publish.EventMapper;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an MRT archive with the codec (lenient: bad records are skipped and reported with record
 * number and offset) and turns each record into route events.
 *
 * <p>A table dump is bracketed per VP: RIB_DUMP_BEGIN before its first entry, RIB_DUMP_END for
 * every VP of the dump at the end of the file (or when a new PEER_INDEX_TABLE starts another dump),
 * so state replaces each VP's table with the dump's content.
 */
public final class MrtEventReader implements ImportSource, RouteRecordSink {
  /** Called for every problem the codec reported (skipped record, partly decoded record). */
  public interface ErrorSink {
    void error(long record, long offset, String message);
  }

  private final MrtRouteReader reader;
  private final CountingInputStream counting;
  private final String collector;
  private final ErrorSink errors;
  private final Map<MrtPeer, VantagePoint> vps = new IdentityHashMap<>();

  /** VPs whose dump is open (BEGIN sent, END not yet), in order of appearance. */
  private final Map<MrtPeer, Long> dumping = new LinkedHashMap<>();

  private int problemsSeen;
  private boolean rib;
  private boolean endsSent;
  private long lastTs;
  private BatchBuilder batch;
  private EventMapper mapper;

  private MrtEventReader(
      MrtRouteReader reader, CountingInputStream counting, String collector, ErrorSink errors) {
    this.reader = reader;
    this.counting = counting;
    this.collector = collector;
    this.errors = errors;
  }

  /**
   * @param maxRecordBytes longest record accepted (routewatch.collector.mrt.max-record-bytes): the
   *     codec checks a record's declared length before it allocates for it
   */
  static MrtEventReader open(Path path, String collector, int maxRecordBytes, ErrorSink errors) {
    try {
      CountingInputStream in = new CountingInputStream(Files.newInputStream(path));
      MrtRouteReader r =
          MrtRouteReader.open(in, path.toString(), MrtReader.Mode.LENIENT, maxRecordBytes);
      return new MrtEventReader(r, in, collector, errors);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads MRT records held in memory ({@code bytes[offset, offset + length)}, whole records: a
   * slice of the live journal); {@code name} is what errors name.
   */
  public static MrtEventReader open(
      byte[] bytes,
      int offset,
      int length,
      String name,
      String collector,
      int maxRecordBytes,
      ErrorSink errors) {
    CountingInputStream in =
        new CountingInputStream(new java.io.ByteArrayInputStream(bytes, offset, length));
    try {
      MrtRouteReader r = MrtRouteReader.open(in, name, MrtReader.Mode.LENIENT, maxRecordBytes);
      return new MrtEventReader(r, in, collector, errors);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param instance this collector instance's name (RouteEventBatch.collector): state files the
   *     stream under it, and GetStreamPositions(instance) after a state restart must find it
   */
  @Override
  public BatchBuilder newBatch(String instance, String streamId) {
    return new BatchBuilder(
        instance,
        streamId,
        Source.newBuilder()
            .setCollector(collector)
            .setFeed(rib ? FeedKind.MRT_RIB : FeedKind.MRT_UPDATES)
            .build());
  }

  /** A record read ahead for a merge (routes and peer tables, in order); empty: none. */
  private final java.util.ArrayList<Object> pending = new java.util.ArrayList<>();

  private boolean pendingEof;

  private final RouteRecordSink ahead =
      new RouteRecordSink() {
        @Override
        public void peerIndex(PeerIndexTable table) {
          pending.add(table);
        }

        @Override
        public void route(RouteRecord r) {
          pending.add(r);
        }
      };

  /**
   * Reads ahead to the next record that yields something (a merge compares its time with other
   * files' before taking it); false at end of file.
   */
  boolean peek() {
    while (pending.isEmpty() && !pendingEof) {
      if (!reader.next(ahead)) {
        pendingEof = true;
      }
      reportProblems();
    }
    return !pending.isEmpty();
  }

  /** Time of the record read ahead (µs): its first route's, or 0 for a peer table alone. */
  long peekTimestampMicros() {
    for (Object o : pending) {
      if (o instanceof RouteRecord r) {
        return r.timestamp() * 1_000_000L + r.microseconds();
      }
    }
    return 0;
  }

  /** Adds the events of the record read ahead to {@code b}. */
  void takePeeked(BatchBuilder b) {
    use(b);
    for (Object o : pending) {
      if (o instanceof RouteRecord r) {
        route(r);
      } else {
        peerIndex((PeerIndexTable) o);
      }
    }
    pending.clear();
  }

  /** At the end of a merged file: the RIB_DUMP_END of each dump still open, into {@code b}. */
  void finish(BatchBuilder b) {
    use(b);
    if (!endsSent) {
      endsSent = true;
      closeDumps();
    }
  }

  private void use(BatchBuilder b) {
    if (batch != b) {
      batch = b;
      mapper = new EventMapper(b);
    }
  }

  /** Adds the events of the next record to {@code b}; false at end of file. */
  @Override
  public boolean next(BatchBuilder b) {
    if (batch != b) {
      batch = b;
      mapper = new EventMapper(b);
    }
    boolean more = reader.next(this);
    reportProblems();
    if (more) {
      return true;
    }
    if (!endsSent) {
      endsSent = true;
      closeDumps();
      return !dumpingWasEmpty;
    }
    return false;
  }

  private boolean dumpingWasEmpty = true;

  @Override
  public void peerIndex(PeerIndexTable table) {
    closeDumps(); // a new table dump starts
  }

  @Override
  public void route(RouteRecord r) {
    long ts = r.timestamp() * 1_000_000L + r.microseconds();
    lastTs = ts;
    int vp = batch.vantagePoint(vp(r.peer()));
    RouteEvent.Builder e = RouteEvent.newBuilder().setVpRef(vp).setTimestampMicros(ts);
    switch (r.kind()) {
      case RIB_ENTRY -> {
        rib = true;
        if (!dumping.containsKey(r.peer())) {
          dumping.put(r.peer(), ts);
          dumpingWasEmpty = false;
          batch.add(
              RouteEvent.newBuilder()
                  .setKind(EventKind.RIB_DUMP_BEGIN)
                  .setVpRef(vp)
                  .setTimestampMicros(ts)
                  .build());
        }
        route(e.setKind(EventKind.RIB_ENTRY), r);
      }
      case ANNOUNCE -> route(e.setKind(EventKind.ANNOUNCE), r);
      case WITHDRAW -> {
        e.setKind(EventKind.WITHDRAW)
            .setPrefix(EventMapper.prefix(r.prefix()))
            .setPathId(pathId(r));
        batch.add(e.build());
      }
      case STATE ->
          batch.add(
              e.setKind(EventKind.PEER_STATE)
                  .setOldState(r.oldState())
                  .setNewState(r.newState())
                  .build());
      case END_OF_RIB ->
          batch.add(
              e.setKind(EventKind.END_OF_RIB).setAfi(r.afi() == 2 ? Afi.IPV6 : Afi.IPV4).build());
    }
  }

  private void route(RouteEvent.Builder e, RouteRecord r) {
    e.setPrefix(EventMapper.prefix(r.prefix()))
        .setPathId(pathId(r))
        .setAttributesRef(mapper.attributes(r.attributes()));
    batch.add(e.build());
  }

  private static int pathId(RouteRecord r) {
    return r.nlri().hasPathId() ? (int) r.pathId() : 0;
  }

  private void closeDumps() {
    for (Map.Entry<MrtPeer, Long> d : dumping.entrySet()) {
      int vp = batch.vantagePoint(vp(d.getKey()));
      batch.add(
          RouteEvent.newBuilder()
              .setKind(EventKind.RIB_DUMP_END)
              .setVpRef(vp)
              .setTimestampMicros(Math.max(lastTs, d.getValue()))
              .build());
    }
    dumping.clear();
  }

  private VantagePoint vp(MrtPeer p) {
    return vps.computeIfAbsent(
        p,
        k ->
            VantagePoint.newBuilder()
                .setCollector(collector)
                .setPeerAddress(ByteString.copyFrom(k.address()))
                .setPeerAsn((int) k.asn())
                .setPeerBgpId(k.hasBgpId() ? (int) k.bgpId() : 0)
                .build());
  }

  private long checkedAt;

  /** New codec problems go to the error sink; checked every 256 records and at the end. */
  private void reportProblems() {
    MrtReader rec = reader.records();
    long n = rec.recordCount();
    if (n - checkedAt < 256 && rec.hasNext()) {
      return;
    }
    checkedAt = n;
    List<DecodeProblem> all = rec.problems();
    for (int i = problemsSeen; i < all.size(); i++) {
      DecodeProblem p = all.get(i);
      errors.error(p.recordNumber(), p.byteOffset(), p.what() + " (" + p.outcome() + ")");
    }
    problemsSeen = all.size();
  }

  @Override
  public long records() {
    return reader.records().recordCount();
  }

  /** Records refused for a declared length beyond the limit (the read stopped there). */
  @Override
  public long oversizedRecords() {
    return reader.records().oversizedRecords();
  }

  @Override
  public long bytesRead() {
    return counting.count;
  }

  @Override
  public long lastTimestampMicros() {
    return lastTs;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (RuntimeException e) {
      // closing a half-read compressed stream may complain; nothing is lost
    }
  }

  /** Counts compressed bytes consumed, for progress and ETA. */
  static final class CountingInputStream extends FilterInputStream {
    volatile long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
