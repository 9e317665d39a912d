package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RovState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An RPKI-invalid route for watched space fires, and resolves when it is gone. */
class RpkiInvalidRuleTest {
  static final long T = micros("2025-03-18T09:30:15Z");
  final RpkiInvalidRule rule = new RpkiInvalidRule();

  FakeContext ctx(String watched, long owner) {
    FakeContext c =
        new FakeContext(
            new Target(Target.Kind.PREFIX, watched, owner, "", "Example"), AlertType.RPKI_INVALID);
    c.hijack = c.hijack.withExpectedOrigins(Set.of(owner));
    return c;
  }

  static Change.Builder change(ChangeKind k, String p, long[] origins, RovState... states) {
    Change.Builder b =
        Change.newBuilder().setKind(k).setTimeMicros(T).setPrefix(prefix(p)).setVpCount(5);
    for (long o : origins) {
      b.addOriginsAfter((int) o);
    }
    if (origins.length == 1) {
      b.setAsn((int) origins[0]);
    }
    RovState worst = null;
    for (RovState s : states) {
      b.addOriginRovStates(s);
      worst = worst == null || rank(s) < rank(worst) ? s : worst;
    }
    if (worst != null) {
      b.setRovState(worst); // as state sets it: the least favourable
    }
    return b;
  }

  private static int rank(RovState s) {
    return List.of(
            RovState.ROV_STATE_INVALID_ASN,
            RovState.ROV_STATE_INVALID_LENGTH,
            RovState.ROV_STATE_NOT_FOUND,
            RovState.ROV_STATE_VALID)
        .indexOf(s);
  }

  @Test
  void anInvalidOriginFiresWithItsStateAndAWithdrawalResolves() {
    FakeContext c = ctx("203.0.113.0/24", 64500);
    Change ann =
        change(
                ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED,
                "203.0.113.0/24",
                new long[] {64666},
                RovState.ROV_STATE_INVALID_ASN)
            .setAsPath("2914 64666")
            .addAllPeerAsns(List.of(2914, 3356, 1299))
            .build();
    Signal s = rule.evaluate(ann, c).get(0);
    assertTrue(s.fire());
    assertEquals(
        "RpkiInvalid|asn=AS64500|prefix=203.0.113.0/24|watched_prefix=203.0.113.0/24", s.key());
    assertEquals("invalid-origin", s.labels().get("rov"));
    assertEquals(null, s.severity(), "the type's severity (critical)");
    assertEquals(
        "RPKI invalid: 203.0.113.0/24 is announced by AS64666, by an origin no ROA authorises"
            + " (invalid-origin)",
        s.summary());
    assertTrue(s.description().contains("RPKI: AS64666 invalid-origin"), s.description());
    assertTrue(s.description().contains("Expected origin AS64500."), s.description());
    assertEquals(3, s.evidence().peerCount(false));
    Signal r =
        rule.evaluate(
                Change.newBuilder()
                    .setKind(ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN)
                    .setTimeMicros(T + 60_000_000L)
                    .setPrefix(prefix("203.0.113.0/24"))
                    .addOriginsBefore(64666)
                    .build(),
                c)
            .get(0);
    assertFalse(r.fire());
    assertEquals(s.key(), r.key());
  }

  @Test
  void theOwnersTooLongMoreSpecificIsInvalidLengthAndAValidOriginChangeResolves() {
    FakeContext c = ctx("203.0.113.0/24", 64500);
    Signal s =
        rule.evaluate(
                change(
                        ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED,
                        "203.0.113.128/25",
                        new long[] {64500},
                        RovState.ROV_STATE_INVALID_LENGTH)
                    .build(),
                c)
            .get(0);
    assertTrue(s.fire());
    assertEquals("invalid-length", s.labels().get("rov"));
    assertTrue(s.description().contains("The invalid origin is the entry's own"), s.description());
    Signal r =
        rule.evaluate(
                change(
                        ChangeKind.ORIGIN_CHANGED,
                        "203.0.113.128/25",
                        new long[] {64501},
                        RovState.ROV_STATE_NOT_FOUND)
                    .build(),
                c)
            .get(0);
    assertFalse(r.fire());
    assertEquals(s.key(), r.key());
  }

