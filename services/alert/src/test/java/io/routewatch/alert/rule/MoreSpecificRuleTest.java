package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.prefixEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ChangeKind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MoreSpecificRuleTest {
  static final long T = micros("2024-05-01T12:00:00Z");
  final MoreSpecificRule rule = new MoreSpecificRule();

  FakeContext ctx() {
    FakeContext c =
        new FakeContext(
            new Target(Target.Kind.PREFIX, "175.45.176.0/22", 131279, "KP", ""),
            AlertType.MORE_SPECIFIC);
    c.thresholds = c.thresholds.withExpectedOrigins(Set.of(131279L));
    return c;
  }

  @Test
  void foreignMoreSpecificFires() {
    Signal f =
        rule.evaluate(
                prefixEvent(ChangeKind.MORE_SPECIFIC, T, 64500, "KP", "175.45.176.0/23", 0.35, 7),
                ctx())
            .get(0);
    assertTrue(f.fire());
    assertEquals("MoreSpecific|asn=AS131279|prefix=175.45.176.0/23", f.key());
    assertEquals(
        "A more-specific 175.45.176.0/23 of 175.45.176.0/22 is announced by AS64500", f.summary());
    assertEquals(
        "A new prefix 175.45.176.0/23 is announced by AS64500 since 2024-05-01 12:00:00 UTC, inside the watched"
            + " 175.45.176.0/22. It should be announced by AS131279; seen by 7 VPs (35.0% of full-feed VPs).",
        f.description());
  }

  @Test
  void ownerDeaggregatingIsFineAndWithdrawalResolves() {
    assertTrue(
        rule.evaluate(
                prefixEvent(ChangeKind.MORE_SPECIFIC, T, 131279, "KP", "175.45.176.0/24", 0.9, 18),
                ctx())
            .isEmpty());
    Signal r =
        rule.evaluate(
                prefixEvent(
                    ChangeKind.VISIBILITY_CROSSED, T, 64500, "KP", "175.45.176.0/23", 0.0, 0),
                ctx())
            .get(0);
    assertFalse(r.fire());
  }
}
