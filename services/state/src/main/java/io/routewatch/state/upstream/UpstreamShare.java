package io.routewatch.state.upstream;

/**
 * One upstream of a subject (an origin AS, or a country's international upstream) as seen now.
 *
 * @param upstreamAsn the upstream AS
 * @param paths (VP, prefix) best paths through it
 * @param vpShare VP-weighted share: {@code paths} / all (VP, prefix) best paths of the subject
 * @param addressShareV4 share weighted by IPv4 address count (NaN if the subject has no IPv4)
 * @param addressShareV6 share weighted by IPv6 address count (NaN if the subject has no IPv6)
 * @param vpCount distinct VPs that see it
 * @param peerAsns distinct peer ASNs of those VPs (sorted)
 * @param adjacentVpCount VPs whose own peer ASN is this upstream ("uncertain" in RIPEstat)
 * @param firstSeenMicros first time ever seen (event time)
 * @param sinceMicros start of the current continuous presence (0 if absent now)
 * @param lastSeenMicros last event that added or removed a path through it
 */
public record UpstreamShare(
    long upstreamAsn,
    int paths,
    double vpShare,
    double addressShareV4,
    double addressShareV6,
    int vpCount,
    long[] peerAsns,
    int adjacentVpCount,
    long firstSeenMicros,
    long sinceMicros,
    long lastSeenMicros) {
  /** Every VP that sees this upstream is the upstream itself: weak evidence of a new link. */
  public boolean adjacentVp() {
    return adjacentVpCount > 0 && adjacentVpCount == vpCount;
  }

  public int peerAsnCount() {
    return peerAsns.length;
  }
}
