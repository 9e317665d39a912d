package io.routewatch.alert.pipeline;

import static io.routewatch.alert.support.Changes.upstream;
import static io.routewatch.alert.support.StateQueryServer.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.alert.link.StateSubscription;
import io.routewatch.alert.rule.Target;
import io.routewatch.alert.support.AlertmanagerProcess;
import io.routewatch.alert.support.AlertmanagerTestResource;
import io.routewatch.alert.support.Changes;
import io.routewatch.alert.support.ManualClock;
import io.routewatch.alert.support.StateQueryServer;
import io.routewatch.alert.support.StateQueryTestResource;
import io.routewatch.alert.support.Waits;
import io.routewatch.alert.watch.WatchEntry;
import io.routewatch.alert.watch.WatchService;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Cold start: a watched network's view is seeded from state's GetUpstreams on first sight — when
 * the watch entry is added, periodically while state knows nothing of it yet, and when its first
 * change arrives — so that state's current upstreams are the baseline and the rules evaluate from
 * it. State here is a gRPC server on loopback answering from what each test puts in; PostgreSQL and
 * Alertmanager are real. Each test watches its own network.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AlertmanagerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StateQueryTestResource.class, restrictToAnnotatedClass = true)
class NetworkSeedTest {
  private static final AtomicLong SEQ = new AtomicLong(5_000);
  private static final Duration SEEDED_WITHIN = Duration.ofSeconds(5);

  @Inject StateSubscription subscription;
  @Inject ManualClock clock;
  @Inject AlertTicker ticker;
  @Inject WatchService watch;
  @Inject NetworkSeeder seeder;
  @Inject AlertPipeline pipeline;

  StateQueryServer state() {
    return StateQueryTestResource.state;
  }

  AlertmanagerProcess am() {
    return AlertmanagerTestResource.am;
  }

  void feed(Change c) {
    assertTrue(subscription.deliver(Changes.withSequence(c, SEQ.incrementAndGet())));
  }

  WatchEntry watch(String kind, String value) {
    return watch.upsert(WatchService.validate(kind, value, Map.of(), "", "api"));
  }

  static <T> T tx(java.util.function.Supplier<T> s) {
    return QuarkusTransaction.requiringNew().call(s::get);
  }

  static NetworkTargetEntity target(String t) {
    return tx(() -> NetworkTargetEntity.<NetworkTargetEntity>findById(t));
  }

  static List<NetworkUpstreamEntity> rows(String t) {
    return tx(
        () ->
            NetworkUpstreamEntity.<NetworkUpstreamEntity>list("target = ?1 order by upstream", t));
  }

  static AlertEntity alert(String id) {
    return tx(() -> AlertEntity.<AlertEntity>findById(id));
  }

  /** State's journal is where the alert service's cursor is: every change handled. */
  void caughtUp() {
    state().lastChangeSequence(subscription.position());
  }

  /** Event time an hour behind the alert clock: an archive, not live. */
  long past() {
    return clock.nowMicros() - Duration.ofHours(1).toNanos() / 1000;
  }

