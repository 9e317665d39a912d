package io.routewatch.state.rib;

import java.util.List;

/**
 * A route leak as a change reports it (RFC 7908): who leaked, the offending segment and its type.
 *
 * @param leaker the AS that passed the route on against its export rules
 * @param segment in path order: the AS it passed the route to, the leaker, the AS it learned it
 *     from
 * @param type RFC 7908 type 1..4 ({@link io.routewatch.state.leak.ValleyFree})
 * @param vantagePoints the VPs whose best path carries it now (at most 64)
 */
public record RouteLeak(
    long leaker, long[] segment, int type, List<VantagePointKey> vantagePoints) {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("leak type ").append(type).append(" by AS").append(leaker);
    sb.append(" segment=");
    for (int i = 0; i < segment.length; i++) {
      sb.append(i == 0 ? "" : " ").append(segment[i]);
    }
    return sb.toString();
  }
}
