package io.routewatch.state.rib;

import io.routewatch.state.outage.Outage;

/**
 * A change the engine saw, with the numbers a person needs to act on it. Fields that do not apply
 * to a type are -1 (ASNs), NaN (shares, visibility), null (texts, outage) or empty arrays.
 *
 * @param type what changed
 * @param tsMicros event time of the update (or timer) that made the change visible
 * @param originAsn the origin AS concerned
 * @param country country code: the subject of a country event, else the origin's country
 * @param prefix the prefix concerned (for upstream events: the prefix whose update triggered it)
 * @param upstreamAsn the upstream (international upstream for a country event)
 * @param shareBefore VP-weighted share last reported (0 when added)
 * @param shareAfter VP-weighted share now (0 when removed)
 * @param visibility prefix visibility now (visibility / outage events)
 * @param vpCount VPs that see the upstream (upstream events) or the prefix (visibility events)
 * @param peerAsns distinct peer ASNs of those VPs
 * @param coveringPrefix for MORE_SPECIFIC: the known less-specific prefix
 * @param originsBefore for ORIGIN_CHANGED / MORE_SPECIFIC: origins before (of the covering prefix)
 * @param originsAfter origins now (of the more-specific)
 * @param outage for OUTAGE_OPENED / OUTAGE_CLOSED
 * @param movedAtMicros when the move happened: {@code tsMicros}, except for a drift report (shares
 *     that moved in small steps, reported once quiet for the settle time), which carries the time
 *     of its last step
 * @param asPath for PREFIX_ANNOUNCED: the path of the announcement's first route, on every report
 *     of it (null otherwise)
 * @param spreadUpdate for PREFIX_ANNOUNCED / ROUTE_LEAK: a follow-up report while it spreads
 * @param leak for ROUTE_LEAK / ROUTE_LEAK_ENDED: the leaker, segment, type and VPs (null otherwise)
 * @param neighbor for NEIGHBOR_APPEARED / NEIGHBOR_GONE: the watched AS ({@code originAsn} too),
 *     the neighbour and its side (null otherwise)
 */