  @Test
  void addedWatchIsSeededAndSingleHomedFiresAfterItsHoldOnce() {
    long t0 = past();
    caughtUp();
    state().upstreams("AS64600", upstream(64601, 1.0, t0, t0 + 1_000_000, 3356, 1299, 2914));
    WatchEntry e = watch("ASN", "AS64600");

    Waits.within(SEEDED_WITHIN, "AS64600 seeded", () -> target("AS64600") != null);
    NetworkTargetEntity nt = target("AS64600");
    assertEquals(NetworkTargetEntity.FROM_STATE, nt.seededFrom);
    assertEquals(
        t0 + 1_000_000, nt.firstSeen, "baseline period counts from state's last route change");
    assertNull(nt.country, "state names no country for an ASN");
    List<NetworkUpstreamEntity> rows = rows("AS64600");
    assertEquals(1, rows.size());
    NetworkUpstreamEntity r = rows.get(0);
    assertEquals(64601, r.upstream);
    assertTrue(r.present && r.baseline, "a seeded upstream is baseline");
    assertEquals(1.0, r.share);
    assertEquals(3, r.vpCount);
    assertEquals(t0, r.since);
    assertEquals("1299,2914,3356", r.peerAsns);

    // the rules evaluated the seeded view: SingleHomed holds (10 min), from when it was seeded
    String key = "SingleHomed|asn=AS64600|upstream=AS64601";
    AlertEntity a = alert(key);
    assertNotNull(a, "SingleHomed pending after the seed");
    assertEquals(AlertEntity.PENDING, a.state);
    assertEquals(clock.nowMicros() + Duration.ofMinutes(10).toNanos() / 1000, a.fireAt);
    Map<String, String> labels =
        Map.of("alertname", "SingleHomed", "asn", "AS64600", "upstream", "AS64601");
    clock.advance(Duration.ofMinutes(10).minusSeconds(1));
    ticker.tickNow();
    Waits.pause(Duration.ofMillis(300));
    assertNull(am().find(labels), "not before its hold time");
    clock.advance(Duration.ofSeconds(1));
    ticker.tickNow();
    Waits.within(
        Duration.ofSeconds(2), "SingleHomed in Alertmanager", () -> am().find(labels) != null);
    assertEquals(
        "AS64600 is single-homed behind AS64601",
        am().find(labels).path("annotations").path("summary").asText());

    // seeded once: another pass, or a second seed attempt, changes nothing
    int queries = state().upstreamQueries();
    seeder.pass();
    assertEquals(
        queries, state().upstreamQueries(), "a network with a view is not asked about again");
    Optional<StateSeed> again = seeder.query(NetworkSeeder.target(e));
    assertTrue(again.isPresent());
    assertFalse(pipeline.seed(NetworkSeeder.target(e), e, again.get()), "seeding is idempotent");
    assertEquals(rows.size(), rows("AS64600").size());

    // a change that names the country does not relabel the alert already sent
    clock.advance(Duration.ofMinutes(1));
    feed(
        upstream(
            ChangeKind.SHARE_MOVED,
            clock.nowMicros(),
            64600,
            "KP",
            null,
            64601,
            1.0,
            1.0,
            4,
            3356,
            1299,
            2914,
            174));
    assertEquals("", target("AS64600").country, "kept without a country: it fired without one");
    assertFalse(alert(key).labels.contains("country"), alert(key).labels);
    Waits.pause(
        Duration.ofMillis(1500)); // Alertmanager group_interval 500 ms: a relabel would show
    assertEquals(
        1,
        am().webhook().count("firing", Map.of("alertname", "SingleHomed", "asn", "AS64600")),
        am().webhook().all().toString());
    // and an upstream that appears after the baseline period is new
    clock.advance(Duration.ofMinutes(20));
    feed(
        upstream(
            ChangeKind.UPSTREAM_ADDED,
            clock.nowMicros(),
            64600,
            "KP",
            null,
            64602,
            0,
            0.5,
            3,
            3356,
            1299,
            2914));
    AlertEntity fresh = alert("NewUpstream|asn=AS64600|upstream=AS64602");
    assertNotNull(fresh, "NewUpstream pending");
    assertEquals(AlertEntity.PENDING, fresh.state);
  }

  @Test
  void firstChangeDoesNotMakeTheBaselineWhenStateKnowsMore() {
    // watched before state holds it: nothing to seed yet
    caughtUp();
    watch("ASN", "AS64610");
    seeder.pass();
    assertNull(target("AS64610"), "state knows nothing yet");

    // state now holds two upstreams; its first reported change names one of them
    long t0 = past();
    state().lastChangeSequence(SEQ.get() + 1); // the change fed next
    state()
        .upstreams(
            "AS64610",
            upstream(64611, 0.6, t0, t0, 3356, 1299, 2914),
            upstream(64612, 0.4, t0, t0, 3356, 1299, 2914));
    feed(
        upstream(
            ChangeKind.SHARE_MOVED,
            t0 + 1_000_000,
            64610,
            "DE",
            null,
            64611,
            0.5,
            0.6,
            3,
            3356,
            1299,
            2914));

    List<NetworkUpstreamEntity> rows = rows("AS64610");
    assertEquals(
        List.of(64611L, 64612L),
        rows.stream().map(x -> x.upstream).toList(),
        "both of state's upstreams");
    assertTrue(rows.stream().allMatch(x -> x.present && x.baseline));
    assertEquals(NetworkTargetEntity.FROM_STATE, target("AS64610").seededFrom);
    assertEquals("DE", target("AS64610").country, "the change named the country");
    // with the change alone as baseline it would look single-homed behind AS64611
    assertNull(alert("SingleHomed|asn=AS64610|upstream=AS64611"), "not single-homed");
  }

