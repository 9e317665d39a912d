package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ChangeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamShareShiftRuleTest {
  static final long T = micros("2017-10-02T07:56:39Z");
  final UpstreamShareShiftRule rule = new UpstreamShareShiftRule();

  @Test
  void firesOnAMoveOfAtLeastThePointsAndResolvesNearBaseline() {
    FakeContext ctx =
        new FakeContext(Target.asn(131279, "KP"), AlertType.UPSTREAM_SHARE_SHIFT)
            .upstream(4837, 0.75, 4, 0, 3356)
            .upstream(20485, 0.25, 4, 0, 3356)
            .reference(0.75);
    Signal f =
        rule.evaluate(
                upstream(
                    ChangeKind.SHARE_MOVED,
                    T,
                    131279,
                    "KP",
                    null,
                    20485,
                    0.75,
                    0.25,
                    4,
                    3356,
                    1299),
                ctx)
            .get(0);
    assertTrue(f.fire());
    assertEquals(
        "Share of upstream AS20485 for AS131279 (KP) fell from 75.0% to 25.0%", f.summary());
    assertEquals(
        "The share of AS131279 (KP)'s VP paths through AS20485 fell by 50.0 points (75.0% → 25.0%) at"
            + " 2017-10-02 07:56:39 UTC; now seen by 4 VPs in 2 peer ASes (AS1299, AS3356). Upstreams now:"
            + " AS4837 75.0%, AS20485 25.0%.",
        f.description());
    ctx.active(f, T);
    // back to 70 %: within 20 points of the 75 % baseline
    Signal r =
        rule.evaluate(
                upstream(
                    ChangeKind.SHARE_MOVED, T + 1, 131279, "KP", null, 20485, 0.25, 0.70, 4, 3356),
                ctx)
            .get(0);
    assertFalse(r.fire());
  }

  @Test
  void smallMovesDoNotFireButADriftDoes() {
    FakeContext ctx =
        new FakeContext(Target.asn(131279, "KP"), AlertType.UPSTREAM_SHARE_SHIFT).reference(0.60);
    assertEquals(
        List.of(),
        rule.evaluate(
            upstream(ChangeKind.SHARE_MOVED, T, 131279, "KP", null, 20485, 0.60, 0.45, 4, 3356),
            ctx));
    // the next small step is measured against the reference, not the last report
    Signal f =
        rule.evaluate(
                upstream(
                    ChangeKind.SHARE_MOVED, T + 1, 131279, "KP", null, 20485, 0.45, 0.40, 4, 3356),
                ctx)
            .get(0);
    assertTrue(f.fire());
    assertEquals(
        "Share of upstream AS20485 for AS131279 (KP) fell from 60.0% to 40.0%", f.summary());
  }

  @Test
  void aRiseIsTheMirrorOfAFallAndDoesNotFire() {
    FakeContext ctx =
        new FakeContext(Target.asn(131279, "KP"), AlertType.UPSTREAM_SHARE_SHIFT).reference(0.40);
    assertEquals(
        List.of(),
        rule.evaluate(
            upstream(ChangeKind.SHARE_MOVED, T, 131279, "KP", null, 4837, 0.40, 0.60, 4, 3356),
            ctx));
  }

  @Test
  void movesWhileAnUpstreamComesOrGoesAreNotShifts() {
    // no reference: the set of upstreams is in flux (state of the view); nothing fires
    FakeContext ctx = new FakeContext(Target.asn(131279, "KP"), AlertType.UPSTREAM_SHARE_SHIFT);
    assertEquals(
        List.of(),
        rule.evaluate(
            upstream(ChangeKind.SHARE_MOVED, T, 131279, "KP", null, 4837, 1.0, 0.4, 8, 3356), ctx));
    // a shift still in its hold time is dropped when an upstream comes or goes
    ctx.reference(0.6);
    Signal f =
        rule.evaluate(
                upstream(ChangeKind.SHARE_MOVED, T, 131279, "KP", null, 20485, 0.6, 0.3, 8, 3356),
                ctx)
            .get(0);
    ctx.active.put(
        f.key(),
        new ActiveAlert(
            f.key(), f.type(), false, f.labels(), f.summary(), f.description(), f.context(), T));
    List<Signal> drop =
        rule.evaluate(
            upstream(
                ChangeKind.UPSTREAM_REMOVED, T + 1, 131279, "KP", null, 20485, 0.1, 0, 8, 3356),
            ctx);
    assertEquals(1, drop.size());
    assertFalse(drop.get(0).fire());
    assertEquals(f.key(), drop.get(0).key());
  }

  @Test
  void theEvidenceOfAFallIsEveryPeerOnTheUpstreamAtTheReference() {
    FakeContext ctx =
        new FakeContext(Target.asn(64704, ""), AlertType.UPSTREAM_SHARE_SHIFT)
            .reference(0.316, 3356, 1299, 174, 2914, 6939, 3257);
    Signal f =
        rule.evaluate(
                upstream(ChangeKind.SHARE_MOVED, T, 64704, "", null, 64709, 0.316, 0.053, 1, 1299),
                ctx)
            .get(0);
    assertTrue(f.fire());
    assertEquals(6, f.evidence().peerCount(false), "the five that left and the one that stayed");
    assertTrue(
        f.description()
            .contains(
                "now seen by 1 VP in 1 peer AS (AS1299); no longer seen by AS174, AS2914,"
                    + " AS3257, AS3356, AS6939."),
        f.description());
    // without the reference's peers (a row from before they were kept): the ones left on it
    FakeContext old =
        new FakeContext(Target.asn(64704, ""), AlertType.UPSTREAM_SHARE_SHIFT).reference(0.316);
    Signal g =
        rule.evaluate(
                upstream(ChangeKind.SHARE_MOVED, T, 64704, "", null, 64709, 0.316, 0.053, 1, 1299),
                old)
            .get(0);
    assertEquals(1, g.evidence().peerCount(false));
  }
}
