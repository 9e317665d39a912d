package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ChangeKind;
import org.junit.jupiter.api.Test;

class UpstreamShareShiftRuleTest {
  static final long T = micros("2017-10-02T07:56:39Z");
  final UpstreamShareShiftRule rule = new UpstreamShareShiftRule();

  @Test
  void firesOnAMoveOfAtLeastThePointsAndResolvesNearBaseline() {
    FakeContext ctx =
        new FakeContext(Target.asn(131279, "KP"), AlertType.UPSTREAM_SHARE_SHIFT)
            .upstream(4837, 0.75, 4, 0, 3356)
            .upstream(20485, 0.25, 4, 0, 3356);
    Signal f =
        rule.evaluate(upstream(ChangeKind.SHARE_MOVED, T, 131279, "KP", null, 20485, 0.75, 0.25, 4, 3356, 1299), ctx).get(0);
    assertTrue(f.fire());
    assertEquals("Share of upstream AS20485 for AS131279 (KP) fell from 75.0% to 25.0%", f.summary());
    assertEquals(
        "The share of AS131279 (KP)'s VP paths through AS20485 fell by 50.0 points (75.0% → 25.0%) at"
            + " 2017-10-02 07:56:39 UTC; now seen by 4 VPs in 2 peer ASes (AS1299, AS3356). Upstreams now:"
            + " AS4837 75.0%, AS20485 25.0%.",
        f.description());
    ctx.active(f, T);
    // back to 70 %: within 20 points of the 75 % baseline
    Signal r = rule.evaluate(upstream(ChangeKind.SHARE_MOVED, T + 1, 131279, "KP", null, 20485, 0.25, 0.70, 4, 3356), ctx).get(0);
    assertFalse(r.fire());
  }

  @Test
  void smallMovesDoNotFire() {
    FakeContext ctx = new FakeContext(Target.asn(131279, "KP"), AlertType.UPSTREAM_SHARE_SHIFT);
    assertFalse(rule.evaluate(upstream(ChangeKind.SHARE_MOVED, T, 131279, "KP", null, 20485, 0.60, 0.45, 4, 3356), ctx).get(0).fire());
  }
}