  @Test
  void stateAheadOfTheChangeIsNotTakenForItsBaseline() {
    // state's journal is ahead of the change being handled (a replay): its answer is newer than
    // the change, so the change is the baseline as before
    long t0 = past();
    state().lastChangeSequence(SEQ.get() + 10); // ten changes later than the one fed next
    state()
        .upstreams(
            "AS64630",
            upstream(64631, 0.5, t0, t0, 3356, 1299, 2914),
            upstream(64632, 0.5, t0, t0, 3356, 1299, 2914));
    watch("ASN", "AS64630");
    feed(
        upstream(
            ChangeKind.UPSTREAM_ADDED, t0, 64630, "", null, 64631, 0, 1.0, 3, 3356, 1299, 2914));

    assertEquals(NetworkTargetEntity.FROM_CHANGE, target("AS64630").seededFrom);
    assertEquals(List.of(64631L), rows("AS64630").stream().map(x -> x.upstream).toList());
    // the periodic pass leaves a network with a view alone
    caughtUp();
    seeder.pass();
    assertEquals(1, rows("AS64630").size());
  }

  @Test
  void coldStateIsNotSeededUntilWarm() {
    long t0 = past();
    caughtUp();
    state().warm(false);
    try {
      state().upstreams("AS64620", upstream(64621, 1.0, t0, t0, 3356, 1299, 2914));
      watch("ASN", "AS64620");
      assertEquals(0, seeder.pass());
      Waits.pause(Duration.ofMillis(600)); // three periodic passes
      assertNull(target("AS64620"), "a warming-up state's picture is partial: not a baseline");
    } finally {
      state().warm(true);
    }
    Waits.within(
        SEEDED_WITHIN, "AS64620 seeded once state is warm", () -> target("AS64620") != null);
    assertEquals(1, rows("AS64620").size());
  }

  @Test
  void aCountryIsSeededWithItsInternationalUpstreams() {
    long t0 = past();
    caughtUp();
    state().upstreams("KP", upstream(4837, 1.0, t0, t0, 3356, 1299, 2914));
    watch("COUNTRY", "KP");
    Waits.within(SEEDED_WITHIN, "KP seeded", () -> target("KP") != null);
    assertEquals("KP", target("KP").country);
    AlertEntity a = alert("SingleHomed|country=KP|upstream=AS4837");
    assertNotNull(a, "SingleHomed pending for KP");
    assertEquals(
        Target.Kind.COUNTRY,
        NetworkSeeder.target(watch.find(WatchEntry.Kind.COUNTRY, "KP").orElseThrow()).kind());
  }

  /**
   * Live sessions: a network watched from the start while single-homed, whose first change is a
   * visibility change (a prefix lost while sessions come up) before state names its upstreams. The
   * target row that change made is not a view: the network is still seeded once state knows its
   * upstreams, and SingleHomed is evaluated at first sight.
   */
  @Test
  void aVisibilityChangeFirstDoesNotStopTheSeed() {
    caughtUp();
    watch("ASN", "AS64640");
    long t0 = past();
    feed(
        Changes.visibility(
            ChangeKind.VISIBILITY_CROSSED, t0, 64640, "", "198.51.100.0/24", 0.2, 1));
    assertNotNull(target("AS64640"), "the change made a target row");
    assertTrue(rows("AS64640").isEmpty(), "but no upstream view");
    caughtUp();
    state().upstreams("AS64640", upstream(64641, 1.0, t0, t0 + 1_000_000, 3356, 1299, 2914));
    Waits.within(
        SEEDED_WITHIN,
        "AS64640 seeded",
        () -> {
          seeder.pass();
          return !rows("AS64640").isEmpty();
        });
    assertEquals(NetworkTargetEntity.FROM_STATE, target("AS64640").seededFrom);
    assertEquals(t0, target("AS64640").firstSeen, "first seen when the change came");
    AlertEntity a = alert("SingleHomed|asn=AS64640|upstream=AS64641");
    assertNotNull(a, "SingleHomed pending at first sight");
  }
}
