package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.prefixEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ChangeKind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OriginChangeRuleTest {
  static final long T = micros("2025-03-18T09:30:15Z");
  final OriginChangeRule rule = new OriginChangeRule();

  FakeContext ctx() {
    FakeContext c =
        new FakeContext(new Target(Target.Kind.PREFIX, "175.45.176.0/22", 131279, "KP", "Star JV"), AlertType.ORIGIN_CHANGE);
    c.thresholds = c.thresholds.withExpectedOrigins(Set.of(131279L));
    return c;
  }

  @Test
  void anotherOriginFiresLikeBgpalerter() {
    Signal f = rule.evaluate(prefixEvent(ChangeKind.ORIGIN_CHANGED, T, 64500, "KP", "175.45.177.0/24", 0.8, 16), ctx()).get(0);
    assertTrue(f.fire());
    assertEquals("OriginChange|asn=AS131279|prefix=175.45.177.0/24", f.key());
    assertEquals("The prefix 175.45.177.0/24 is announced by AS64500 instead of AS131279", f.summary());
    assertEquals(
        "The prefix 175.45.177.0/24 (watched 175.45.176.0/22) is announced by AS64500 instead of AS131279 since"
            + " 2025-03-18 09:30:15 UTC, seen by 16 VPs [Star JV]. Possible hijack.",
        f.description());
  }

  @Test
  void theRightfulOriginResolves() {
    Signal r = rule.evaluate(prefixEvent(ChangeKind.ORIGIN_CHANGED, T, 131279, "KP", "175.45.177.0/24", 0.8, 16), ctx()).get(0);
    assertFalse(r.fire());
    assertEquals("OriginChange|asn=AS131279|prefix=175.45.177.0/24", r.key());
  }
}
