package io.routewatch.collector.publish;

import com.google.protobuf.CodedOutputStream;
import io.routewatch.proto.v1.AsPath;
import io.routewatch.proto.v1.Attributes;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds one {@link RouteEventBatch}: vantage points, AS paths and attribute sets that repeat
 * inside the batch are sent once and referenced by index (compact on the wire). It counts the bytes
 * the batch will take on the wire, so senders close it before {@code
 * routewatch.collector.publish.max-batch-bytes} (state refuses messages beyond its {@code
 * routewatch.state.ingest.max-message-bytes}).
 */
public final class BatchBuilder {
  private final RouteEventBatch.Builder batch = RouteEventBatch.newBuilder();
  private final Map<VantagePoint, Integer> vps = new HashMap<>();
  private final Map<AsPath, Integer> paths = new HashMap<>();
  private final Map<Attributes, Integer> attrs = new HashMap<>();

  /** Serialized size of the repeated fields so far (the header is added by {@link #bytes}). */
  private long bytes;

  public BatchBuilder(String collector, String streamId, Source source) {
    batch.setCollector(collector).setStreamId(streamId).setSource(source);
  }

  /** A length-delimited field of {@code n} bytes: tag, length varint, body. */
  private static int field(int n) {
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
  }

  /**
   * The batch's size on the wire so far (within the few bytes of sequence and end-of-stream flag),
   * without serializing it.
   */
  public long bytes() {
    return bytes
        + batch.getCollector().length()
        + batch.getStreamId().length()
        + batch.getSource().getSerializedSize()
        + 32;
  }

  public int vantagePoint(VantagePoint vp) {
    return vps.computeIfAbsent(
        vp,
        k -> {
          batch.addVantagePoints(k);
          bytes += field(k.getSerializedSize());
          return batch.getVantagePointsCount() - 1;
        });
  }

  public int asPath(AsPath path) {
    return paths.computeIfAbsent(
        path,
        k -> {
          batch.addAsPaths(k);
          bytes += field(k.getSerializedSize());
          return batch.getAsPathsCount() - 1;
        });
  }

  /** Interns an attribute set whose {@code as_path_ref} already points into this batch. */
  public int attributes(Attributes a) {
    return attrs.computeIfAbsent(
        a,
        k -> {
          batch.addAttributes(k);
          bytes += field(k.getSerializedSize());
          return batch.getAttributesCount() - 1;
        });
  }

  public void add(RouteEvent e) {
    batch.addEvents(e);
    bytes += field(e.getSerializedSize());
  }

  public int size() {
    return batch.getEventsCount();
  }

  public RouteEventBatch build(long sequence, boolean endOfStream) {
    return batch.setSequence(sequence).setEndOfStream(endOfStream).build();
  }
}
