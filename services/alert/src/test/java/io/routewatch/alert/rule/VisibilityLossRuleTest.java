package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.prefix;
import static io.routewatch.alert.support.Changes.visibility;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import org.junit.jupiter.api.Test;

/** 22 Dec 2014: North Korea dark for ~9.5 h. */
class VisibilityLossRuleTest {
  static final long DOWN = micros("2014-12-22T16:30:00Z");
  static final long UP = micros("2014-12-23T02:00:00Z");
  final VisibilityLossRule rule = new VisibilityLossRule();
  final FakeContext ctx = new FakeContext(Target.asn(131279, "KP"), AlertType.VISIBILITY_LOSS);

  @Test
  void prefixBelowThresholdFiresAndResolveCarriesTheDuration() {
    Signal f =
        rule.evaluate(
                visibility(
                    ChangeKind.VISIBILITY_CROSSED, DOWN, 131279, "KP", "175.45.176.0/24", 0.1, 2),
                ctx)
            .get(0);
    assertTrue(f.fire());
    assertEquals("VisibilityLoss|asn=AS131279|prefix=175.45.176.0/24", f.key());
    assertEquals(
        "175.45.176.0/24 of AS131279 (KP) lost visibility: seen by 10.0% of full-feed VPs",
        f.summary());
    assertEquals(
        "175.45.176.0/24 of AS131279 (KP) is visible from only 10.0% of full-feed VPs (2 VPs) since 2014-12-22"
            + " 16:30:00 UTC, at or below the 50.0% threshold.",
        f.description());
    assertEquals(0.9, f.evidence().share(), 1e-9);
    Signal r =
        rule.evaluate(
                visibility(
                    ChangeKind.VISIBILITY_CROSSED, UP, 131279, "KP", "175.45.176.0/24", 0.95, 19),
                ctx)
            .get(0);
    assertFalse(r.fire());
    Annotations a = rule.resolved(FakeContext.asActive(f, DOWN), UP);
    assertEquals(
        "Resolved: 175.45.176.0/24 of AS131279 (KP) is visible again after 9h30m00s", a.summary());
    assertEquals(
        "Outage of 175.45.176.0/24 of AS131279 (KP) from 2014-12-22 16:30:00 UTC to 2014-12-23 02:00:00 UTC"
            + " (9h30m00s); lowest reported visibility 10.0%.",
        a.description());
  }

  /**
   * A more-specific withdrawn while a less-specific of the same origin stays visible (state names
   * it in covering_prefix): the network is still reached, so a warning that says through what, not
   * a critical page; without the cover the same change keeps the type's severity.
   */
  @Test
  void aLostPrefixThatAVisibleLessSpecificStillCoversIsAWarning() {
    Change lost =
        visibility(ChangeKind.VISIBILITY_CROSSED, DOWN, 131279, "KP", "175.45.177.0/24", 0.0, 0)
            .toBuilder()
            .setCoveringPrefix(prefix("175.45.176.0/22"))
            .build();
    Signal f = rule.evaluate(lost, ctx).get(0);
    assertTrue(f.fire());
    assertEquals(VisibilityLossRule.COVERED_SEVERITY, f.severity());
    assertEquals(
        "175.45.177.0/24 of AS131279 (KP) lost visibility: seen by 0.0% of full-feed VPs;"
            + " 175.45.176.0/22 still covers it",
        f.summary());
    assertTrue(
        f.description()
            .endsWith(
                " through 175.45.176.0/22, a less-specific of the same origin that"
                    + " stays visible: a more-specific withdrawn (traffic engineering, aggregation), not an"
                    + " outage."),
        f.description());
    Signal opened =
        rule.evaluate(lost.toBuilder().setKind(ChangeKind.OUTAGE_OPENED).build(), ctx).get(0);
    assertEquals(VisibilityLossRule.COVERED_SEVERITY, opened.severity());
    Signal uncovered = rule.evaluate(lost.toBuilder().clearCoveringPrefix().build(), ctx).get(0);
    assertTrue(uncovered.fire());
    assertNull(uncovered.severity(), "the type's severity (critical by default)");
    assertEquals(f.key(), uncovered.key());
  }

  @Test
  void outageOfTheWholeNetwork() {
    Signal f =
        rule.evaluate(visibility(ChangeKind.OUTAGE_OPENED, DOWN, 131279, "KP", null, 0.0, 0), ctx)
            .get(0);
    assertEquals("VisibilityLoss|asn=AS131279", f.key());
    assertEquals("AS131279 (KP) lost visibility: seen by 0.0% of full-feed VPs", f.summary());
    assertTrue(f.description().endsWith("below the 50.0% threshold; state opened an outage."));
    assertFalse(
        rule.evaluate(visibility(ChangeKind.OUTAGE_CLOSED, UP, 131279, "KP", null, 1.0, 20), ctx)
            .get(0)
            .fire());
  }

