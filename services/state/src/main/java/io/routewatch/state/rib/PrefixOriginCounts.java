package io.routewatch.state.rib;

import io.routewatch.state.route.Prefix;

/**
 * A copy of the (prefix, origin) pairs VP best paths carry: entry {@code i} is prefix {@code
 * prefixes[i]}, origin {@code origins[i]} (unsigned), carried by {@code paths[i]} VP best paths.
 */
public record PrefixOriginCounts(Prefix[] prefixes, int[] origins, int[] paths) {
  public int size() {
    return prefixes.length;
  }
}
