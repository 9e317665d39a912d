package io.routewatch.state.upstream;

import java.util.List;

/**
 * The upstreams of one subject.
 *
 * @param subject origin ASN, or the country code for a country view
 * @param totalPaths all (VP, prefix) best paths of the subject (the share denominator)
 * @param pathsWithoutUpstream those with no upstream (VP is the origin, AS_SET or confederation
 *     neighbour, loop; for a country: path entirely domestic)
 * @param upstreams present upstreams, largest VP-weighted share first
 */
public record UpstreamView(
    String subject, int totalPaths, int pathsWithoutUpstream, List<UpstreamShare> upstreams) {
  public UpstreamShare upstream(long asn) {
    for (UpstreamShare u : upstreams) {
      if (u.upstreamAsn() == asn) {
        return u;
      }
    }
    return null;
  }
}
