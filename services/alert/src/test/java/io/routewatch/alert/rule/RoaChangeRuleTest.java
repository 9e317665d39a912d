package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RoaChangeType;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A ROA of a watched prefix or AS added, removed, its maxLength changed. */
class RoaChangeRuleTest {
  static final long T = micros("2025-06-01T10:00:00Z");
  final RoaChangeRule rule = new RoaChangeRule();

  static FakeContext entry() {
    FakeContext c =
        new FakeContext(
            new Target(Target.Kind.PREFIX, "192.0.2.0/24", 64510, "", "the owner's"),
            AlertType.ROA_CHANGE);
    c.hijack = c.hijack.withExpectedOrigins(Set.of(64510L));
    return c;
  }

  static Change roa(String p, long asn, RoaChangeType type, int before, int after) {
    return Change.newBuilder()
        .setKind(ChangeKind.CHANGE_KIND_ROA_CHANGED)
        .setTimeMicros(T)
        .setPrefix(prefix(p))
        .setAsn((int) asn)
        .setRoaChange(type)
        .setRoaMaxLengthBefore(before)
        .setRoaMaxLengthAfter(after)
        .build();
  }

  @Test
  void aRoaForAForeignAsOnTheWatchedPrefixIsTold() {
    Signal s =
        rule.evaluate(
                roa("192.0.2.0/24", 64500, RoaChangeType.ROA_CHANGE_TYPE_ADDED, 0, 24), entry())
            .get(0);
    assertTrue(s.fire());
    assertEquals(
        "RoaChange|asn=AS64510|prefix=192.0.2.0/24|roa_asn=AS64500|watched_prefix=192.0.2.0/24",
        s.key());
    assertEquals("ROA added: 192.0.2.0/24 maxLength 24 for AS64500", s.summary());
    assertEquals(
        "ROA added: 192.0.2.0/24 maxLength 24 for AS64500 (watched 192.0.2.0/24) [the owner's];"
            + " AS64500 is not an origin the entry names (AS64510); seen in the VRP set loaded at"
            + " 2025-06-01 10:00:00 UTC.",
        s.description());
    assertEquals("added", s.labels().get("roa_change"));
    assertTrue(s.evidence().shortOf(Thresholds.permissive(AlertType.ROA_CHANGE)).isEmpty());
  }

  @Test
  void aChangeUndoneResolvesAndAnotherUpdates() {
    FakeContext c = entry();
    Signal s =
        rule.evaluate(
                roa(
                    "192.0.2.0/24",
                    64510,
                    RoaChangeType.ROA_CHANGE_TYPE_MAX_LENGTH_CHANGED,
                    24,
                    23),
                c)
            .get(0);
    assertTrue(s.fire());
    assertTrue(s.description().contains("AS64510 is an origin the entry names"));
    c.active.put(s.key(), FakeContext.asActive(s, T));
    Signal back =
        rule.evaluate(
                roa(
                    "192.0.2.0/24",
                    64510,
                    RoaChangeType.ROA_CHANGE_TYPE_MAX_LENGTH_CHANGED,
                    23,
                    24),
                c)
            .get(0);
    assertFalse(back.fire(), "maxLength restored");
    Signal removed =
        rule.evaluate(roa("192.0.2.0/24", 64510, RoaChangeType.ROA_CHANGE_TYPE_REMOVED, 23, 0), c)
            .get(0);
    assertTrue(removed.fire(), "a further change is news");
  }

  @Test
  void theWatchedAsesRoaAndAnAs0Roa() {
    FakeContext asn =
        new FakeContext(Target.asn(64510, "").withDescription(""), AlertType.ROA_CHANGE);
    Signal s =
        rule.evaluate(
                roa("2001:db8::/32", 64510, RoaChangeType.ROA_CHANGE_TYPE_REMOVED, 48, 0), asn)
            .get(0);
    assertEquals("ROA removed: 2001:db8::/32 maxLength 48 for AS64510", s.summary());
    assertTrue(s.description().contains("AS64510 is the watched network"), s.description());
    Signal zero =
        rule.evaluate(roa("192.0.2.128/25", 0, RoaChangeType.ROA_CHANGE_TYPE_ADDED, 0, 25), entry())
            .get(0);
    assertTrue(zero.description().contains("an AS0 ROA: nobody may announce 192.0.2.128/25"));
    assertTrue(
        rule.evaluate(
                roa("192.0.2.0/24", 64510, RoaChangeType.ROA_CHANGE_TYPE_ADDED, 0, 24).toBuilder()
                    .setKind(ChangeKind.ORIGIN_CHANGED)
                    .build(),
                entry())
            .isEmpty());
  }
}
