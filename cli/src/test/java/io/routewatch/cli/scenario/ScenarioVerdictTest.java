package io.routewatch.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pending scenarios and label-absent expectations: what a run reports and how it exits. */
class ScenarioVerdictTest {
  static final String FILE =
      """
      name: t
      origin: AS64500
      start: 2024-01-01T00:00:00Z
      end: 2024-01-01T01:00:00Z
      %s
      prefixes: [192.0.2.0/24]
      vps: [{name: a, asn: 3356, address: 127.0.0.9, paths: {p: "3356 64500"}}]
      timeline: [{at: 2024-01-01T00:00:00Z, announce: {vps: all, prefixes: all, path: p}}]
      expect:
        alerts:
          - {at: 2024-01-01T00:10:00Z, type: VisibilityLoss, state: FIRING, labels: {asn: AS64500, prefix: ""}}
          - {at: 2024-01-01T00:20:00Z, type: VisibilityLoss, state: RESOLVED, labels: {asn: AS64500, prefix: }}
      """;

  static Scenario parse(String pendingLine) {
    return ScenarioParser.parse(new StringReader(FILE.formatted(pendingLine)), "t");
  }

  @Test
  void pendingFailsAsPendingWithItsReasonAndExitsZero() {
    Scenario p = parse("pending: \"per-prefix VisibilityLoss not folded into the origin's yet\"");
    assertTrue(p.isPending());
    assertEquals(Verdict.PENDING, Verdict.of(p, false));
    assertEquals(0, Verdict.PENDING.exitCode());
    assertEquals(
        "PENDING: per-prefix VisibilityLoss not folded into the origin's yet",
        Verdict.of(p, false).line(p));
    // a pending scenario that passes says so, and that its mark can go
    assertEquals(Verdict.PASSED, Verdict.of(p, true));
    assertTrue(Verdict.of(p, true).line(p).startsWith("PASSED (marked pending"));
  }

  @Test
  void notPendingFailsAsFailed() {
    Scenario s = parse("");
    assertFalse(s.isPending());
    assertEquals(Verdict.FAILED, Verdict.of(s, false));
    assertEquals(1, Verdict.FAILED.exitCode());
    assertEquals("PASSED", Verdict.of(s, true).line(s));
  }

  @Test
  void anEmptyLabelValueMeansTheLabelIsAbsent() {
    Scenario s = parse("");
    Scenario.ExpectedAlert fire = s.alerts().get(0);
    Scenario.ExpectedAlert resolve = s.alerts().get(1);
    assertEquals("", fire.labels().get("prefix"));
    assertEquals("", resolve.labels().get("prefix"), "'prefix:' with no value is absent too");
    Map<String, String> origin = Map.of("alertname", "VisibilityLoss", "asn", "AS64500");
    Map<String, String> perPrefix =
        Map.of("alertname", "VisibilityLoss", "asn", "AS64500", "prefix", "192.0.2.0/24");
    assertTrue(AlertMatcher.same(fire, seen(origin)));
    assertFalse(AlertMatcher.same(fire, seen(perPrefix)));
    // a present label still has to match its value
    Scenario.ExpectedAlert named =
        new Scenario.ExpectedAlert(
            fire.atMicros(),
            0,
            "VisibilityLoss",
            "FIRING",
            Map.of("prefix", "192.0.2.0/24"),
            0,
            "");
    assertTrue(AlertMatcher.same(named, seen(perPrefix)));
    assertFalse(AlertMatcher.same(named, seen(origin)));
  }

  @Test
  void aPerPrefixPageIsExtraWhereOnlyTheOriginsIsExpected() {
    Scenario s = parse("");
    Timeline tl = new Timeline(s, 720);
    long run = 1_700_000_000_000_000L;
    long due = run + tl.wallMillis(s.alerts().get(0).dueMicros()) * 1000L;
    List<AlertMatcher.Observed> seen =
        List.of(
            new AlertMatcher.Observed(
                "VisibilityLoss", "FIRING", Map.of("asn", "AS64500"), 0, 0, due, ""),
            new AlertMatcher.Observed(
                "VisibilityLoss",
                "FIRING",
                Map.of("asn", "AS64500", "prefix", "192.0.2.0/24"),
                0,
                0,
                due,
                ""));
    AlertMatcher.Result r = AlertMatcher.match(s.alerts().subList(0, 1), seen, run, tl);
    assertFalse(r.passed());
    assertTrue(r.checks().get(0).ok(), r.checks().toString());
    assertTrue(
        r.checks()
                .get(1)
                .detail()
                .startsWith("unexpected: VisibilityLoss FIRING {asn=AS64500, prefix=192.0.2.0/24}")
            || r.checks()
                .get(1)
                .detail()
                .startsWith("unexpected: VisibilityLoss FIRING {prefix=192.0.2.0/24, asn=AS64500}"),
        r.checks().get(1).detail());
  }

  private static AlertMatcher.Observed seen(Map<String, String> labels) {
    return new AlertMatcher.Observed("VisibilityLoss", "FIRING", labels, 0, 0, 0, "");
  }
}
