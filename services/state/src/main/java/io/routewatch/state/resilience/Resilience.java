package io.routewatch.state.resilience;

import io.routewatch.state.upstream.UpstreamShare;
import io.routewatch.state.upstream.UpstreamView;

/**
 * Resilience of an origin AS or a country (DOMAIN §2).
 *
 * @param subject origin ASN as text, or country code
 * @param upstreamsAboveFloor upstreams whose VP-weighted share is at least the floor
 * @param herfindahl sum of squared shares, shares normalised over paths that have an upstream (1.0
 *     = a single upstream; 1/n for n equal upstreams); NaN with no upstream at all
 * @param singleHomed exactly one upstream above the floor
 * @param minCut smallest number of foreign ASes whose loss disconnects the subject from the VPs'
 *     peers on the observed AS graph; -1 if it is not connected to them at all
 * @param minCutAsns one such set (closest to the subject), empty if {@code minCutLimited}
 * @param minCutLimited the search stopped at its limit: the cut is at least {@code minCut}
 */
public record Resilience(
    String subject,
    int upstreamsAboveFloor,
    double herfindahl,
    boolean singleHomed,
    int minCut,
    long[] minCutAsns,
    boolean minCutLimited) {

  /** Share-based figures from an upstream view plus a min-cut result. */
  public static Resilience of(UpstreamView view, double floor, MinCut.Result cut) {
    int above = 0;
    int withUp = view.totalPaths() - view.pathsWithoutUpstream();
    double hhi = 0;
    for (UpstreamShare u : view.upstreams()) {
      if (u.vpShare() >= floor) {
        above++;
      }
      if (withUp > 0) {
        double s = (double) u.paths() / withUp;
        hhi += s * s;
      }
    }
    return new Resilience(
        view.subject(),
        above,
        withUp > 0 ? hhi : Double.NaN,
        above == 1,
        cut == null ? -1 : (cut.size() == 0 ? -1 : cut.size()),
        cut == null ? new long[0] : cut.cutAsns(),
        cut != null && cut.limited());
  }
}
