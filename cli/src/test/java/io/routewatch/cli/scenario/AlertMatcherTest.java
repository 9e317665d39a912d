package io.routewatch.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertMatcherTest {
  static final long START = 1506846600L * 1_000_000L;
  static final long RUN = 1_700_000_000L * 1_000_000L; // wall clock of the run start
  static final Scenario SC =
      new Scenario(
          "t",
          "",
          131279,
          START,
          START + 7_200_000_000L,
          720,
          65000,
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          Map.of(),
          List.of(),
          List.of(),
          "");
  static final Timeline TL = new Timeline(SC, 720);
  static final Map<String, String> NEW = Map.of("asn", "AS131279", "upstream", "AS20485");

  static Scenario.ExpectedAlert fire(long atScenarioS) {
    return new Scenario.ExpectedAlert(
        START + atScenarioS * 1_000_000L, 120_000_000L, "NewUpstream", "FIRING", NEW, 0, "");
  }

  static AlertMatcher.Observed seen(String type, long wallMs) {
    return new AlertMatcher.Observed(
        type,
        "FIRING",
        Map.of("alertname", type, "asn", "AS131279", "upstream", "AS20485"),
        0,
        0,
        RUN + wallMs * 1000,
        "");
  }

  @Test
  void onTimeWithinOneSecondPasses() {
    // 09:07:51 + 2 min hold = 2391 scenario s after 08:30 → 3321 ms wall at 720×
    AlertMatcher.Result r =
        AlertMatcher.match(List.of(fire(2271)), List.of(seen("NewUpstream", 3321 + 900)), RUN, TL);
    assertTrue(r.passed(), r.toString());
  }

  @Test
  void lateMissingAndExtraFail() {
    assertFalse(
        AlertMatcher.match(List.of(fire(2271)), List.of(seen("NewUpstream", 3321 + 1100)), RUN, TL)
            .passed());
    assertFalse(AlertMatcher.match(List.of(fire(2271)), List.of(), RUN, TL).passed());
    AlertMatcher.Result extra =
        AlertMatcher.match(
            List.of(fire(2271)),
            List.of(seen("NewUpstream", 3400), seen("SingleHomed", 100)),
            RUN,
            TL);
    assertFalse(extra.passed());
    assertTrue(extra.checks().get(1).detail().startsWith("unexpected: SingleHomed FIRING"));
  }

  @Test
  void resolvedDurationIsCheckedInScenarioTime() {
    var exp =
        new Scenario.ExpectedAlert(
            START + 1000_000_000L, 0, "VisibilityLoss", "RESOLVED", Map.of(), 690_000_000L, "");
    long due = TL.wallMillis(exp.dueMicros());
    var ok =
        new AlertMatcher.Observed(
            "VisibilityLoss",
            "RESOLVED",
            Map.of(),
            RUN,
            RUN + 690_000_000L / 720,
            RUN + due * 1000 + 100_000,
            "");
    assertTrue(AlertMatcher.match(List.of(exp), List.of(ok), RUN, TL).passed());
    var wrong =
        new AlertMatcher.Observed(
            "VisibilityLoss",
            "RESOLVED",
            Map.of(),
            RUN,
            RUN + 3 * 690_000_000L / 720,
            RUN + due * 1000 + 100_000,
            "");
    assertFalse(AlertMatcher.match(List.of(exp), List.of(wrong), RUN, TL).passed());
  }

  @Test
  void baselineAlertsAreDueWithinTheBaselinesWindow() {
    // SingleHomed at first sight, hold 10 min = 833 ms wall; state took 413 ms to hold the whole
    // baseline, so the clock (RUN) started 413 ms after the baseline went out
    var exp = new Scenario.ExpectedAlert(START, 600_000_000L, "NewUpstream", "FIRING", NEW, 0, "");
    long sent = RUN - 413_000;
    var fromTheSend = seen("NewUpstream", 833 - 413 + 20);
    assertFalse(
        AlertMatcher.match(List.of(exp), List.of(fromTheSend), RUN, TL).passed(),
        "looks early on the run clock");
    assertTrue(
        AlertMatcher.match(List.of(exp), List.of(fromTheSend), RUN, START, sent, TL).passed());
    // state first saw it late in the window: counted from the clock's start, on time
    assertTrue(
        AlertMatcher.match(
                List.of(exp), List.of(seen("NewUpstream", 833 + 900)), RUN, START, sent, TL)
            .passed());
    // before the window or more than a second after it: wrong
    assertFalse(
        AlertMatcher.match(List.of(exp), List.of(seen("NewUpstream", 100)), RUN, START, sent, TL)
            .passed());
    assertFalse(
        AlertMatcher.match(
                List.of(exp), List.of(seen("NewUpstream", 833 + 1100)), RUN, START, sent, TL)
            .passed());
    // a later alert still counts from the run clock
    assertFalse(
        AlertMatcher.match(
                List.of(fire(2271)), List.of(seen("NewUpstream", 3321 - 413)), RUN, START, sent, TL)
            .passed());
  }
}
