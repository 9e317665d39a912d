package io.routewatch.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.SetWatchedSpaceRequest;
import io.routewatch.state.changes.ChangeJournal;
import io.routewatch.state.changes.ReplayedChanges;
import io.routewatch.state.changes.WatchedSpaceService;
import io.routewatch.state.history.HistoryRecorder;
import io.routewatch.state.history.ShareSampleEntity;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import io.routewatch.state.snapshot.IngestImage;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The state app on a real PostgreSQL: periodic share samples in history, and the suppression of
 * changes re-derived after a restore against the real change journal.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class HistoryAndReplayTest {
  private static final long S = 1_000_000L;

  /** A multiple of the 60 s sample interval (event time far from now: no wall-clock ticks). */
  private static final long T0 = 1_600_000_020L * S;

  @Inject RoutingEngine engine;
  @Inject HistoryRecorder history;
  @Inject ChangeJournal journal;
  @Inject ReplayedChanges replayed;
  @Inject MeterRegistry registry;
  @Inject WatchedSpaceService watchedSpace;

  /**
   * Sample interval 60 s (the default): one sample per interval of event time for an origin whose
   * shares changed since its last sample; none for an unchanged, merely touched or upstream-less
   * one.
   */
  @Test
  void sharesAreSampledOncePerIntervalWhenTheyChanged() throws Exception {
    int vp = engine.vantagePoint("hist", new byte[] {10, 77, 0, 1}, 100, 1);
    long changing = 64601;
    long steady = 64602;
    long direct = 100; // announced by the peer itself: no upstream
    step(
        T0,
        () -> {
          announce(vp, "10.77.1.0/24", "100 10 64601", T0);
          announce(vp, "10.77.2.0/24", "100 20 64602", T0);
        });
    step(
        T0 + 10 * S,
        () -> announce(vp, "10.77.3.0/24", "100 30 64601", T0 + 10 * S)); // 10: 1/2, 30: 1/2
    step(
        T0 + 20 * S,
        () -> announce(vp, "10.77.4.0/24", "100 30 64601", T0 + 20 * S)); // 10: 1/3, 30: 2/3
    step(T0 + 61 * S, () -> announce(vp, "10.77.5.0/24", "100", T0 + 61 * S));
    // steady: the same upstream over another path; touched, shares unchanged
    step(T0 + 70 * S, () -> announce(vp, "10.77.2.0/24", "100 20 20 64602", T0 + 70 * S));
    step(T0 + 125 * S, () -> announce(vp, "10.77.6.0/24", "100", T0 + 125 * S));
    // changing moves again within the interval after: sampled at the next due time only
    step(T0 + 130 * S, () -> announce(vp, "10.77.1.0/24", "100 30 64601", T0 + 130 * S)); // 30: 1
    step(T0 + 170 * S, () -> announce(vp, "10.77.6.0/24", "100", T0 + 170 * S));
    step(T0 + 185 * S, () -> announce(vp, "10.77.7.0/24", "100", T0 + 185 * S));
    assertTrue(history.flush(10_000), "history not written");

    assertEquals(
        List.of(
            T0 + ": 10=1.0/1.0",
            (T0 + 61 * S) + ": 10=0.3333333333333333/0.3333333333333333",
            (T0 + 61 * S) + ": 30=0.6666666666666666/0.6666666666666666",
            (T0 + 185 * S) + ": 30=1.0/1.0"),
        samples(changing));
    assertEquals(List.of(T0 + ": 20=1.0/1.0"), samples(steady));
    assertEquals(List.of(), samples(direct));
  }

  /**
   * Two upstream changes of one origin at one event time (updates received together) leave one
   * picture in history: the last, not a merge of both (a merge drew an upstream's intermediate
   * share as lasting until the next change).
   */
  @Test
  void picturesAtOneTimeKeepTheLast() throws Exception {
    int vp = engine.vantagePoint("hist-same-time", new byte[] {10, 78, 0, 1}, 100, 1);
    int vp2 = engine.vantagePoint("hist-same-time", new byte[] {10, 78, 0, 2}, 200, 2);
    long origin = 64603;
    long t1 = T0 + 1000 * S + 7 * S; // not a multiple of the sample interval
    step(
        T0 + 1000 * S,
        () -> {
          announce(vp, "10.78.1.0/24", "100 40 64603", T0 + 1000 * S);
          announce(vp2, "10.78.1.0/24", "200 50 64603", T0 + 1000 * S);
          // both tables complete: their changes are reported from now on
          engine.endOfRib(vp, 1, T0 + 1000 * S);
          engine.endOfRib(vp2, 1, T0 + 1000 * S);
        });
    assertTrue(history.flush(10_000), "history not written");
    List<String> before = samples(origin);
    assertTrue(
        before.contains((T0 + 1000 * S) + ": 40=0.5/0.5"),
        "a picture with both upstreams first: " + before);
    step(
        t1,
        () -> {
          announce(vp2, "10.78.1.0/24", "200 40 64603", t1); // 50 gone: 40 = 1
          announce(vp, "10.78.1.0/24", "100 60 64603", t1); // 60 new: 40 = 1/2, 60 = 1/2
        });
    assertTrue(history.flush(10_000), "history not written");
    List<String> at = samples(origin).stream().filter(x -> x.startsWith(t1 + ":")).toList();
    assertEquals(List.of(t1 + ": 40=0.5/0.5", t1 + ": 60=0.5/0.5"), at);
  }

  /** Runs updates atomically (the writer's periodic check sees all or none), then the check. */
  private void step(long ts, Runnable updates) {
    engine.batch(updates);
    assertEquals(ts, engine.clockMicros());
    history.maybeSample();
  }

  private void announce(int vp, String prefix, String path, long ts) {
    engine.announce(vp, Prefix.parse(prefix), 0, AsPath.parse(path), RouteAttributes.NONE, ts);
  }

  private static List<String> samples(long origin) {
    return QuarkusTransaction.requiringNew()
        .call(() -> ShareSampleEntity.between(origin, T0 - 3600 * S, T0 + 3600 * S))
        .stream()
        .map(s -> s.timeMicros + ": " + s.upstreamAsn + "=" + s.vpShare + "/" + s.addressShare)
        .sorted()
        .collect(Collectors.toList());
  }

  private static Change.Builder change(ChangeKind kind, int asn, int upstream, long ts) {
    return Change.newBuilder()
        .setKind(kind)
        .setAsn(asn)
        .setUpstream(upstream)
        .setTimeMicros(ts)
        .setCountry("KP")
        .setShareAfter(0.5)
        .setVpCount(3)
        .addPeerAsns(174)
        .setDetail("first run");
  }

  /**
   * Journal entries after the snapshot's sequence are matched in order and suppressed; evidence may
   * differ; the first mismatch or the journal's end ends suppression; an unknown sequence (format 2
   * snapshot) suppresses nothing.
   */
  @Test
  void reDerivedChangesAreSuppressedWhileTheyMatchTheJournalInOrder() throws Exception {
    Change.Builder[] c = {
      change(ChangeKind.UPSTREAM_ADDED, 64701, 10, T0),
      change(ChangeKind.UPSTREAM_ADDED, 64701, 20, T0),
      change(ChangeKind.UPSTREAM_REMOVED, 64701, 10, T0 + S),
      change(ChangeKind.SHARE_MOVED, 64701, 20, T0 + S),
      change(ChangeKind.UPSTREAM_ADDED, 64702, 30, T0 + 2 * S),
    };
    long base = journal.lastAssigned();
    for (Change.Builder b : c) {
      journal.append(b.clone());
    }
    assertTrue(journal.awaitCommitted(base + c.length, 10_000), "journal not committed");
    double before = suppressedTotal();

    // the snapshot was taken after the first two: the other three are derived again
    replayed.arm(base + 2);
    assertTrue(replayed.active());
    // evidence recomputed after a restore may differ: still the same change
    assertTrue(
        replayed.suppress(
            c[2].clone().clearPeerAsns().setVpCount(1).setShareAfter(0).setDetail("again")));
    assertTrue(replayed.suppress(c[3]));
    // a wall-clock tick's change that came elsewhere before: published, and suppression is over
    assertFalse(replayed.suppress(change(ChangeKind.OUTAGE_OPENED, 64702, 0, T0 + 2 * S)));
    assertFalse(replayed.active());
    assertFalse(replayed.suppress(c[4]), "after the first mismatch nothing is suppressed");
    assertEquals(before + 2, suppressedTotal(), 1e-9);

    // all three again, then the journal's end: the next one, even an equal one, is new
    replayed.arm(base + 2);
    assertTrue(replayed.suppress(c[2]));
    assertTrue(replayed.suppress(c[3]));
    assertTrue(replayed.suppress(c[4]));
    assertFalse(replayed.active());
    assertFalse(replayed.suppress(c[4]));
    assertEquals(before + 5, suppressedTotal(), 1e-9);

    // out of order is a mismatch; so is the same change at another event time
    replayed.arm(base + 2);
    assertFalse(replayed.suppress(c[3]));
    assertFalse(replayed.suppress(c[2]));
    replayed.arm(base + 2);
    assertFalse(replayed.suppress(c[2].clone().setTimeMicros(T0 + 2 * S)));
    replayed.arm(base + 2);
    assertFalse(replayed.suppress(c[2].clone().setKind(ChangeKind.UPSTREAM_ADDED)));

    // nothing after the sequence, or a snapshot that did not record it: nothing to suppress
    replayed.arm(base + c.length);
    assertFalse(replayed.active());
    assertFalse(replayed.suppress(c[4]));
    replayed.arm(IngestImage.UNKNOWN_SEQUENCE);
    assertFalse(replayed.active());
    assertFalse(replayed.suppress(c[0]));
    assertEquals(before + 5, suppressedTotal(), 1e-9);
  }

  private double suppressedTotal() {
    return registry.counter("routewatch_state_changes_replay_suppressed_total").count();
  }

  /**
   * SetWatchedSpace is kept in PostgreSQL and put back by the writer at start (before the
   * snapshot), so a restarted state watches from its first batch, not from the alert service's
   * reconnect.
   */
  @Test
  void theWatchedSpaceIsSavedAndRestored() {
    io.routewatch.proto.v1.Prefix p =
        io.routewatch.proto.v1.Prefix.newBuilder()
            .setAfi(io.routewatch.proto.v1.Afi.IPV4)
            .setAddress(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 208, 65, 52}))
            .setLength(22)
            .build();
    watchedSpace.set(SetWatchedSpaceRequest.newBuilder().addPrefixes(p).addAsns(36561).build());
    engine.watch(WatchedSpace.NONE); // as a restarted engine starts
    assertEquals(0, engine.watched().prefixCount());
    assertTrue(watchedSpace.restoreSaved());
    assertEquals(1, engine.watched().prefixCount());
    assertEquals(1, engine.watched().asnCount());
    assertTrue(engine.watched().watches(Prefix.parse("208.65.53.0/24"), new int[0]));
    // a newer space replaces the saved one
    watchedSpace.set(SetWatchedSpaceRequest.newBuilder().addAsns(1).addAsns(2).build());
    engine.watch(WatchedSpace.NONE);
    assertTrue(watchedSpace.restoreSaved());
    assertEquals(0, engine.watched().prefixCount());
    assertEquals(2, engine.watched().asnCount());
    engine.watch(WatchedSpace.NONE);
  }
}
