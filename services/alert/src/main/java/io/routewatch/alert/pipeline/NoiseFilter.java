package io.routewatch.alert.pipeline;

import io.routewatch.alert.rule.Evidence;
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
      return Optional.empty(); // recovery never needs evidence: resolving late is the only risk
    }
    Evidence e = s.evidence();
    if (e.peerAsns() != null && e.peerCount(th.excludeAdjacent()) < th.minPeerAsns()) {
      return Optional.of("peers");
    }
    if (!Double.isNaN(e.share()) && e.share() + 1e-9 < th.minVpShare()) {
      return Optional.of("share");
    }
    return Optional.empty();
  }
}