  @Test
  void aMoasKeepsFiringWhileOneOriginIsInvalid() {
    FakeContext c = ctx("203.0.113.0/24", 64500);
    List<Signal> out =
        rule.evaluate(
            change(
                    ChangeKind.ORIGIN_CHANGED,
                    "203.0.113.0/24",
                    new long[] {64500, 64666},
                    RovState.ROV_STATE_VALID,
                    RovState.ROV_STATE_INVALID_ASN)
                .build(),
            c);
    assertTrue(out.get(0).fire());
    assertEquals(
        "RPKI invalid: 203.0.113.0/24 is announced by AS64666, by an origin no ROA authorises"
            + " (invalid-origin)",
        out.get(0).summary());
  }

  @Test
  void nothingWithoutAVerdictOrOutsideAPrefixEntry() {
    FakeContext c = ctx("203.0.113.0/24", 64500);
    Change unvalidated =
        change(ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED, "203.0.113.0/24", new long[] {64666})
            .build();
    assertEquals(List.of(), rule.evaluate(unvalidated, c), "RPKI off in state");
    FakeContext asn = new FakeContext(Target.asn(64500, "US"), AlertType.RPKI_INVALID);
    Change invalid =
        change(
                ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED,
                "203.0.113.0/24",
                new long[] {64666},
                RovState.ROV_STATE_INVALID_ASN)
            .build();
    assertEquals(List.of(), rule.evaluate(invalid, asn));
    Change validMoreSpecific =
        change(
                ChangeKind.MORE_SPECIFIC,
                "203.0.113.0/25",
                new long[] {64500},
                RovState.ROV_STATE_VALID)
            .build();
    assertEquals(List.of(), rule.evaluate(validMoreSpecific, c), "says nothing of before");
  }

  /**
   * An ASN entry: the watched AS's own announcement of a prefix outside its PREFIX entries,
   * RPKI-invalid, fires under the AS (no watched_prefix); another origin's invalid announcement
   * reaching the entry does not; the prefix gone resolves.
   */
  @Test
  void anAsnEntryPagesItsOwnInvalidAnnouncementOnly() {
    FakeContext c =
        new FakeContext(
            new Target(Target.Kind.ASN, "AS64500", 64500, "", ""), AlertType.RPKI_INVALID);
    Change own =
        change(
                ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED,
                "198.51.100.0/25",
                new long[] {64500},
                RovState.ROV_STATE_INVALID_LENGTH)
            .addAllPeerAsns(List.of(2914, 3356, 1299))
            .build();
    Signal s = rule.evaluate(own, c).get(0);
    assertTrue(s.fire());
    assertEquals("RpkiInvalid|asn=AS64500|prefix=198.51.100.0/25", s.key());
    assertEquals("invalid-length", s.labels().get("rov"));
    assertTrue(s.description().contains("the watched AS's own announcement"), s.description());
    // a MOAS where only the other origin is invalid: not the watched AS's announcement problem
    Change other =
        change(
                ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED,
                "192.0.2.0/24",
                new long[] {64500, 64666},
                RovState.ROV_STATE_VALID,
                RovState.ROV_STATE_INVALID_ASN)
            .build();
    List<Signal> none = rule.evaluate(other, c);
    assertTrue(none.isEmpty() || !none.get(0).fire(), none.toString());
    // an origin change never reaches an ASN entry for a prefix
    assertEquals(
        List.of(),
        rule.evaluate(
            change(
                    ChangeKind.ORIGIN_CHANGED,
                    "198.51.100.0/25",
                    new long[] {64500},
                    RovState.ROV_STATE_INVALID_LENGTH)
                .build(),
            c));
    Signal gone =
        rule.evaluate(
                Change.newBuilder()
                    .setKind(ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN)
                    .setTimeMicros(T + 1)
                    .setPrefix(prefix("198.51.100.0/25"))
                    .addOriginsBefore(64500)
                    .build(),
                c)
            .get(0);
    assertFalse(gone.fire());
    assertEquals(s.key(), gone.key());
  }

  static Change revalidated(String p, long origin, RovState before, RovState after, long t) {
    return change(ChangeKind.CHANGE_KIND_ROV_CHANGED, p, new long[] {origin}, after)
        .setTimeMicros(t)
        .setMovedAtMicros(t)
        .setRovStateBefore(before)
        .addOriginRovStatesBefore(before)
        .addAllPeerAsns(List.of(2914, 3356, 1299))
        .build();
  }

