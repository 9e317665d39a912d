package io.routewatch.alert.rule;

/**
 * One upstream of a watched network as the alert service last heard it from state.
 *
 * @param upstream upstream AS
 * @param share VP-weighted share, 0..1
 * @param vpCount VPs that see it
 * @param peerAsns distinct peer ASNs of those VPs
 * @param sinceMicros change time it appeared
 * @param baseline it appeared during the network's baseline (so it is not "new")
 */
public record UpstreamView(
    long upstream,
    double share,
    int vpCount,
    long[] peerAsns,
    long sinceMicros,
    boolean baseline) {}