  /**
   * A value on a threshold is on the same side in state and in the rule: state calls a prefix
   * visible when visibility is strictly above its threshold and reports the crossing with that
   * value; the rule must fire for every value state calls lost, for every threshold and every
   * fraction k of n VPs (n up to 24, thresholds 0.05 to 0.95), including k/n equal to it.
   */
  @Test
  void aValueOnTheThresholdIsLostInStateAndInTheRule() {
    int onThreshold = 0;
    for (int ti = 1; ti <= 19; ti++) {
      double threshold = ti * 0.05;
      ctx.thresholds =
          new Thresholds(
              true, "critical", 1, 0, 0, 0, 0, false, 0.2, threshold, java.util.Set.of());
      for (int n = 1; n <= 24; n++) {
        for (int k = 0; k <= n; k++) {
          double v = (double) k / n;
          boolean stateVisible = v > threshold; // ChangeDetector.evaluatePrefix
          Signal s =
              rule.evaluate(
                      visibility(
                          ChangeKind.VISIBILITY_CROSSED,
                          DOWN,
                          131279,
                          "KP",
                          "175.45.176.0/24",
                          v,
                          k),
                      ctx)
                  .get(0);
          assertEquals(!stateVisible, s.fire(), "k=" + k + " n=" + n + " threshold=" + threshold);
          if (v == threshold) {
            onThreshold++;
          }
        }
      }
    }
    assertTrue(onThreshold > 0, "some fractions fall exactly on a threshold");
    // the case from the field: 4 of 8 peers withdrew, state reports 0.5 at the 0.5 default
    ctx.thresholds = Thresholds.permissive(AlertType.VISIBILITY_LOSS);
    assertTrue(
        rule.evaluate(
                visibility(
                    ChangeKind.VISIBILITY_CROSSED, DOWN, 131279, "KP", "175.45.176.0/24", 0.5, 4),
                ctx)
            .get(0)
            .fire());
  }

  /**
   * One incident, one page: a network going dark under an ASN entry. Its prefixes' alerts that have
   * not paged yet fold into the network's own VisibilityLoss (state's crossing of the share of its
   * prefixes that are visible); while that is active, prefix crossings add nothing.
   */
  @Test
  void prefixesFoldIntoTheNetworksOwnLoss() {
    String p1 = "VisibilityLoss|asn=AS131279|prefix=175.45.176.0/24";
    String p2 = "VisibilityLoss|asn=AS131279|prefix=175.45.177.0/24";
    String origin = "VisibilityLoss|asn=AS131279";
    // the first prefix goes: a prefix alert (pending in the pipeline)
    Signal first =
        rule.evaluate(
                visibility(
                    ChangeKind.VISIBILITY_CROSSED, DOWN, 131279, "KP", "175.45.176.0/24", 0.0, 0),
                ctx)
            .get(0);
    assertEquals(p1, first.key());
    assertTrue(first.fire());
    ctx.active.put(
        p1,
        new ActiveAlert(
            p1,
            AlertType.VISIBILITY_LOSS,
            false,
            first.labels(),
            "",
            "",
            java.util.Map.of(),
            DOWN));
    // one already paged (firing): it stays, it is resolved by its own recovery
    ctx.active.put(
        p2,
        new ActiveAlert(
            p2, AlertType.VISIBILITY_LOSS, true, first.labels(), "", "", java.util.Map.of(), DOWN));
    // state: 1 of 4 prefixes visible, the network is lost
    java.util.List<Signal> net =
        rule.evaluate(
            visibility(ChangeKind.VISIBILITY_CROSSED, DOWN + 1, 131279, "KP", null, 0.25, 1), ctx);
    assertEquals(2, net.size(), net.toString());
    assertEquals(p1, net.get(0).key());
    assertFalse(net.get(0).fire(), "the pending prefix alert folds into the network's");
    Signal o = net.get(1);
    assertEquals(origin, o.key());
    assertTrue(o.fire());
    assertEquals("AS131279 (KP) lost visibility: 25.0% of its prefixes visible", o.summary());
    assertTrue(
        o.description().contains("its prefixes' own alerts are folded into this one"),
        o.description());
    ctx.active.remove(p1);
    ctx.active.put(origin, FakeContext.asActive(o, DOWN));
    // more prefixes go dark: covered by the network's alert
    assertEquals(
        java.util.List.of(),
        rule.evaluate(
            visibility(
                ChangeKind.VISIBILITY_CROSSED, DOWN + 2, 131279, "KP", "175.45.178.0/24", 0.0, 0),
            ctx));
    // the network comes back: its alert resolves
    Signal back =
        rule.evaluate(
                visibility(ChangeKind.VISIBILITY_CROSSED, UP, 131279, "KP", null, 1.0, 4), ctx)
            .get(0);
    assertEquals(origin, back.key());
    assertFalse(back.fire());
  }

  /** A partial outage (the network stays visible) still pages per prefix. */
  @Test
  void aPartialOutagePagesPerPrefix() {
    Signal s =
        rule.evaluate(
                visibility(
                    ChangeKind.VISIBILITY_CROSSED, DOWN, 131279, "KP", "175.45.176.0/24", 0.1, 2),
                ctx)
            .get(0);
    assertTrue(s.fire());
    assertEquals("VisibilityLoss|asn=AS131279|prefix=175.45.176.0/24", s.key());
  }
}
