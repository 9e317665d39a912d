package io.routewatch.collector.publish;

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
 * inside the batch are sent once and referenced by index (compact on the wire).
 */
public final class BatchBuilder {
  private final RouteEventBatch.Builder batch = RouteEventBatch.newBuilder();
  private final Map<VantagePoint, Integer> vps = new HashMap<>();
  private final Map<AsPath, Integer> paths = new HashMap<>();
  private final Map<Attributes, Integer> attrs = new HashMap<>();

  public BatchBuilder(String collector, String streamId, Source source) {
    batch.setCollector(collector).setStreamId(streamId).setSource(source);
  }

  public int vantagePoint(VantagePoint vp) {
    return vps.computeIfAbsent(
        vp,
        k -> {
          batch.addVantagePoints(k);
          return batch.getVantagePointsCount() - 1;
        });
  }

  public int asPath(AsPath path) {
    return paths.computeIfAbsent(
        path,
        k -> {
          batch.addAsPaths(k);
          return batch.getAsPathsCount() - 1;
        });
  }

  /** Interns an attribute set whose {@code as_path_ref} already points into this batch. */
  public int attributes(Attributes a) {
    return attrs.computeIfAbsent(
        a,
        k -> {
          batch.addAttributes(k);
          return batch.getAttributesCount() - 1;
        });
  }

  public void add(RouteEvent e) {
    batch.addEvents(e);
  }

  public int size() {
    return batch.getEventsCount();
  }

  public RouteEventBatch build(long sequence, boolean endOfStream) {
    return batch.setSequence(sequence).setEndOfStream(endOfStream).build();
  }
}
