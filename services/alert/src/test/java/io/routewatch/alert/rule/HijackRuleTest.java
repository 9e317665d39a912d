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

/** Exact-prefix, sub-prefix and squatting hijacks of a PREFIX entry with origins. */
class HijackRuleTest {
  static final long T = micros("2008-02-24T18:47:57Z");
  final HijackRule rule = new HijackRule();

  FakeContext ctx(String watched, long... origins) {
    Set<Long> o = new java.util.LinkedHashSet<>();
    for (long a : origins) {
      o.add(a);
    }
    FakeContext c =
        new FakeContext(
            new Target(Target.Kind.PREFIX, watched, origins[0], "", "YouTube"), AlertType.HIJACK);
    c.thresholds = c.thresholds.withExpectedOrigins(o);
    return c;
  }

  static Change.Builder announced(String p, int vps, long... origins) {
    Change.Builder b =
        Change.newBuilder()
            .setKind(ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED)
            .setTimeMicros(T)
            .setPrefix(prefix(p))
            .setVpCount(vps);
    for (long o : origins) {
      b.addOriginsAfter((int) o);
    }
    if (origins.length == 1) {
      b.setAsn((int) origins[0]);
    }
    return b;
  }

  @Test
  void aSubPrefixFirstSeenWithAForeignOriginFiresWithoutTheCoveringPrefix() {
    Signal s =
        rule.evaluate(
                announced("208.65.153.0/24", 4, 17557)
                    .setAsPath("2914 3491 17557")
                    .addAllPeerAsns(List.of(2914, 12956, 1280, 6939))
                    .build(),
                ctx("208.65.152.0/22", 36561))
            .get(0);
    assertTrue(s.fire());
    assertEquals(
        "Hijack|asn=AS36561|prefix=208.65.153.0/24|watched_prefix=208.65.152.0/22|hijack=sub-prefix",
        s.key());
    assertEquals(
        "Sub-prefix hijack: 208.65.153.0/24 of 208.65.152.0/22 is announced by AS17557 instead of"
            + " AS36561",
        s.summary());
    assertEquals(
        "Sub-prefix hijack: 208.65.153.0/24 of 208.65.152.0/22 is announced by AS17557 instead of"
            + " AS36561 [YouTube]. Origin none announced (expected AS36561) → AS17557; first seen"
            + " 2008-02-24 18:47:57 UTC on the path 2914 3491 17557; seen now by 4 VPs in 4 peer"
            + " ASes (AS1280, AS2914, AS6939, AS12956), at most 4 VPs; no covering prefix"
            + " announced.",
        s.description());
    assertEquals(4, s.evidence().peerCount(false));
    assertEquals("4", s.context().get("vps_at_fire"));
  }

  @Test
  void theSpreadUpdatesTheCountsAndKeepsTheFirstSight() {
    FakeContext c = ctx("208.65.152.0/22", 36561);
    Signal first =
        rule.evaluate(
                announced("208.65.153.0/24", 4, 17557).setAsPath("2914 3491 17557").build(), c)
            .get(0);
    c.active(first, T);
    Signal spread =
        rule.evaluate(
                announced("208.65.153.0/24", 42, 17557)
                    .setSpreadUpdate(true)
                    .setTimeMicros(T + 300_000_000L)
                    .build(),
                c)
            .get(0);
    assertEquals(first.key(), spread.key());
    assertEquals("42", spread.context().get("max_vps"));
    assertEquals("4", spread.context().get("vps_at_fire"));
    assertEquals(Long.toString(T), spread.context().get("first_seen"));
    assertEquals("2914 3491 17557", spread.context().get("first_path"));
    c.active(spread, T);
    Signal fewer = rule.evaluate(announced("208.65.153.0/24", 30, 17557).build(), c).get(0);
    assertEquals("42", fewer.context().get("max_vps"), "the most seen stays");
  }

  @Test
  void theOwnerWinningBackResolvesAndAMoasDoesNot() {
    FakeContext c = ctx("208.65.152.0/22", 36561);
    Change moas =
        Change.newBuilder()
            .setKind(ChangeKind.ORIGIN_CHANGED)
            .setPrefix(prefix("208.65.153.0/24"))
            .setTimeMicros(T)
            .addOriginsBefore(17557)
            .addOriginsAfter(17557)
            .addOriginsAfter(36561)
            .build();
    assertTrue(rule.evaluate(moas, c).get(0).fire(), "the owner beside the hijacker: still one");
    Change back = moas.toBuilder().clearOriginsAfter().addOriginsAfter(36561).setAsn(36561).build();
    Signal r = rule.evaluate(back, c).get(0);
    assertFalse(r.fire());
    assertEquals(
        "Hijack|asn=AS36561|prefix=208.65.153.0/24|watched_prefix=208.65.152.0/22|hijack=sub-prefix",
        r.key());
    // the owner's own more-specifics are no hijack
    assertFalse(rule.evaluate(announced("208.65.153.0/25", 5, 36561).build(), c).get(0).fire());
    // gone everywhere resolves
    Change gone =
        Change.newBuilder()
            .setKind(ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN)
            .setPrefix(prefix("208.65.153.0/24"))
            .addOriginsBefore(17557)
            .build();
    assertFalse(rule.evaluate(gone, c).get(0).fire());
  }

