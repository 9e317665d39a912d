package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.GetStreamPositionsRequest;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.IngestServiceGrpc;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.PublishAck;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 "state ingest limits": a greedy raw Publish client pushes 2.5 MB batches as fast as the
 * transport takes them, for 5 s, while a real collector imports an archive. State asks each stream
 * for one batch at a time within its byte budget and shares its writer by deficit round-robin over
 * bytes, so the import still completes with the reference counts (bgpdump), in a bounded multiple
 * of its time alone, and state never holds more than its global byte budget.
 */
@Tag("serial") // see e2e/pom.xml: compares import times alone and under load
class AbuseGreedyStreamIT {
  static final Path FILE = Stack.data().resolve("mrt/ripe-bgpdump/updates.et-header.2015.gz");

  /** Below state's 4 MiB max-message-bytes: the most a stream may send in one message. */
  static final int GREEDY_WITHDRAWALS = 100_000;

  static final long GLOBAL_BUDGET = 64L << 20;

  /**
   * How long the greedy client pushes: long enough to fill state's budgets many times over (it is
   * refused nothing, only paced), short enough to keep the suite inside CI's time.
   */
  static final int GREEDY_SECONDS = 5;

  @Test
  void aGreedyStreamDoesNotStarveACollector() throws Exception {
    Reference.Counts want = Reference.counts(FILE);
    try (Stack stack = new Stack(Map.of())) {
      stack.startState();
      stack.startCollector();

      GetStatsResponse s0 = stack.stats(false);
      long t0 = System.nanoTime();
      ImportJob alone = stack.importFile(FILE, "e2e-alone", Duration.ofMinutes(5));
      double aloneSec = (System.nanoTime() - t0) / 1e9;
      assertEquals(ImportState.DONE, alone.getState(), "import alone: " + alone);
      GetStatsResponse s1 = stack.stats(false);
      assertEquals(
          want.announcements(),
          s1.getAnnouncements() - s0.getAnnouncements(),
          "announcements alone");

      Greedy greedy = new Greedy(stack.channel(stack.statePort));
      Thread flood = new Thread(greedy::run, "greedy-publisher");
      flood.setDaemon(true);
      flood.start();
      AtomicLong maxInFlight = new AtomicLong();
      ImportJob underFlood;
      double floodSec;
      try {
        // the greedy stream is sending before the import starts
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (greedy.sent.get() < 3 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertTrue(greedy.sent.get() >= 3, "greedy client sent " + greedy.sent.get());
        long t1 = System.nanoTime();
        ImportJob job =
            stack
                .imports()
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .startImport(
                    io.routewatch.proto.v1.StartImportRequest.newBuilder()
                        .setPath(FILE.toString())
                        .setCollector("e2e-flood")
                        .build());
        deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        underFlood = awaitWhileSampling(stack, job.getId(), maxInFlight, deadline);
        floodSec = (System.nanoTime() - t1) / 1e9;
      } finally {
        greedy.stop();
        flood.join(60_000);
      }
      assertEquals(ImportState.DONE, underFlood.getState(), "import under flood: " + underFlood);
      greedy.awaitEnd(Duration.ofSeconds(120));
      // state applies what the greedy stream had queued when it half-closed: wait, then count it
      long quietBy = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (Metrics.sum(Metrics.scrape(stack.statePort), "routewatch_state_ingest_queue_batches")
              > 0
          && System.nanoTime() < quietBy) {
        Thread.sleep(200);
      }
      long greedyApplied = 0;
      for (var p :
          IngestServiceGrpc.newBlockingStub(stack.channel(stack.statePort))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getStreamPositions(
                  GetStreamPositionsRequest.newBuilder().setCollector("greedy").build())
              .getPositionsList()) {
        greedyApplied += p.getSequence();
      }
      long greedyWithdrawals = greedyApplied * GREEDY_WITHDRAWALS;
      GetStatsResponse s2 = stack.stats(false);
      System.out.printf(
          "import of %s (%,d announcements): alone %.1f s, under a greedy stream %.1f s (%.1fx);"
              + " greedy applied %d batches of %,d bytes (%,d withdrawals applied); most bytes state"
              + " held: %,d (global budget %,d)%n",
          FILE.getFileName(),
          want.announcements(),
          aloneSec,
          floodSec,
          floodSec / aloneSec,
          greedyApplied,
          greedy.batchBytes,
          greedyWithdrawals,
          maxInFlight.get(),
          GLOBAL_BUDGET);
      assertEquals(
          want.announcements(),
          s2.getAnnouncements() - s1.getAnnouncements(),
          "announcements under flood");
      assertEquals(
          want.ribEntries(), s2.getRibEntries() - s1.getRibEntries(), "RIB entries under flood");
      assertEquals(
          want.withdrawals(),
          s2.getWithdrawals() - s1.getWithdrawals() - greedyWithdrawals,
          "withdrawals under flood (the greedy stream's own withdrawals taken out)");
      assertTrue(greedy.sent.get() >= 3, "the greedy stream was served too: " + greedy.sent.get());
      assertTrue(maxInFlight.get() <= GLOBAL_BUDGET, "bytes in flight " + maxInFlight.get());
      // the writer is shared by bytes: the import is slowed by at most the greedy stream's seconds
      // of
      // batches (which cost the writer more time per byte than the archive's), never stopped
      assertTrue(floodSec < 4 * aloneSec + 60, "import under flood took " + floodSec + " s");
    }
  }

  static ImportJob awaitWhileSampling(Stack stack, String id, AtomicLong maxInFlight, long deadline)
      throws Exception {
    while (true) {
      String m = Metrics.scrape(stack.statePort);
      maxInFlight.accumulateAndGet(
          (long) Metrics.sum(m, "routewatch_state_ingest_bytes_in_flight"), Math::max);
      ImportJob job =
          stack
              .imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getImport(io.routewatch.proto.v1.GetImportRequest.newBuilder().setId(id).build());
      if (job.getState() == ImportState.DONE
          || job.getState() == ImportState.FAILED
          || System.nanoTime() > deadline) {
        return job;
      }
      Thread.sleep(200);
    }
  }

  /**
   * A raw Publish client that sends valid, sequential 2 MiB batches (withdrawals of prefixes its
   * made-up VP never announced) whenever the transport is ready, never waiting for acks: as greedy
   * as a client can be without buffering without bound itself. Bounded by count and time.
   */
  static final class Greedy {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong withdrawalsApplied = new AtomicLong();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    final int batchBytes;
    private final ManagedChannel channel;
    private volatile boolean stop;
    private volatile ClientCallStreamObserver<RouteEventBatch> out;

    Greedy(ManagedChannel channel) {
      this.channel = channel;
      this.batchBytes = batch(1).getSerializedSize();
    }

    static RouteEventBatch batch(long seq) {
      RouteEventBatch.Builder b =
          RouteEventBatch.newBuilder()
              .setCollector("greedy")
              .setStreamId("greedy/flood")
              .setSequence(seq)
              .setSource(Source.newBuilder().setCollector("greedy").setFeed(FeedKind.BGP))
              .addVantagePoints(
                  VantagePoint.newBuilder()
                      .setPeerAddress(ByteString.copyFrom(new byte[] {10, 66, 0, 1}))
                      .setPeerAsn(64666)
                      .setCollector("greedy"));
      long ts = System.currentTimeMillis() * 1000;
      for (int i = 0; i < GREEDY_WITHDRAWALS; i++) {
        b.addEvents(
            RouteEvent.newBuilder()
                .setKind(EventKind.WITHDRAW)
                .setVpRef(0)
                .setTimestampMicros(ts)
                .setPrefix(
                    Prefix.newBuilder()
                        .setAfi(Afi.IPV4)
                        .setAddress(
                            ByteString.copyFrom(
                                new byte[] {100, (byte) (i >> 16), (byte) (i >> 8), (byte) i}))
                        .setLength(32)));
      }
      return b.build();
    }

    void run() {
      IngestServiceGrpc.newStub(channel)
          .publish(
              new ClientResponseObserver<RouteEventBatch, PublishAck>() {
                public void beforeStart(ClientCallStreamObserver<RouteEventBatch> requests) {
                  out = requests;
                }

                public void onNext(PublishAck a) {
                  withdrawalsApplied.addAndGet(a.getEventsApplied());
                }

                public void onError(Throwable t) {
                  end.complete(Status.fromThrowable(t));
                }

                public void onCompleted() {
                  end.complete(Status.OK);
                }
              });
      long deadline = System.nanoTime() + Duration.ofSeconds(GREEDY_SECONDS).toNanos();
      try {
        // bounded: 2,000 batches or GREEDY_SECONDS at most (or until the import is done)
        for (long seq = 1;
            seq <= 2000 && !stop && !end.isDone() && System.nanoTime() < deadline; ) {
          if (out.isReady()) {
            out.onNext(batch(seq++));
            sent.incrementAndGet();
          } else {
            Thread.sleep(1);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.onCompleted();
    }

    void stop() {
      stop = true;
    }

    /** Waits for state to apply what was sent and end the stream; the withdrawals it applied. */
    long awaitEnd(Duration timeout) throws Exception {
      Status s = end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertEquals(Status.Code.OK, s.getCode(), "greedy stream ended: " + s);
      return withdrawalsApplied.get();
    }
  }
}