public record ChangeEvent(
    Type type,
    Scope scope,
    long tsMicros,
    long originAsn,
    String country,
    String prefix,
    long upstreamAsn,
    double shareBefore,
    double shareAfter,
    double visibility,
    int vpCount,
    long[] peerAsns,
    String coveringPrefix,
    long[] originsBefore,
    long[] originsAfter,
    Outage outage,
    long movedAtMicros,
    String asPath,
    boolean spreadUpdate,
    RouteLeak leak,
    Neighbor neighbor) {

  /** A change that is not a neighbour's ({@code neighbor} null). */
  public ChangeEvent(
      Type type,
      Scope scope,
      long tsMicros,
      long originAsn,
      String country,
      String prefix,
      long upstreamAsn,
      double shareBefore,
      double shareAfter,
      double visibility,
      int vpCount,
      long[] peerAsns,
      String coveringPrefix,
      long[] originsBefore,
      long[] originsAfter,
      Outage outage,
      long movedAtMicros,
      String asPath,
      boolean spreadUpdate,
      RouteLeak leak) {
    this(
        type,
        scope,
        tsMicros,
        originAsn,
        country,
        prefix,
        upstreamAsn,
        shareBefore,
        shareAfter,
        visibility,
        vpCount,
        peerAsns,
        coveringPrefix,
        originsBefore,
        originsAfter,
        outage,
        movedAtMicros,
        asPath,
        spreadUpdate,
        leak,
        null);
  }

  /** A change that is not a route leak ({@code leak} null). */
  public ChangeEvent(
      Type type,
      Scope scope,
      long tsMicros,
      long originAsn,
      String country,
      String prefix,
      long upstreamAsn,
      double shareBefore,
      double shareAfter,
      double visibility,
      int vpCount,
      long[] peerAsns,
      String coveringPrefix,
      long[] originsBefore,
      long[] originsAfter,
      Outage outage,
      long movedAtMicros,
      String asPath,
      boolean spreadUpdate) {
    this(
        type,
        scope,
        tsMicros,
        originAsn,
        country,
        prefix,
        upstreamAsn,
        shareBefore,
        shareAfter,
        visibility,
        vpCount,
        peerAsns,
        coveringPrefix,
        originsBefore,
        originsAfter,
        outage,
        movedAtMicros,
        asPath,
        spreadUpdate,
        (RouteLeak) null);
  }

  /** A change without a path ({@code asPath} null, not a spread update). */
  public ChangeEvent(
      Type type,
      Scope scope,
      long tsMicros,
      long originAsn,
      String country,
      String prefix,
      long upstreamAsn,
      double shareBefore,
      double shareAfter,
      double visibility,
      int vpCount,
      long[] peerAsns,
      String coveringPrefix,
      long[] originsBefore,
      long[] originsAfter,
      Outage outage,
      long movedAtMicros) {
    this(
        type,
        scope,
        tsMicros,
        originAsn,
        country,
        prefix,
        upstreamAsn,
        shareBefore,
        shareAfter,
        visibility,
        vpCount,
        peerAsns,
        coveringPrefix,
        originsBefore,
        originsAfter,
        outage,
        movedAtMicros,
        null,
        false);
  }

  /** A change that became visible when it happened ({@code movedAtMicros == tsMicros}). */
  public ChangeEvent(
      Type type,
      Scope scope,
      long tsMicros,
      long originAsn,
      String country,
      String prefix,
      long upstreamAsn,
      double shareBefore,
      double shareAfter,
      double visibility,
      int vpCount,
      long[] peerAsns,
      String coveringPrefix,
      long[] originsBefore,
      long[] originsAfter,
      Outage outage) {
    this(
        type,
        scope,
        tsMicros,
        originAsn,
        country,
        prefix,
        upstreamAsn,
        shareBefore,
        shareAfter,
        visibility,
        vpCount,
        peerAsns,
        coveringPrefix,
        originsBefore,
        originsAfter,
        outage,
        tsMicros);
  }

  public enum Type {
    UPSTREAM_ADDED,
    UPSTREAM_REMOVED,
    UPSTREAM_SHARE_MOVED,
    VISIBILITY_LOST,
    VISIBILITY_RESTORED,
    OUTAGE_OPENED,
    OUTAGE_CLOSED,
    ORIGIN_CHANGED,
    MORE_SPECIFIC,
    /** Announced where it was announced nowhere: first seen after warm-up, or back after gone. */
    PREFIX_ANNOUNCED,
    /** Gone everywhere: no VP carries the prefix any more. */
    PREFIX_WITHDRAWN,
    /** A VP's best path for watched space carries a route leak (RFC 7908), see {@link #leak}. */
    ROUTE_LEAK,
    /** No VP's best path carries that leak any more. */
    ROUTE_LEAK_ENDED,
    /** A watched AS has a new neighbour on some VP's best path, see {@link #neighbor}. */
    NEIGHBOR_APPEARED,
    /** No VP's best path carries that reported neighbour edge any more. */
    NEIGHBOR_GONE
  }

  /** What the event is about: an origin AS, a country, or a prefix. */
  public enum Scope {
    ORIGIN,
    COUNTRY,
    PREFIX
  }

  static final long[] NO_ASNS = new long[0];

  /**
   * Appends {@code fraction} as a percentage with one decimal ("12.5%"): the text {@code
   * String.format("%.1f%%", fraction * 100)} gives, without a {@code Formatter} (the text is built
   * for every change, on the engine's writer thread). Formatter rounds the shortest decimal that
   * names the double ({@link Double#toString}) half-up; away from a tie plain rounding of ten times
   * the value agrees with it, and near one the shortest decimal decides.
   */
  static StringBuilder percent(StringBuilder sb, double fraction) {
    double v = fraction * 100;
    double a = Math.abs(v);
    if (!Double.isFinite(v) || a >= 1e6) {
      return sb.append(String.format("%.1f%%", v));
    }
    double t = a * 10;
    double f = Math.floor(t);
    long tenths;
    if (Math.abs(t - f - 0.5) > 1e-6) {
      tenths = (long) f + (t - f > 0.5 ? 1 : 0);
    } else {
      tenths =
          new java.math.BigDecimal(Double.toString(a))
              .setScale(1, java.math.RoundingMode.HALF_UP)
              .unscaledValue()
              .longValue();
    }
    if (v < 0 || (v == 0 && 1 / v < 0)) {
      sb.append('-');
    }
    return sb.append(tenths / 10).append('.').append(tenths % 10).append('%');
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(type).append(' ').append(scope);
    if (originAsn >= 0) {
      sb.append(" origin=AS").append(originAsn);
    }
    if (country != null) {
      sb.append(" country=").append(country);
    }
    if (prefix != null) {
      sb.append(" prefix=").append(prefix);
    }
    if (upstreamAsn >= 0) {
      sb.append(" upstream=AS").append(upstreamAsn).append(" share ");
      percent(sb, shareBefore).append(" -> ");
      percent(sb, shareAfter).append(" vps=").append(vpCount);
      sb.append(" peers=").append(peerAsns.length);
    }
    if (!Double.isNaN(visibility)) {
      percent(sb.append(" visibility="), visibility);
    }
    if (coveringPrefix != null) {
      sb.append(" covering=").append(coveringPrefix);
    }
    if (asPath != null) {
      sb.append(" path=").append(asPath);
    }
    if (leak != null) {
      sb.append(' ').append(leak);
    }
    if (neighbor != null) {
      sb.append(' ').append(neighbor);
    }
    if (outage != null) {
      sb.append(' ').append(outage);
    }
    return sb.append(" ts=").append(tsMicros).toString();
  }
}