  @Test
  void exactPrefixAndSquatting() {
    Signal exact =
        rule.evaluate(announced("208.65.152.0/22", 3, 17557).build(), ctx("208.65.152.0/22", 36561))
            .get(0);
    assertTrue(exact.fire());
    assertEquals("exact-prefix", exact.labels().get("hijack"));
    Signal squat =
        rule.evaluate(announced("198.51.100.0/24", 3, 64500).build(), ctx("198.51.100.0/23", 0))
            .get(0);
    assertTrue(squat.fire());
    assertEquals("squatting", squat.labels().get("hijack"));
    assertEquals(
        "Squatting: 198.51.100.0/24 (not announced space) is announced by AS64500",
        squat.summary());
  }

  /** An entry with origins gets one page: the origin-change and more-specific rules stand down. */
  @Test
  void oneHijackOnePage() {
    FakeContext oc =
        new FakeContext(
            new Target(Target.Kind.PREFIX, "208.65.152.0/22", 36561, "", ""),
            AlertType.ORIGIN_CHANGE);
    oc.thresholds = oc.thresholds.withExpectedOrigins(Set.of(36561L));
    Change change =
        Change.newBuilder()
            .setKind(ChangeKind.ORIGIN_CHANGED)
            .setPrefix(prefix("208.65.152.0/22"))
            .setAsn(17557)
            .addOriginsAfter(17557)
            .build();
    assertEquals(1, new OriginChangeRule().evaluate(change, oc).size(), "without Hijack origins");
    oc.hijack = oc.hijack.withExpectedOrigins(Set.of(36561L));
    assertEquals(List.of(), new OriginChangeRule().evaluate(change, oc));
    Change more =
        change.toBuilder()
            .setKind(ChangeKind.MORE_SPECIFIC)
            .setPrefix(prefix("208.65.153.0/24"))
            .build();
    assertEquals(List.of(), new MoreSpecificRule().evaluate(more, oc));
  }

  /** BGPalerter's ignoreMorespecifics (more-specific.enabled=false) also drops sub-prefixes. */
  @Test
  void anEntryThatIgnoresMoreSpecificsGetsNoSubPrefixHijack() {
    FakeContext c =
        new FakeContext(
            new Target(Target.Kind.PREFIX, "208.65.152.0/22", 36561, "", ""),
            AlertType.MORE_SPECIFIC);
    c.thresholds =
        new Thresholds(false, "critical", 1, 0, 0, 0, 0, false, 0.2, 0.5, Set.of(36561L));
    c.hijack = c.hijack.withExpectedOrigins(Set.of(36561L));
    assertEquals(List.of(), rule.evaluate(announced("208.65.153.0/24", 4, 17557).build(), c));
    assertTrue(
        rule.evaluate(announced("208.65.152.0/22", 4, 17557).build(), c).get(0).fire(),
        "the exact prefix still");
  }

  @Test
  void aHijackByAnOriginTheRoaAuthorisesIsInfoAndByAnInvalidOneCritical() {
    FakeContext c = ctx("208.65.152.0/22", 36561);
    // a scrubbing service AS64500 the owner's ROA authorises (ARTEMIS#595, BGPalerter#358)
    Signal valid =
        rule.evaluate(
                announced("208.65.152.0/22", 4, 64500)
                    .setRovState(RovState.ROV_STATE_VALID)
                    .addOriginRovStates(RovState.ROV_STATE_VALID)
                    .build(),
                c)
            .get(0);
    assertTrue(valid.fire());
    assertEquals("info", valid.severity());
    assertEquals("valid", valid.labels().get("rov"));
    assertFalse(valid.key().contains("rov"), "the ROV state is not the alert's identity");
    assertTrue(valid.description().endsWith("; RPKI: AS64500 valid."), valid.description());
    // the owner beside an invalid intruder: graded by the intruder alone
    Signal invalid =
        rule.evaluate(
                announced("208.65.152.0/22", 4, 17557, 36561)
                    .setRovState(RovState.ROV_STATE_INVALID_ASN)
                    .addOriginRovStates(RovState.ROV_STATE_INVALID_ASN)
                    .addOriginRovStates(RovState.ROV_STATE_VALID)
                    .build(),
                c)
            .get(0);
    assertEquals("critical", invalid.severity());
    assertEquals("invalid-origin", invalid.labels().get("rov"));
    assertEquals(valid.key(), invalid.key());
    // per entry: a ROA-valid hijack may page as warning instead
    c.thresholds =
        new Thresholds(
            true,
            "critical",
            1,
            0,
            0,
            0,
            0,
            false,
            0.2,
            0.5,
            Set.of(36561L),
            "warning",
            "critical");
    assertEquals(
        "warning",
        rule.evaluate(
                announced("208.65.152.0/22", 4, 64500)
                    .setRovState(RovState.ROV_STATE_VALID)
                    .addOriginRovStates(RovState.ROV_STATE_VALID)
                    .build(),
                c)
            .get(0)
            .severity());
  }

  @Test
  void withoutAVerdictFromStateTheTypesSeverityApplies() {
    FakeContext c = ctx("208.65.152.0/22", 36561);
    Signal nf =
        rule.evaluate(
                announced("208.65.153.0/24", 4, 17557)
                    .setRovState(RovState.ROV_STATE_NOT_FOUND)
                    .addOriginRovStates(RovState.ROV_STATE_NOT_FOUND)
                    .build(),
                c)
            .get(0);
    assertEquals(null, nf.severity());
    assertEquals("not-found", nf.labels().get("rov"));
    Signal off = rule.evaluate(announced("208.65.153.0/24", 4, 17557).build(), c).get(0);
    assertEquals(null, off.severity());
    assertFalse(off.labels().containsKey("rov"), "RPKI off in state: no rov label");
  }
}
