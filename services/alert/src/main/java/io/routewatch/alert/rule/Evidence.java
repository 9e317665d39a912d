package io.routewatch.alert.rule;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the noise filter weighs before a condition may fire.
 *
 * @param peerAsns distinct peer ASNs whose VPs saw it ({@code null}: the change carries no list, so
 *     the min-peer-ASN rule does not apply)
 * @param adjacent those of {@code peerAsns} adjacent to the watched network (the VP is in the
 *     origin AS or in the upstream itself): anchors got false "new neighbour" alerts from them
 * @param vpCount VPs that saw it
 * @param share fraction of full-feed VPs / VP paths behind it (NaN: not applicable)
 */
public record Evidence(long[] peerAsns, long[] adjacent, int vpCount, double share) {
  public static final Evidence NONE = new Evidence(null, new long[0], 0, Double.NaN);

  /**
   * Why this evidence is short of the entry's bar ({@code "peers"}: fewer than {@code
   * min-peer-asns} distinct peer ASNs; {@code "share"}: below {@code min-vp-share}), empty when it
   * meets it. The one test of "enough evidence": the noise filter applies it to firing signals,
   * rules that must weigh something other than their own signal (a second upstream ending
   * SingleHomed) apply it there.
   */
  public Optional<String> shortOf(Thresholds th) {
    if (peerAsns != null && peerCount(th.excludeAdjacent()) < th.minPeerAsns()) {
      return Optional.of("peers");
    }
    if (!Double.isNaN(share) && share + 1e-9 < th.minVpShare()) {
      return Optional.of("share");
    }
    return Optional.empty();
  }

  /** Distinct peer ASNs, optionally without the adjacent ones. */
  public int peerCount(boolean excludeAdjacent) {
    if (peerAsns == null) {
      return 0;
    }
    if (!excludeAdjacent) {
      return peerAsns.length;
    }
    return (int)
        Arrays.stream(peerAsns).filter(a -> Arrays.stream(adjacent).noneMatch(x -> x == a)).count();
  }
}
