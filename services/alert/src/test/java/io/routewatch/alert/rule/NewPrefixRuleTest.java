package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A watched AS announcing a prefix outside its list, or a more-specific of its own entry. */
class NewPrefixRuleTest {
  static final long T = micros("2024-03-06T00:30:00Z");
  final NewPrefixRule rule = new NewPrefixRule();

  /** The ASN entry AS64500 (the matcher sends it prefixes no PREFIX entry covers). */
  static FakeContext asn() {
    return new FakeContext(Target.asn(64500, "").withDescription("AS64500"), AlertType.NEW_PREFIX);
  }

  /** The PREFIX entry 192.0.2.0/23 with origins AS64500. */
  static FakeContext entry(long... origins) {
    FakeContext c =
        new FakeContext(
            new Target(Target.Kind.PREFIX, "192.0.2.0/23", 64500, "", ""), AlertType.NEW_PREFIX);
    Set<Long> o = new java.util.LinkedHashSet<>();
    for (long a : origins) {
      o.add(a);
    }
    c.hijack = c.hijack.withExpectedOrigins(o);
    return c;
  }

  static Change.Builder announced(String p, long... origins) {
    Change.Builder b =
        Change.newBuilder()
            .setKind(ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED)
            .setTimeMicros(T)
            .setPrefix(prefix(p))
            .setVpCount(3)
            .setAsPath("3356 64496 64500")
            .addAllPeerAsns(List.of(3356, 1299, 174));
    for (long o : origins) {
      b.addOriginsAfter((int) o);
    }
    return b;
  }

  @Test
  void aPrefixOutsideTheListFiresAndGoesWithTheWithdrawal() {
    FakeContext c = asn();
    Signal s = rule.evaluate(announced("198.51.100.0/24", 64500).build(), c).get(0);
    assertTrue(s.fire());
    assertEquals("NewPrefix|asn=AS64500|prefix=198.51.100.0/24", s.key());
    assertEquals("AS64500 announces 198.51.100.0/24, outside its watched prefixes", s.summary());
    assertEquals(
        "A new prefix 198.51.100.0/24 is announced by AS64500 [AS64500] since 2024-03-06 00:30:00"
            + " UTC on the path 3356 64496 64500; seen now by 3 VPs in 3 peer ASes (AS174,"
            + " AS1299, AS3356). No PREFIX entry of AS64500 covers it.",
        s.description());
    assertEquals(3, s.evidence().peerCount(false));
    assertEquals(null, s.severity(), "the type's severity: info");
    assertEquals("info", AlertType.NEW_PREFIX.defaultSeverity());
    c.active.put(s.key(), FakeContext.asActive(s, T));
    // the spread report keeps the first sight
    Signal later =
        rule.evaluate(
                announced("198.51.100.0/24", 64500)
                    .setTimeMicros(T + 60_000_000L)
                    .setSpreadUpdate(true)
                    .build(),
                c)
            .get(0);
    assertTrue(later.description().contains("since 2024-03-06 00:30:00 UTC"));
    Signal gone =
        rule.evaluate(
                Change.newBuilder()
                    .setKind(ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN)
                    .setPrefix(prefix("198.51.100.0/24"))
                    .addOriginsBefore(64500)
                    .build(),
                c)
            .get(0);
    assertFalse(gone.fire());
    assertEquals(s.key(), gone.key());
  }

  @Test
  void theOwnersMoreSpecificOfItsEntryFiresAForeignOneIsTheHijacks() {
    Signal s = rule.evaluate(announced("192.0.3.0/24", 64500).build(), entry(64500)).get(0);
    assertTrue(s.fire());
    assertEquals("NewPrefix|asn=AS64500|prefix=192.0.3.0/24|watched_prefix=192.0.2.0/23", s.key());
    assertEquals(
        "AS64500 announces 192.0.3.0/24, a more-specific of the watched 192.0.2.0/23", s.summary());
    // a foreign origin: the Hijack's page, this one resolves
    Signal foreign = rule.evaluate(announced("192.0.3.0/24", 64666).build(), entry(64500)).get(0);
    assertFalse(foreign.fire());
    assertEquals(s.key(), foreign.key());
    Signal taken =
        rule.evaluate(
                announced("192.0.3.0/24", 64666).setKind(ChangeKind.ORIGIN_CHANGED).build(),
                entry(64500))
            .get(0);
    assertFalse(taken.fire());
  }

  @Test
  void nothingForTheEntryItselfAnEntryWithoutOwnersSquattingSpaceOrIgnoredMoreSpecifics() {
    assertTrue(rule.evaluate(announced("192.0.2.0/23", 64500).build(), entry(64500)).isEmpty());
    FakeContext noOwner =
        new FakeContext(
            new Target(Target.Kind.PREFIX, "192.0.2.0/23", 0, "", ""), AlertType.NEW_PREFIX);
    assertTrue(rule.evaluate(announced("192.0.3.0/24", 64500).build(), noOwner).isEmpty());
    assertTrue(rule.evaluate(announced("192.0.3.0/24", 64500).build(), entry(0)).isEmpty());
    FakeContext ignored = entry(64500);
    ignored.thresholds = // more-specific.enabled=false (FakeContext: one setting for both types)
        new Thresholds(false, "info", 1, 0, 0, 0, 0, false, 0.2, 0.5, Set.of());
    assertTrue(rule.evaluate(announced("192.0.3.0/24", 64500).build(), ignored).isEmpty());
    // upstream or visibility changes are not this rule's
    assertTrue(
        rule.evaluate(
                announced("198.51.100.0/24", 64500).setKind(ChangeKind.UPSTREAM_ADDED).build(),
                asn())
            .isEmpty());
  }

  @Test
  void aMoasWithTheWatchedAsStillCountsForIt() {
    Signal s = rule.evaluate(announced("198.51.100.0/24", 64500, 64666).build(), asn()).get(0);
    assertTrue(s.fire());
    assertTrue(s.description().contains("announced by AS64500, AS64666"), s.description());
  }

  /** An AS no PREFIX entry names has no list to be outside of: its announcements fire nothing. */
  @Test
  void anAsWithoutAPrefixListHasNothingOutsideIt() {
    FakeContext c = asn();
    c.hasPrefixList = false;
    assertEquals(List.of(), rule.evaluate(announced("198.51.100.0/24", 64500).build(), c));
  }
}
