package io.routewatch.state.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.IngestServiceGrpc;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.PublishAck;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 "state ingest limits" over real gRPC (state on a real PostgreSQL), with small limits: a
 * message beyond max-message-bytes is refused (RESOURCE_EXHAUSTED) before it is read; one stream
 * beyond max-streams is refused naming the key; a client pushing as fast as it can never makes
 * state hold more than the stream and global byte budgets, and every batch it sent is applied once.
 */
@QuarkusTest
@TestProfile(IngestLimitsTest.SmallLimits.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class IngestLimitsTest {
  static final int MAX_MESSAGE = 64 * 1024;
  static final long STREAM_BUDGET = 128 * 1024;
  static final long GLOBAL_BUDGET = 256 * 1024;

  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "routewatch.state.ingest.max-message-bytes", Integer.toString(MAX_MESSAGE),
          "routewatch.state.ingest.stream-budget-bytes", Long.toString(STREAM_BUDGET),
          "routewatch.state.ingest.global-budget-bytes", Long.toString(GLOBAL_BUDGET),
          "routewatch.state.ingest.max-streams", "2");
    }
  }

  @TestHTTPResource("/")
  URL base;

  @Inject IngestPipeline pipeline;
  @Inject MeterRegistry registry;

  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() throws InterruptedException {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    channels.clear();
  }

  /** A batch of {@code withdrawals} WITHDRAW events (about 20 bytes each) of one VP. */
  static RouteEventBatch batch(String stream, long seq, int withdrawals) {
    RouteEventBatch.Builder b =
        RouteEventBatch.newBuilder()
            .setCollector("limits-test")
            .setStreamId(stream)
            .setSequence(seq)
            .setSource(
                Source.newBuilder().setCollector("limits-test").setFeed(FeedKind.MRT_UPDATES))
            .addVantagePoints(
                VantagePoint.newBuilder()
                    .setPeerAddress(ByteString.copyFrom(new byte[] {10, 98, 0, 1}))
                    .setPeerAsn(64901)
                    .setCollector("limits-test"));
    long ts = 1_700_000_000_000_000L + seq;
    for (int i = 0; i < withdrawals; i++) {
      b.addEvents(
          RouteEvent.newBuilder()
              .setKind(EventKind.WITHDRAW)
              .setVpRef(0)
              .setTimestampMicros(ts)
              .setPrefix(
                  Prefix.newBuilder()
                      .setAfi(Afi.IPV4)
                      .setAddress(
                          ByteString.copyFrom(new byte[] {10, (byte) (i >> 8), (byte) i, 0}))
                      .setLength(24)));
    }
    return b.build();
  }

  /** A raw publish stream: acks and the end, as they come. */
  final class Client {
    final LinkedBlockingQueue<PublishAck> acks = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    final StreamObserver<RouteEventBatch> requests;

    Client() {
      ManagedChannel ch =
          ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
      channels.add(ch);
      requests =
          IngestServiceGrpc.newStub(ch)
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .publish(
                  new StreamObserver<>() {
                    public void onNext(PublishAck a) {
                      acks.add(a);
                    }

                    public void onError(Throwable t) {
                      end.complete(Status.fromThrowable(t));
                    }

                    public void onCompleted() {
                      end.complete(Status.OK);
                    }
                  });
    }
  }

  @Test
  void aMessageBeyondMaxMessageBytesIsRefusedWithAClearStatus() throws Exception {
    RouteEventBatch big = batch("limits-big", 1, 5000); // ~100 KiB
    assertTrue(big.getSerializedSize() > MAX_MESSAGE, "size " + big.getSerializedSize());
    Client c = new Client();
    c.requests.onNext(big);
    Status s = c.end.get(20, TimeUnit.SECONDS);
    System.out.printf(
        "%d-byte batch against a %d-byte limit: %s (oversize counter %.0f)%n",
        big.getSerializedSize(),
        MAX_MESSAGE,
        s,
        registry.counter("routewatch_state_ingest_oversize_messages_total").count());
    // refused by the transport (Vert.x gRPC) from the length prefix, before the body is read; it
    // sends the code without a description: the collector's log names the likely cause
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode(), s.toString());
    assertEquals(
        0, pipeline.positions("limits-test").getOrDefault("limits-big", 0L), "nothing applied");

    // a batch within the limit on a new stream is applied
    Client ok = new Client();
    ok.requests.onNext(batch("limits-big", 1, 100));
    PublishAck a = ok.acks.poll(20, TimeUnit.SECONDS);
    assertNotNull(a, "no ack for a batch within the limit");
    assertEquals(1, a.getSequence());
    ok.requests.onCompleted();
    assertEquals(Status.Code.OK, ok.end.get(20, TimeUnit.SECONDS).getCode());
  }

  @Test
  void oneStreamBeyondMaxStreamsIsRefusedNamingTheKey() throws Exception {
    double refusedBefore =
        registry.counter("routewatch_state_ingest_streams_refused_total").count();
    Client a = new Client();
    Client b = new Client();
    a.requests.onNext(batch("limits-a", 1, 10));
    b.requests.onNext(batch("limits-b", 1, 10));
    assertNotNull(a.acks.poll(20, TimeUnit.SECONDS));
    assertNotNull(b.acks.poll(20, TimeUnit.SECONDS));
    Client third = new Client();
    third.requests.onNext(batch("limits-c", 1, 10));
    Status s = third.end.get(20, TimeUnit.SECONDS);
    System.out.println("3rd stream with max-streams 2: " + s);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode());
    assertTrue(
        s.getDescription().contains("routewatch.state.ingest.max-streams"), s.getDescription());
    assertEquals(
        refusedBefore + 1,
        registry.counter("routewatch_state_ingest_streams_refused_total").count());

    // one ends: its place is free again
    a.requests.onCompleted();
    assertEquals(Status.Code.OK, a.end.get(20, TimeUnit.SECONDS).getCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    PublishAck ack = null;
    while (ack == null && System.nanoTime() < deadline) {
      Client again = new Client();
      again.requests.onNext(batch("limits-c", 1, 10));
      ack = again.acks.poll(2, TimeUnit.SECONDS);
    }
    assertNotNull(ack, "no place after a stream ended");
    b.requests.onCompleted();
  }

  @Test
  void aFloodingClientStaysWithinTheBudgets() throws Exception {
    // ~40 KiB batches sent without waiting for acks: state asks for them as budgets allow
    int n = 300;
    Client c = new Client();
    AtomicLong maxInFlight = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                maxInFlight.accumulateAndGet(pipeline.bytesInFlight(), Math::max);
                Thread.onSpinWait();
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    try {
      for (int i = 1; i <= n; i++) {
        c.requests.onNext(batch("limits-flood", i, 2000));
      }
      for (int i = 1; i <= n; i++) {
        PublishAck a = c.acks.poll(30, TimeUnit.SECONDS);
        assertNotNull(a, "ack " + i + " missing");
        assertEquals(i, a.getSequence());
        assertEquals(false, a.getDuplicate());
      }
    } finally {
      sampler.interrupt();
    }
    System.out.printf(
        "%d batches of %d bytes in %.1f s; most bytes state held: %d (stream budget %d, global %d)%n",
        n,
        batch("x", 1, 2000).getSerializedSize(),
        (System.nanoTime() - t0) / 1e9,
        maxInFlight.get(),
        STREAM_BUDGET,
        GLOBAL_BUDGET);
    // the flooding stream alone: its budget (reservations of the other tests' ended streams are
    // gone)
    assertTrue(maxInFlight.get() <= STREAM_BUDGET + MAX_MESSAGE, "held " + maxInFlight.get());
    assertTrue(maxInFlight.get() > 0);
    assertEquals(n, pipeline.positions("limits-test").get("limits-flood"));
    c.requests.onCompleted();
    c.end.get(20, TimeUnit.SECONDS);
  }
}
