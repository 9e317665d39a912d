package io.routewatch.state.upstream;

import io.routewatch.state.route.AsPath;

/**
 * The upstream rule of DOMAIN §2. Origin: last AS of the final AS_SEQUENCE (none if the path ends
 * in an AS_SET or a confederation segment). Upstream: the AS immediately left of the origin after
 * collapsing prepends; none when the path is only the origin, when the neighbour is in an AS_SET or
 * confederation segment, or when the path has a loop (an AS in two non-adjacent positions).
 */
public final class UpstreamRule {
  /** Why a path has no upstream; {@link #OK} when it has one. */
  public enum Reason {
    OK,
    NO_ORIGIN,
    ORIGIN_ONLY,
    NEIGHBOUR_IN_SET,
    NEIGHBOUR_IN_CONFED,
    LOOP
  }

  /** Result; ASNs are unsigned 32-bit held in a long, {@code -1} for none. */
  public record Result(long origin, long upstream, Reason reason) {
    public boolean hasUpstream() {
      return upstream >= 0;
    }
  }

  private UpstreamRule() {}

  public static Result analyze(AsPath path) {
    int[] e = path.encoding();
    // Locate the final segment.
    int last = -1;
    for (int o = 0; o < e.length; o += e[o + 1] + 2) {
      last = o;
    }
    if (last < 0 || e[last] != AsPath.AS_SEQUENCE || e[last + 1] == 0) {
      return new Result(-1, -1, Reason.NO_ORIGIN);
    }
    int originPos = last + 2 + e[last + 1] - 1;
    int origin = e[originPos];
    long originL = origin & 0xffffffffL;
    if (hasLoop(e)) {
      return new Result(originL, -1, Reason.LOOP);
    }
    // Walk left from the origin, across segment boundaries, skipping prepends.
    int segStart = last;
    int pos = originPos - 1;
    while (true) {
      while (pos >= segStart + 2 && e[pos] == origin) {
        pos--;
      }
      if (pos >= segStart + 2) {
        return new Result(originL, e[pos] & 0xffffffffL, Reason.OK);
      }
      int prev = previousSegment(e, segStart);
      if (prev < 0) {
        return new Result(originL, -1, Reason.ORIGIN_ONLY);
      }
      int type = e[prev];
      if (type == AsPath.AS_SET) {
        return new Result(originL, -1, Reason.NEIGHBOUR_IN_SET);
      }
      if (type != AsPath.AS_SEQUENCE) {
        return new Result(originL, -1, Reason.NEIGHBOUR_IN_CONFED);
      }
      segStart = prev; // a long path split into several AS_SEQUENCE segments
      pos = prev + 2 + e[prev + 1] - 1;
    }
  }

  private static int previousSegment(int[] e, int segStart) {
    int prev = -1;
    for (int o = 0; o < segStart; o += e[o + 1] + 2) {
      prev = o;
    }
    return prev;
  }

  /**
   * A loop: after collapsing runs of the same AS (prepending), an AS occurs twice. Only AS_SEQUENCE
   * members are positions; a set or confederation segment breaks a run but is not itself checked
   * (aggregates legitimately repeat the origin inside a trailing AS_SET).
   */
  static boolean hasLoop(int[] e) {
    int n = 0;
    for (int o = 0; o < e.length; o += e[o + 1] + 2) {
      n += e[o + 1];
    }
    if (n <= 2) {
      return false;
    }
    int[] seen = new int[n];
    int count = 0;
    int prev = 0;
    boolean havePrev = false;
    for (int o = 0; o < e.length; o += e[o + 1] + 2) {
      if (e[o] != AsPath.AS_SEQUENCE) {
        havePrev = false;
        continue;
      }
      for (int k = 0; k < e[o + 1]; k++) {
        int asn = e[o + 2 + k];
        if (havePrev && asn == prev) {
          continue;
        }
        for (int j = 0; j < count; j++) {
          if (seen[j] == asn) {
            return true;
          }
        }
        seen[count++] = asn;
        prev = asn;
        havePrev = true;
      }
    }
    return false;
  }
}
