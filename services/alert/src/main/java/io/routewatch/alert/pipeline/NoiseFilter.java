package io.routewatch.alert.pipeline;

import io.routewatch.alert.rule.Signal;
import io.routewatch.alert.rule.Thresholds;
import java.util.Optional;

/**
 * The first pipeline stage: a firing condition needs enough independent evidence (BGPalerter's
 * thresholdMinPeers, IODA's share of full-feed VPs) before it may even start its hold time.
 * Adjacent VPs (inside the origin or the upstream itself) can be excluded from the peer count.
 */
public final class NoiseFilter {
  private NoiseFilter() {}

  /** Empty when the signal may proceed, else why it was dropped ("peers", "share", "disabled"). */
  public static Optional<String> reject(Signal s, Thresholds th) {
    if (!th.enabled()) {
      return Optional.of("disabled");
    }
    if (!s.fire()) {
      // a recovery needs no evidence of its own: resolving late is the only risk; a rule whose
      // recovery is itself a claim (SingleHomed's second upstream) weighs that claim first
      return Optional.empty();
    }
    return s.evidence().shortOf(th);
  }
}