  /**
   * The VRP set changes, the route does not: a ROA removed makes the owner's announcement invalid
   * (fires, with the change's time as first seen and the same labels as an announcement's), the ROA
   * back makes it valid (resolves the same alert).
   */
  @Test
  void aRoaRemovedFiresAndTheRoaBackResolves() {
    FakeContext c = ctx("203.0.113.0/24", 64500);
    Signal s =
        rule.evaluate(
                revalidated(
                    "203.0.113.0/24",
                    64500,
                    RovState.ROV_STATE_VALID,
                    RovState.ROV_STATE_INVALID_ASN,
                    T + 3_600_000_000L),
                c)
            .get(0);
    assertTrue(s.fire());
    assertEquals(
        "RpkiInvalid|asn=AS64500|prefix=203.0.113.0/24|watched_prefix=203.0.113.0/24", s.key());
    assertEquals("invalid-origin", s.labels().get("rov"));
    assertEquals(Long.toString(T + 3_600_000_000L), s.context().get("first_seen"));
    assertEquals(3, s.evidence().peerCount(false), "the same evidence bar as an announcement");
    assertTrue(
        s.description()
            .contains(
                "The route did not change, the VRP set did (it was valid) at 2025-03-18 10:30:15"
                    + " UTC. RPKI: AS64500 invalid-origin"),
        s.description());
    assertTrue(s.description().contains("The invalid origin is the entry's own"), s.description());
    Signal r =
        rule.evaluate(
                revalidated(
                    "203.0.113.0/24",
                    64500,
                    RovState.ROV_STATE_INVALID_ASN,
                    RovState.ROV_STATE_VALID,
                    T + 7_200_000_000L),
                c)
            .get(0);
    assertFalse(r.fire());
    assertEquals(s.key(), r.key());
    Signal gone =
        rule.evaluate(
                revalidated(
                    "203.0.113.0/24",
                    64500,
                    RovState.ROV_STATE_INVALID_LENGTH,
                    RovState.ROV_STATE_NOT_FOUND,
                    T + 7_200_000_000L),
                c)
            .get(0);
    assertFalse(gone.fire(), "not-found resolves too");
  }

  /**
   * A maxLength shrunk: the owner's more-specific turns invalid-length, under the AS's entry too.
   */
  @Test
  void aShrunkMaxLengthFiresInvalidLengthUnderAnAsnEntry() {
    FakeContext asn =
        new FakeContext(
            new Target(Target.Kind.ASN, "AS64500", 64500, "", ""), AlertType.RPKI_INVALID);
    Signal s =
        rule.evaluate(
                revalidated(
                    "198.51.100.0/25",
                    64500,
                    RovState.ROV_STATE_VALID,
                    RovState.ROV_STATE_INVALID_LENGTH,
                    T),
                asn)
            .get(0);
    assertTrue(s.fire());
    assertEquals("RpkiInvalid|asn=AS64500|prefix=198.51.100.0/25", s.key());
    assertEquals("invalid-length", s.labels().get("rov"));
    // another origin's prefix re-validated under the entry of an AS it does not name: nothing
    assertEquals(
        List.of(),
        rule.evaluate(
            revalidated(
                "198.51.100.0/25",
                64666,
                RovState.ROV_STATE_VALID,
                RovState.ROV_STATE_INVALID_ASN,
                T),
            asn));
  }

  /** The first load after state starts has no state before: it fires all the same. */
  @Test
  void aFirstVerdictWithoutABeforeFires() {
    FakeContext c = ctx("203.0.113.0/24", 64500);
    Change first =
        change(
                ChangeKind.CHANGE_KIND_ROV_CHANGED,
                "203.0.113.0/25",
                new long[] {64666},
                RovState.ROV_STATE_INVALID_ASN)
            .build();
    Signal s = rule.evaluate(first, c).get(0);
    assertTrue(s.fire());
    assertTrue(
        s.description().contains("The route did not change, the VRP set did at "), s.description());
    assertTrue(s.description().contains("Expected origin AS64500."), s.description());
  }
}
