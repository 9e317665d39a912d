package io.routewatch.state.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.pg.LocalPostgres;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import io.routewatch.state.changes.ChangeJournal;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the change journal's memory is bounded during a PostgreSQL outage. With max-pending=100
 * and the real PostgreSQL stopped, 100 unwritten changes make the ingest writer stop applying (and
 * so acknowledging) batches; once PostgreSQL is back the journal drains, every change is committed,
 * and the held batch is applied.
 */
@QuarkusTest
@TestProfile(JournalBackpressureTest.SmallJournal.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class JournalBackpressureTest {
  public static class SmallJournal implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("routewatch.state.journal.max-pending", "100");
    }
  }

  @Inject ChangeJournal journal;
  @Inject IngestPipeline pipeline;
  @Inject MeterRegistry registry;

  static RouteEventBatch peerUp(long seq) {
    return RouteEventBatch.newBuilder()
        .setCollector("journal-test")
        .setStreamId("journal-live")
        .setSequence(seq)
        .setSource(Source.newBuilder().setCollector("journal-test").setFeed(FeedKind.BGP))
        .addVantagePoints(
            VantagePoint.newBuilder()
                .setPeerAddress(ByteString.copyFrom(new byte[] {10, 97, 0, 1}))
                .setPeerAsn(64900)
                .setCollector("journal-test"))
        .addEvents(
            RouteEvent.newBuilder()
                .setKind(EventKind.PEER_UP)
                .setVpRef(0)
                .setTimestampMicros(System.currentTimeMillis() * 1000))
        .build();
  }

  double gauge(String name) {
    return registry.find(name).gauge().value();
  }

  @Test
  void ingestWaitsForTheJournalWhilePostgresIsDown() throws Exception {
    long committedBefore = journal.lastSequence();
    // a batch while all is well: applied at once
    CompletableFuture<IngestPipeline.Result> first = new CompletableFuture<>();
    pipeline.submit(peerUp(1), first::complete);
    assertEquals(1, first.get(10, TimeUnit.SECONDS).eventsApplied());

    LocalPostgres pg = PostgresTestResource.current();
    pg.stopServer();
    CompletableFuture<IngestPipeline.Result> held = new CompletableFuture<>();
    long assigned;
    try {
      for (int i = 0; i < 100; i++) {
        journal.append(
            Change.newBuilder()
                .setKind(ChangeKind.UPSTREAM_ADDED)
                .setAsn(64900)
                .setTimeMicros(System.currentTimeMillis() * 1000));
      }
      assigned = journal.lastAssigned();
      assertEquals(100, journal.pending(), "nothing written while PostgreSQL is down");
      assertEquals(100.0, gauge("routewatch_state_journal_pending"));
      assertEquals(100.0, gauge("routewatch_state_journal_pending_limit"));
      pipeline.submit(peerUp(2), held::complete);
      // held, not refused: no answer at all, so the collector's window keeps the batch
      try {
        held.get(3, TimeUnit.SECONDS);
        throw new AssertionError(
            "a batch was applied with the journal at its limit: "
                + held.get()
                + " pending "
                + journal.pending()
                + " committed "
                + journal.lastSequence()
                + " assigned "
                + journal.lastAssigned());
      } catch (TimeoutException expected) {
        // paused
      }
      assertEquals(1.0, gauge("routewatch_state_ingest_paused"));
      assertEquals(
          1, pipeline.positions("journal-test").get("journal-live"), "batch 2 not applied");
    } finally {
      pg.restart();
    }
    // PostgreSQL back: the journal drains (retry backoff at most 5 s), ingest resumes
    IngestPipeline.Result r = held.get(60, TimeUnit.SECONDS);
    assertEquals(null, r.error());
    assertEquals(2, r.position());
    assertTrue(journal.awaitCommitted(assigned, 10_000), "every change committed, none dropped");
    assertEquals(committedBefore + 100, journal.lastSequence());
    assertEquals(100, journal.read(committedBefore, 500).size());
    assertEquals(0, journal.pending());
    assertEquals(0.0, gauge("routewatch_state_ingest_paused"));
    assertFalse(journal.full());
  }
}
