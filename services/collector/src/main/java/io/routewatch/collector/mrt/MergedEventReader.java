package io.routewatch.collector.mrt;

import io.routewatch.collector.publish.BatchBuilder;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several collectors' MRT files read as one input, record by record in time order: each collector
 * is a lane whose files are read one after the other (they follow each other in time), and the next
 * record taken is the earliest of the lanes' next ones (ties: the lane given first). At most one
 * file per lane is open. The order depends only on the files, so reading them again yields the same
 * events in the same order (and the same batches).
 */
final class MergedEventReader implements ImportSource {
  private final String label;
  private final FeedKind feed;
  private final int maxRecordBytes;
  private final MrtEventReader.ErrorSink errors;
  private final List<Lane> lanes = new ArrayList<>();
  private long closedRecords;
  private long closedBytes;
  private long closedOversized;
  private long lastTs;

  private final class Lane {
    final String collector;
    final List<Path> files;
    int next;
    MrtEventReader reader;

    Lane(String collector, List<Path> files) {
      this.collector = collector;
      this.files = files;
    }

    /** The lane's reader with a record read ahead, opening its next files as needed; or null. */
    MrtEventReader ready(BatchBuilder b) {
      while (true) {
        if (reader == null) {
          if (next >= files.size()) {
            return null;
          }
          Path p = files.get(next++);
          String name = p.getFileName().toString();
          reader =
              MrtEventReader.open(
                  p,
                  collector,
                  maxRecordBytes,
                  (rec, off, msg) -> errors.error(rec, off, name + ": " + msg));
        }
        if (reader.peek()) {
          return reader;
        }
        reader.finish(b); // a RIB file's dumps end with their file
        closedRecords += reader.records();
        closedBytes += reader.bytesRead();
        closedOversized += reader.oversizedRecords();
        reader.close();
        reader = null;
      }
    }
  }

  /**
   * @param lanes collector name → its files in time order (iteration order breaks ties)
   * @param label the collector names the batches' source carries
   */
  MergedEventReader(
      Map<String, List<Path>> lanes,
      String label,
      FeedKind feed,
      int maxRecordBytes,
      MrtEventReader.ErrorSink errors) {
    this.label = label;
    this.feed = feed;
    this.maxRecordBytes = maxRecordBytes;
    this.errors = errors;
    lanes.forEach((c, files) -> this.lanes.add(new Lane(c, List.copyOf(files))));
  }

  @Override
  public boolean next(BatchBuilder b) {
    MrtEventReader best = null;
    long bestTs = Long.MAX_VALUE;
    for (Lane lane : lanes) {
      MrtEventReader r = lane.ready(b);
      if (r != null) {
        long ts = r.peekTimestampMicros();
        if (best == null || ts < bestTs) {
          best = r;
          bestTs = ts;
        }
      }
    }
    if (best == null) {
      return false;
    }
    best.takePeeked(b);
    if (bestTs > 0) {
      lastTs = bestTs;
    }
    return true;
  }

  @Override
  public BatchBuilder newBatch(String instance, String streamId) {
    return new BatchBuilder(
        instance, streamId, Source.newBuilder().setCollector(label).setFeed(feed).build());
  }

  @Override
  public long records() {
    long n = closedRecords;
    for (Lane l : lanes) {
      if (l.reader != null) {
        n += l.reader.records();
      }
    }
    return n;
  }

  @Override
  public long bytesRead() {
    long n = closedBytes;
    for (Lane l : lanes) {
      if (l.reader != null) {
        n += l.reader.bytesRead();
      }
    }
    return n;
  }

  @Override
  public long lastTimestampMicros() {
    return lastTs;
  }

  @Override
  public long oversizedRecords() {
    long n = closedOversized;
    for (Lane l : lanes) {
      if (l.reader != null) {
        n += l.reader.oversizedRecords();
      }
    }
    return n;
  }

  @Override
  public void close() {
    for (Lane l : lanes) {
      if (l.reader != null) {
        l.reader.close();
        l.reader = null;
      }
    }
  }
}
