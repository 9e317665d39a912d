package io.routewatch.collector.publish;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.AsPath;
import io.routewatch.proto.v1.Attributes;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.PathSegment;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the collector closes a batch by its bytes
 * (routewatch.collector.publish.max-batch-bytes) so it stays within state's max-message-bytes; the
 * count it closes by must be the wire size.
 */
class BatchBytesTest {
  @Test
  void countedBytesAreTheWireSize() {
    BatchBuilder b =
        new BatchBuilder(
            "rrc00",
            "rrc00/import/x",
            Source.newBuilder().setCollector("rrc00").setFeed(FeedKind.MRT_RIB).build());
    for (int i = 0; i < 5000; i++) {
      int vp =
          b.vantagePoint(
              VantagePoint.newBuilder()
                  .setPeerAddress(ByteString.copyFrom(new byte[] {10, 0, 0, (byte) (i % 40)}))
                  .setPeerAsn(64500 + i % 40)
                  .setCollector("rrc00")
                  .build());
      int path =
          b.asPath(
              AsPath.newBuilder()
                  .addSegments(PathSegment.newBuilder().addAsns(64500 + i % 40).addAsns(i % 700))
                  .build());
      int attrs =
          b.attributes(Attributes.newBuilder().setAsPathRef(path).addCommunities(i % 300).build());
      b.add(
          RouteEvent.newBuilder()
              .setKind(EventKind.RIB_ENTRY)
              .setVpRef(vp)
              .setTimestampMicros(1_438_416_000_000_000L + i)
              .setAttributesRef(attrs)
              .setPrefix(
                  Prefix.newBuilder()
                      .setAfi(Afi.IPV4)
                      .setAddress(ByteString.copyFrom(new byte[] {(byte) (i >> 8), (byte) i, 0, 0}))
                      .setLength(16))
              .build());
      if (i % 997 == 0) {
        long wire = b.build(123_456, false).getSerializedSize();
        long counted = b.bytes();
        assertTrue(
            counted >= wire && counted - wire <= 64, "counted " + counted + ", wire " + wire);
      }
    }
  }
}
