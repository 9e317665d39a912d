package io.routewatch.state.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.pg.LocalPostgres;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.state.history.HistoryRecorder;
import io.routewatch.state.history.UpstreamEpisodeEntity;
import io.routewatch.state.rib.ChangeEvent;
import io.routewatch.state.rib.RoutingEngine;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 "PostgreSQL outage bounded": history rows are bounded like the change journal. With
 * history max-pending=50 and the real PostgreSQL stopped, 60 unwritten rows make the ingest writer
 * stop applying (and so acknowledging and requesting) batches; once PostgreSQL is back every row is
 * written, none dropped, and the held batch is applied.
 */
@QuarkusTest
@TestProfile(HistoryBackpressureTest.SmallHistory.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class HistoryBackpressureTest {
  public static class SmallHistory implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("routewatch.state.history.max-pending", "50");
    }
  }

  static final long ORIGIN = 4_200_000_000L;

  @Inject HistoryRecorder history;
  @Inject RoutingEngine engine;
  @Inject IngestPipeline pipeline;
  @Inject MeterRegistry registry;

  double gauge(String name) {
    return registry.find(name).gauge().value();
  }

  /** An upstream seen for the first time: an episode row and a share sample row. */
  static ChangeEvent upstreamAdded(long origin, long ts) {
    return new ChangeEvent(
        ChangeEvent.Type.UPSTREAM_ADDED,
        ChangeEvent.Scope.ORIGIN,
        ts,
        origin,
        null,
        "192.0.2.0/24",
        64999,
        0,
        1,
        Double.NaN,
        1,
        new long[0],
        null,
        new long[0],
        new long[0],
        null);
  }

  static long episodes() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                UpstreamEpisodeEntity.count(
                    "originAsn >= ?1 and originAsn < ?2", ORIGIN, ORIGIN + 1000));
  }

  @Test
  void ingestWaitsForTheHistoryWhilePostgresIsDown() throws Exception {
    CompletableFuture<IngestPipeline.Result> first = new CompletableFuture<>();
    pipeline.submit(JournalBackpressureTest.peerUp(1), first::complete);
    assertEquals(1, first.get(10, TimeUnit.SECONDS).eventsApplied());
    assertTrue(history.flush(10_000));

    LocalPostgres pg = PostgresTestResource.current();
    pg.stopServer();
    CompletableFuture<IngestPipeline.Result> held = new CompletableFuture<>();
    try {
      long ts = System.currentTimeMillis() * 1000;
      // as the engine's listener does: on the engine's lock
      engine.batch(
          () -> {
            for (int i = 0; i < 30; i++) {
              history.record(upstreamAdded(ORIGIN + i, ts));
            }
          });
      assertEquals(60, history.pending(), "60 rows held while PostgreSQL is down");
      assertTrue(history.full());
      assertEquals(60.0, gauge("routewatch_state_history_pending"));
      assertEquals(50.0, gauge("routewatch_state_history_pending_limit"));
      pipeline.submit(JournalBackpressureTest.peerUp(2), held::complete);
      try {
        held.get(3, TimeUnit.SECONDS);
        throw new AssertionError(
            "a batch was applied with the history at its limit: " + held.get());
      } catch (TimeoutException expected) {
        // paused: no answer, the collector's window keeps the batch
      }
      assertEquals(1.0, gauge("routewatch_state_ingest_paused"));
      assertEquals(
          1, pipeline.positions("journal-test").get("journal-live"), "batch 2 not applied");
      System.out.printf(
          "PostgreSQL down: history pending %.0f (limit %.0f), ingest paused %.0f%n",
          gauge("routewatch_state_history_pending"),
          gauge("routewatch_state_history_pending_limit"),
          gauge("routewatch_state_ingest_paused"));
    } finally {
      pg.restart();
    }
    // back: the rows are written (retry backoff at most 5 s), ingest resumes
    IngestPipeline.Result r = held.get(60, TimeUnit.SECONDS);
    assertEquals(null, r.error());
    assertEquals(2, r.position());
    assertTrue(history.flush(30_000));
    assertEquals(0, history.pending());
    assertEquals(30, episodes(), "every episode written, none dropped");
    assertEquals(0.0, gauge("routewatch_state_ingest_paused"));
    assertFalse(history.full());
  }
}
