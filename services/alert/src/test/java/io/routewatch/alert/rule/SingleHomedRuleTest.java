package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ChangeKind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** North Korea before 2017: AS4837 only. */
class SingleHomedRuleTest {
  static final long T = micros("2015-10-23T08:00:00Z");
  final SingleHomedRule rule = new SingleHomedRule();

  @Test
  void oneUpstreamFires() {
    FakeContext ctx =
        new FakeContext(Target.asn(131279, "KP"), AlertType.SINGLE_HOMED)
            .upstream(4837, 1.0, 1, T, 3856);
    List<Signal> s =
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_ADDED, T, 131279, "KP", null, 4837, 0, 1.0, 1, 3856), ctx);
    assertEquals(1, s.size());
    Signal f = s.get(0);
    assertTrue(f.fire());
    assertEquals("SingleHomed|asn=AS131279|upstream=AS4837", f.key());
    assertEquals("AS131279 (KP) is single-homed behind AS4837", f.summary());
    assertEquals(
        "AS131279 (KP) is reached only through AS4837 (100.0% of VP paths, upstream since 2015-10-23 08:00:00 UTC),"
            + " seen by 1 VP in 1 peer AS (AS3856): losing it disconnects the network.",
        f.description());
  }

  @Test
  void secondUpstreamResolves() {
    FakeContext ctx =
        new FakeContext(Target.asn(131279, "KP"), AlertType.SINGLE_HOMED)
            .upstream(4837, 1.0, 1, T, 3856);
    Signal fired =
        rule.evaluate(
                upstream(ChangeKind.UPSTREAM_ADDED, T, 131279, "KP", null, 4837, 0, 1.0, 1, 3856),
                ctx)
            .get(0);
    ctx.active(fired, T);
    ctx.upstream(20485, 0.6, 3, T + 10, 3356);
    List<Signal> s =
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_ADDED, T + 10, 131279, "KP", null, 20485, 0, 0.6, 3, 3356),
            ctx);
    assertEquals(1, s.size());
    assertFalse(s.get(0).fire());
    assertEquals(fired.key(), s.get(0).key());
    Annotations a =
        rule.resolved(
            FakeContext.asActive(fired, micros("2010-01-01T00:00:00Z")),
            micros("2017-10-01T09:07:51Z"));
    assertEquals("Resolved: AS131279 (KP) is no longer single-homed behind AS4837", a.summary());
    assertEquals(
        "AS131279 (KP) depended on AS4837 alone from 2010-01-01 00:00:00 UTC to 2017-10-01 09:07:51 UTC (67929h07m51s).",
        a.description());
  }

  @Test
  void goingDarkKeepsTheFiringOneAndDropsAPendingOne() {
    // fired long ago: the network then goes dark (an outage), and it stands
    FakeContext ctx =
        new FakeContext(Target.asn(131279, "KP"), AlertType.SINGLE_HOMED)
            .upstream(4837, 1.0, 1, T, 3856);
    Signal fired =
        rule.evaluate(
                upstream(ChangeKind.UPSTREAM_ADDED, T, 131279, "KP", null, 4837, 0, 1.0, 1, 3856),
                ctx)
            .get(0);
    ctx.active(fired, T);
    ctx.upstreams().clear();
    assertEquals(
        List.of(),
        rule.evaluate(
            upstream(
                ChangeKind.UPSTREAM_REMOVED, T + 10, 131279, "KP", null, 4837, 1.0, 0, 0, 3856),
            ctx));

    // pending (the cascade of an outage passed through "one upstream left"): dropped when dark
    FakeContext cascade =
        new FakeContext(Target.asn(64520, ""), AlertType.SINGLE_HOMED)
            .upstream(64499, 1.0, 3, T, 6453);
    Signal pending =
        rule.evaluate(
                upstream(ChangeKind.UPSTREAM_REMOVED, T, 64520, "", null, 64498, 0.25, 0, 0, 209),
                cascade)
            .get(0);
    assertTrue(pending.fire());
    cascade.pending(pending, T);
    cascade.upstreams().clear();
    List<Signal> s =
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_REMOVED, T + 5, 64520, "", null, 64499, 1.0, 0, 0, 6453),
            cascade);
    assertEquals(1, s.size());
    assertFalse(s.get(0).fire());
    assertEquals(pending.key(), s.get(0).key());
  }

  /** The shipped evidence bar: 3 peer ASNs. */
  static Thresholds shipped() {
    return new Thresholds(true, "warning", 3, 0, 0, 0, 0, false, 0.2, 0.5, Set.of());
  }

  /** A single-homed network whose SingleHomed on AS64721 is pending or firing. */
  FakeContext singleHomed(boolean firing) {
    FakeContext ctx =
        new FakeContext(Target.asn(64720, ""), AlertType.SINGLE_HOMED)
            .upstream(64721, 1.0, 12, T, 3356, 1299, 174, 2914);
    ctx.thresholds = shipped();
    Signal s =
        rule.evaluate(
                upstream(ChangeKind.UPSTREAM_ADDED, T, 64720, "", null, 64721, 0, 1.0, 12, 3356),
                ctx)
            .get(0);
    return firing ? ctx.active(s, T) : ctx.pending(s, T);
  }

  @Test
  void aSecondUpstreamShortOfEvidenceDoesNotResolveAFiringOne() {
    // seeds 11, 139, 140 of the generated suite: one VP (one peer AS) shows a second upstream for
    // 6-9 min; SingleHomed resolved and fired again when the noise ended
    FakeContext ctx = singleHomed(true);
    ctx.upstream(64721, 0.95, 12, T, 3356, 1299, 174, 2914).upstream(64722, 0.05, 1, T + 60, 5511);
    List<Signal> s =
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_ADDED, T + 60, 64720, "", null, 64722, 0, 0.05, 1, 5511),
            ctx);
    assertEquals(1, s.size(), s.toString());
    assertTrue(s.get(0).fire(), "still single-homed behind AS64721: " + s);
    assertEquals("SingleHomed|asn=AS64720|upstream=AS64721", s.get(0).key());

    // two peer ASes: still short of 3
    ctx.upstream(64722, 0.1, 2, T + 60, 5511, 6762);
    s =
        rule.evaluate(
            upstream(
                ChangeKind.UPSTREAM_ADDED, T + 90, 64720, "", null, 64722, 0, 0.1, 2, 5511, 6762),
            ctx);
    assertTrue(s.stream().allMatch(Signal::fire), s.toString());

    // the noise ends: nothing to undo
    ctx.upstreams().remove(64722L);
    ctx.upstream(64721, 1.0, 12, T, 3356, 1299, 174, 2914);
    s =
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_REMOVED, T + 600, 64720, "", null, 64722, 0.1, 0, 0, 5511),
            ctx);
    assertEquals(1, s.size());
    assertTrue(s.get(0).fire());
    assertEquals("SingleHomed|asn=AS64720|upstream=AS64721", s.get(0).key());
  }

  @Test
  void anySecondUpstreamDropsAPendingOne() {
    // a baseline arriving VP by VP: the second upstream is first seen by one peer AS and gathers
    // the others report by report; the pending alert must not outlive that and page
    FakeContext ctx = singleHomed(false);
    ctx.upstream(64722, 0.05, 1, T + 1, 5511);
    List<Signal> s =
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_ADDED, T + 1, 64720, "", null, 64722, 0, 0.05, 1, 5511),
            ctx);
    assertEquals(1, s.size(), s.toString());
    assertFalse(s.get(0).fire());
    assertEquals("SingleHomed|asn=AS64720|upstream=AS64721", s.get(0).key());
  }

  @Test
  void aSecondUpstreamResolvesOnceItsEvidenceReachesTheBar() {
    FakeContext ctx = singleHomed(true);
    ctx.upstream(64722, 0.1, 2, T + 60, 5511, 6762);
    assertTrue(
        rule
            .evaluate(
                upstream(
                    ChangeKind.UPSTREAM_ADDED,
                    T + 60,
                    64720,
                    "",
                    null,
                    64722,
                    0,
                    0.1,
                    2,
                    5511,
                    6762),
                ctx)
            .stream()
            .allMatch(Signal::fire));
    // state reports the upstream again as one more peer AS sees it: 3 peer ASes, the bar
    ctx.upstream(64722, 0.15, 3, T + 60, 5511, 6762, 209);
    List<Signal> s =
        rule.evaluate(
            upstream(
                ChangeKind.SHARE_MOVED,
                T + 120,
                64720,
                "",
                null,
                64722,
                0.1,
                0.15,
                3,
                5511,
                6762,
                209),
            ctx);
    assertEquals(1, s.size(), s.toString());
    assertFalse(s.get(0).fire());
    assertEquals("SingleHomed|asn=AS64720|upstream=AS64721", s.get(0).key());
  }

  @Test
  void hysteresisOnlyHoldsAnAlertAlreadyThere() {
    // first sight of a network with a strong and a weak upstream: not single-homed (it fires on
    // exactly one upstream); the weak one only keeps an alert that is already pending or firing
    FakeContext ctx =
        new FakeContext(Target.asn(64720, ""), AlertType.SINGLE_HOMED)
            .upstream(64721, 0.95, 12, T, 3356, 1299, 174, 2914)
            .upstream(64722, 0.05, 1, T, 5511);
    ctx.thresholds = shipped();
    assertEquals(
        List.of(),
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_ADDED, T, 64720, "", null, 64722, 0, 0.05, 1, 5511), ctx));
  }

  @Test
  void adjacentPeersDoNotCountForTheSecondUpstreamWhenExcluded() {
    FakeContext ctx = singleHomed(true);
    ctx.thresholds = new Thresholds(true, "warning", 3, 0, 0, 0, 0, true, 0.2, 0.5, Set.of());
    // three peer ASes, one of them the new upstream itself (adjacent): 2 with exclude-adjacent
    ctx.upstream(64722, 0.2, 3, T + 60, 5511, 6762, 64722);
    List<Signal> s =
        rule.evaluate(
            upstream(
                ChangeKind.UPSTREAM_ADDED,
                T + 60,
                64720,
                "",
                null,
                64722,
                0,
                0.2,
                3,
                5511,
                6762,
                64722),
            ctx);
    assertTrue(s.stream().allMatch(Signal::fire), s.toString());
  }
}
