package io.routewatch.state.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.AsPath;
import io.routewatch.proto.v1.Attributes;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.PathSegment;
import io.routewatch.proto.v1.PathSegmentType;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import io.routewatch.state.rib.RoutingEngine;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, clock poisoning: one event stamped in 2106 among live ones. Through the real ingest
 * pipeline (writer thread) of the app on a real PostgreSQL: the live events apply, the 2106 one is
 * rejected and counted under reason="future_time", the engine clock stays at wall time, and the
 * VP's 5-minute settle deadline does not fire. An archive event from 2015 still applies (only the
 * future is bounded).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class FutureEventClockTest {
  private static final long S = 1_000_000L;

  /** 2106-01-01T00:00:00Z: past the 32-bit unsigned seconds of an MRT header. */
  private static final long Y2106 = Instant.parse("2106-01-01T00:00:00Z").getEpochSecond() * S;

  @Inject IngestPipeline pipeline;
  @Inject RoutingEngine engine;
  @Inject MeterRegistry registry;

  static Prefix v4(int a, int b, int c) {
    return Prefix.newBuilder()
        .setAfi(Afi.IPV4)
        .setAddress(ByteString.copyFrom(new byte[] {(byte) a, (byte) b, (byte) c}))
        .setLength(24)
        .build();
  }

  static RouteEvent announce(Prefix p, long ts) {
    return RouteEvent.newBuilder()
        .setKind(EventKind.ANNOUNCE)
        .setVpRef(0)
        .setTimestampMicros(ts)
        .setPrefix(p)
        .setAttributesRef(0)
        .build();
  }

  static RouteEventBatch.Builder batch(String stream, long seq, FeedKind feed, byte lastOctet) {
    return RouteEventBatch.newBuilder()
        .setCollector("clock-test")
        .setStreamId(stream)
        .setSequence(seq)
        .setSource(Source.newBuilder().setCollector("clock-test").setFeed(feed))
        .addVantagePoints(
            VantagePoint.newBuilder()
                .setPeerAddress(ByteString.copyFrom(new byte[] {10, 98, 0, lastOctet}))
                .setPeerAsn(64700 + lastOctet)
                .setCollector("clock-test"))
        .addAsPaths(
            AsPath.newBuilder()
                .addSegments(
                    PathSegment.newBuilder()
                        .setType(PathSegmentType.AS_SEQUENCE)
                        .addAsns(64700 + lastOctet)
                        .addAsns(4837)
                        .addAsns(131279)))
        .addAttributes(
            Attributes.newBuilder()
                .setAsPathRef(0)
                .setNextHop(ByteString.copyFrom(new byte[] {10, 98, 0, lastOctet})));
  }

  IngestPipeline.Result submit(RouteEventBatch b) throws Exception {
    CompletableFuture<IngestPipeline.Result> done = new CompletableFuture<>();
    pipeline.submit(b, done::complete);
    IngestPipeline.Result r = done.get(10, TimeUnit.SECONDS);
    assertEquals(null, r.error(), "batch refused: " + r.error());
    return r;
  }

  double futureRejected() {
    return registry
        .find("routewatch_state_events_rejected_total")
        .tag("reason", "future_time")
        .counter()
        .count();
  }

  boolean held(int a, int b, int c) {
    return !engine
        .prefix(io.routewatch.state.route.Prefix.parse(a + "." + b + "." + c + ".0/24"))
        .isEmpty();
  }

  @Test
  void anEventFrom2106IsRejectedAndTheClockAndDeadlinesStay() throws Exception {
    double before = futureRejected();
    long now = System.currentTimeMillis() * 1000;
    RouteEventBatch live =
        batch("clock-live", 1, FeedKind.BGP, (byte) 1)
            .addEvents(
                RouteEvent.newBuilder()
                    .setKind(EventKind.PEER_UP)
                    .setVpRef(0)
                    .setTimestampMicros(now - 10 * S))
            .addEvents(announce(v4(10, 99, 1), now - 9 * S))
            .addEvents(announce(v4(10, 99, 2), Y2106))
            .addEvents(announce(v4(10, 99, 3), now - 8 * S))
            .build();
    IngestPipeline.Result r = submit(live);
    assertEquals(3, r.eventsApplied(), "the three live events apply, the 2106 one does not");
    assertEquals(before + 1, futureRejected(), "counted as future_time");
    assertTrue(held(10, 99, 1) && held(10, 99, 3), "live routes held");
    assertTrue(!held(10, 99, 2), "the 2106 route is not in the RIB");

    long clock = engine.stats().clockMicros();
    long wall = System.currentTimeMillis() * 1000;
    assertTrue(
        clock <= wall + S,
        "engine clock " + Instant.ofEpochSecond(clock / S) + " beyond wall time");
    assertTrue(clock >= now - 8 * S, "engine clock follows the live events");
    // peer up at now-10s: LOADING until End-of-RIB or its 5 min settle deadline, which a clock
    // in 2106 would have passed at once
    assertEquals(1, engine.stats().loadingVantagePoints(), "the VP's settle deadline did not fire");

    // later live events are not "old": a withdrawal a second later applies
    RouteEventBatch later =
        batch("clock-live", 2, FeedKind.BGP, (byte) 1)
            .addEvents(
                RouteEvent.newBuilder()
                    .setKind(EventKind.WITHDRAW)
                    .setVpRef(0)
                    .setTimestampMicros(System.currentTimeMillis() * 1000)
                    .setPrefix(v4(10, 99, 1)))
            .build();
    assertEquals(1, submit(later).eventsApplied());
    assertTrue(!held(10, 99, 1), "withdrawn");

    // an archive from 2015 is old, not wrong: it applies
    long y2015 = Instant.parse("2015-10-23T08:00:00Z").getEpochSecond() * S;
    RouteEventBatch archive =
        batch("clock-archive", 1, FeedKind.MRT_UPDATES, (byte) 2)
            .addEvents(announce(v4(10, 99, 4), y2015))
            .build();
    assertEquals(1, submit(archive).eventsApplied());
    assertTrue(held(10, 99, 4), "2015 archive route held");
    assertEquals(before + 1, futureRejected());
    assertTrue(engine.stats().clockMicros() <= System.currentTimeMillis() * 1000 + S);
  }
}
