package io.routewatch.cli.scenario;

import io.routewatch.cli.time.Times;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Checks observed alert transitions against a scenario's expectations: exactly the expected ones
 * (nothing missing, nothing extra), in order, each no later than 1 s (wall clock) after its
 * scenario time plus hold, and resolved alerts with the expected duration.
 */
public final class AlertMatcher {
  /** Wall-clock slack after the due time (acceptance: within 1 s). */
  public static final long LATE_MICROS = 1_000_000;

  /** Wall-clock slack before the due time (the runner's own scheduling jitter). */
  public static final long EARLY_MICROS = 200_000;

  /** One transition as seen in the alert service (ListAlerts) or Alertmanager. */
  public record Observed(
      String type,
      String state,
      Map<String, String> labels,
      long startsAtMicros,
      long endsAtMicros,
      long atMicros,
      String summary) {
    public String describe() {
      return type + " " + state + " " + labels + " at " + Times.human(atMicros) + ": " + summary;
    }
  }

  /** The verdict on one expectation (observed is null when missing) or one extra observation. */
  public record Check(
      Scenario.ExpectedAlert expected, Observed observed, boolean ok, String detail) {}

  public record Result(List<Check> checks) {
    public boolean passed() {
      return checks.stream().allMatch(Check::ok);
    }
  }

  private AlertMatcher() {}

  /**
   * @param runStartMicros wall-clock µs at which the scenario's start time was played
   */
  public static Result match(
      List<Scenario.ExpectedAlert> expected,
      List<Observed> observedIn,
      long runStartMicros,
      Timeline tl) {
    return match(expected, observedIn, runStartMicros, Long.MIN_VALUE, runStartMicros, tl);
  }

  /**
   * As {@link #match(List, List, long, Timeline)}, with the baseline's own window: the runner sends
   * the baseline ({@code baselineSentMicros}), waits until state holds all of it and only then
   * starts the scenario clock ({@code runStartMicros}). An alert caused by the baseline (at or
   * before {@code baselineScenarioMicros}: SingleHomed at first sight) counts its hold from when
   * state first saw the network, somewhere in that window: it is early only if before its due time
   * counted from the send, late only if more than the slack after its due time counted from the
   * clock's start.
   */
  public static Result match(
      List<Scenario.ExpectedAlert> expected,
      List<Observed> observedIn,
      long runStartMicros,
      long baselineScenarioMicros,
      long baselineSentMicros,
      Timeline tl) {
    long baselineOrigin = baselineSentMicros - tl.wallMillis(baselineScenarioMicros) * 1000L;
    List<Observed> observed = new ArrayList<>(observedIn);
    observed.sort(Comparator.comparingLong(Observed::atMicros));
    boolean[] used = new boolean[observed.size()];
    List<Check> checks = new ArrayList<>();
    long lastAt = Long.MIN_VALUE;
    long lastDue = Long.MIN_VALUE;
    for (Scenario.ExpectedAlert e : expected) {
      long due = runStartMicros + tl.wallMillis(e.dueMicros()) * 1000L;
      // a baseline alert may come from any moment of the baseline's window
      long earliest =
          e.atMicros() <= baselineScenarioMicros
              ? Math.min(baselineOrigin, runStartMicros) + tl.wallMillis(e.dueMicros()) * 1000L
              : due;
      int found = -1;
      for (int i = 0; i < observed.size(); i++) {
        if (!used[i] && same(e, observed.get(i))) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        checks.add(
            new Check(
                e, null, false, "missing: " + e.describe() + " due at wall " + Times.human(due)));
        continue;
      }
      used[found] = true;
      Observed o = observed.get(found);
      List<String> problems = new ArrayList<>();
      long delta = o.atMicros() - due;
      if (delta > LATE_MICROS) {
        problems.add(String.format("%.3f s late", delta / 1e6));
      } else if (o.atMicros() - earliest < -EARLY_MICROS) {
        problems.add(String.format("%.3f s early", (earliest - o.atMicros()) / 1e6));
      }
      // order: a transition may not come before one expected earlier, unless both were due together
      if (o.atMicros() < lastAt
          && e.dueMicros() != lastDue
          && lastAt - o.atMicros() > LATE_MICROS) {
        problems.add("out of order");
      }
      if (e.state().equals("RESOLVED") && e.durationMicros() > 0 && o.endsAtMicros() > 0) {
        double got = (o.endsAtMicros() - o.startsAtMicros()) * tl.speed();
        double tolerance = LATE_MICROS * tl.speed();
        if (Math.abs(got - e.durationMicros()) > tolerance) {
          problems.add(
              String.format(
                  "lasted %s in scenario time, expected %s",
                  Times.duration((long) got), Times.duration(e.durationMicros())));
        }
      }
      lastAt = Math.max(lastAt, o.atMicros());
      lastDue = e.dueMicros();
      String timing = String.format("%+.3f s vs due", delta / 1e6);
      checks.add(
          new Check(
              e,
              o,
              problems.isEmpty(),
              problems.isEmpty() ? timing : String.join("; ", problems) + " (" + timing + ")"));
    }
    for (int i = 0; i < observed.size(); i++) {
      if (!used[i]) {
        checks.add(
            new Check(null, observed.get(i), false, "unexpected: " + observed.get(i).describe()));
      }
    }
    return new Result(checks);
  }

  /**
   * Same type and state, and every expected label present with the same value; an expected empty
   * value means the label must be absent (or empty, which Alertmanager treats as absent).
   */
  static boolean same(Scenario.ExpectedAlert e, Observed o) {
    if (!e.type().equals(o.type()) || !e.state().equals(o.state())) {
      return false;
    }
    for (Map.Entry<String, String> l : e.labels().entrySet()) {
      String got = o.labels().get(l.getKey());
      if (l.getValue().isEmpty() ? got != null && !got.isEmpty() : !l.getValue().equals(got)) {
        return false;
      }
    }
    return true;
  }
}
