package io.routewatch.state.visibility;

import java.util.Arrays;

/**
 * Per-prefix VP counts for visibility (DOMAIN §2): VPs with a route / full-feed VPs. Two counters
 * per prefix id: all VPs with a route, and full-feed VPs with a route. While no VP is full-feed the
 * fallback denominator is every VP that currently has at least one route ("active"), and the
 * numerator is then all VPs with a route.
 */
public final class VisibilityTable {
  private int[] all = new int[1024];
  private int[] full = new int[1024];
  private int fullFeedVps;
  private int activeVps;

  public void ensure(int prefixId) {
    if (prefixId >= all.length) {
      int n = Math.max(all.length * 2, prefixId + 1);
      all = Arrays.copyOf(all, n);
      full = Arrays.copyOf(full, n);
    }
  }

  /** A VP gained (sign +1) or lost (-1) its route(s) to the prefix. */
  public void update(int prefixId, boolean vpIsFullFeed, int sign) {
    all[prefixId] += sign;
    if (vpIsFullFeed) {
      full[prefixId] += sign;
    }
  }

  /** A VP holding a route to the prefix became full-feed (+1) or stopped being one (-1). */
  public void fullFeedChanged(int prefixId, int sign) {
    full[prefixId] += sign;
  }

  public void addFullFeedVps(int delta) {
    fullFeedVps += delta;
  }

  public void addActiveVps(int delta) {
    activeVps += delta;
  }

  public int fullFeedVps() {
    return fullFeedVps;
  }

  public int activeVps() {
    return activeVps;
  }

  /** VPs (any kind) with a route to the prefix. */
  public int seenBy(int prefixId) {
    return prefixId < all.length ? all[prefixId] : 0;
  }

  /** Full-feed VPs with a route to the prefix. */
  public int seenByFullFeed(int prefixId) {
    return prefixId < full.length ? full[prefixId] : 0;
  }

  /** Visibility in [0, 1]; 0 when there is no denominator at all. */
  public double visibility(int prefixId) {
    if (fullFeedVps > 0) {
      return Math.min(1.0, (double) seenByFullFeed(prefixId) / fullFeedVps);
    }
    return activeVps == 0 ? 0 : Math.min(1.0, (double) seenBy(prefixId) / activeVps);
  }

  /** The denominator in use. */
  public int denominator() {
    return fullFeedVps > 0 ? fullFeedVps : activeVps;
  }
}
