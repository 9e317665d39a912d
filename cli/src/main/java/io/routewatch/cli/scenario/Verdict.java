package io.routewatch.cli.scenario;

/**
 * The outcome of a scenario run. A scenario marked {@code pending:} (its expected outcome is ahead
 * of the alert logic) that misses an expectation is PENDING, not FAILED: the run reports the reason
 * and what it saw, exits 0, and {@code make test} counts it as skipped. A pending scenario that
 * passes is PASSED (and its mark can go).
 */
public enum Verdict {
  PASSED,
  FAILED,
  PENDING;

  public static Verdict of(Scenario s, boolean expectationsMet) {
    if (expectationsMet) {
      return PASSED;
    }
    return s.isPending() ? PENDING : FAILED;
  }

  public static Verdict of(Scenario s, ScenarioRunner.Report r) {
    return of(s, r.passed());
  }

  /** 0 unless FAILED (a pending scenario is not a failure). */
  public int exitCode() {
    return this == FAILED ? 1 : 0;
  }

  /** The report's last line: PASSED, FAILED, or PENDING with the reason. */
  public String line(Scenario s) {
    return switch (this) {
      case PASSED ->
          s.isPending()
              ? "PASSED (marked pending: \"" + s.pending() + "\"; the mark can go)"
              : "PASSED";
      case FAILED -> "FAILED";
      case PENDING -> "PENDING: " + s.pending();
    };
  }
}
