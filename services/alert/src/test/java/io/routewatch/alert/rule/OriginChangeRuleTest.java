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
        new FakeContext(
            new Target(Target.Kind.PREFIX, "175.45.176.0/22", 131279, "KP", "Star JV"),
            AlertType.ORIGIN_CHANGE);
    c.thresholds = c.thresholds.withExpectedOrigins(Set.of(131279L));
    return c;
  }

  @Test
  void anotherOriginFiresLikeBgpalerter() {
    Signal f =
        rule.evaluate(
                prefixEvent(ChangeKind.ORIGIN_CHANGED, T, 64500, "KP", "175.45.177.0/24", 0.8, 16),
                ctx())
            .get(0);
    assertTrue(f.fire());
    assertEquals("OriginChange|asn=AS131279|prefix=175.45.177.0/24", f.key());
    assertEquals(
        "The prefix 175.45.177.0/24 is announced by AS64500 instead of AS131279", f.summary());
    assertEquals(
        "The prefix 175.45.177.0/24 (watched 175.45.176.0/22) is announced by AS64500 instead of AS131279 since"
            + " 2025-03-18 09:30:15 UTC, seen by 16 VPs [Star JV]. Possible hijack.",
        f.description());
  }

  @Test
  void theRightfulOriginResolves() {
    Signal r =
        rule.evaluate(
                prefixEvent(ChangeKind.ORIGIN_CHANGED, T, 131279, "KP", "175.45.177.0/24", 0.8, 16),
                ctx())
            .get(0);
    assertFalse(r.fire());
    assertEquals("OriginChange|asn=AS131279|prefix=175.45.177.0/24", r.key());
  }

  /**
   * An exact-prefix hijack usually leaves some VPs on the owner: a MOAS. State's asn then carries
   * one of the origins (possibly the owner's), so the rule reads the typed origins_after: the owner
   * being among them must not resolve it.
   */
  @Test
  void aMoasWithTheOwnerStillFiresAndNamesTheIntruder() {
    var moas =
        prefixEvent(ChangeKind.ORIGIN_CHANGED, T, 131279, "KP", "175.45.177.0/24", 0.8, 16)
            .toBuilder()
            .addOriginsBefore(131279)
            .addOriginsAfter(131279)
            .addOriginsAfter(17557)
            .build();
    Signal f = rule.evaluate(moas, ctx()).get(0);
    assertTrue(f.fire(), "the owner's own origin among several is no all-clear");
    assertEquals(
        "The prefix 175.45.177.0/24 is announced by AS17557 beside its own origin (MOAS) instead of AS131279",
        f.summary());
    assertTrue(
        f.description().contains("instead of AS131279 (before: AS131279) since"), f.description());
    // the intruder gone: origins_after is the owner alone → resolved
    var back =
        prefixEvent(ChangeKind.ORIGIN_CHANGED, T + 1, 131279, "KP", "175.45.177.0/24", 0.8, 16)
            .toBuilder()
            .addOriginsBefore(131279)
            .addOriginsBefore(17557)
            .addOriginsAfter(131279)
            .build();
    assertFalse(rule.evaluate(back, ctx()).get(0).fire());
  }
}
