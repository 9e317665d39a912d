package io.routewatch.state.rib;

import io.routewatch.state.outage.Outage;
import io.routewatch.state.outage.OutageTracker;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.util.List;

/**
 * Everything a {@link RoutingEngine} needs to come back identical after a restart, as plain values:
 * the primary state (VPs, prefixes, interned paths and attribute sets, routes) and the persistent
 * bits of the derived views that cannot be recounted from the routes (upstream first/since/last
 * times, the change detector's last reports, outage state machines and history, loading phases).
 * Counters that follow from the routes (shares, visibility, origins, AS graph) are rebuilt on
 * {@link RoutingEngine#restore}. Taken by {@link RoutingEngine#capture()} on the writer thread; the
 * arrays are private copies (or immutable values), so the image can be encoded on another thread.
 *
 * <p>Ids are dense: {@code attrPath[i]} indexes {@link #paths}, a route value indexes {@link
 * #attrs}, a prefix id indexes {@link #prefixes} (prefix ids are kept as they were, since the
 * detector and outage keys use them). Country indexes refer to {@link #countries} (the codes of the
 * registry at capture), so a restore with a refreshed registry maps them by code.
 */
public record RibImage(
    Scalars scalars,
    String[] countries,
    Prefix[] prefixes,
    AsPath[] paths,
    int[] attrPath,
    RouteAttributes[] attrs,
    List<Vp> vps,
    List<SharePair> originPairs,
    List<SharePair> countryPairs,
    byte[] prefixState,
    int[][] prefixOrigins,
    List<Report> originReports,
    List<Report> countryReports,
    int[] originEverVisible,
    int[] countryEverVisible,
    List<OutageTracker.Saved> outages,
    List<Outage> outageHistory) {

  /** Engine clock and flags. */
  public record Scalars(
      long clock,
      long firstTs,
      boolean warm,
      boolean denominatorDirty,
      long lastReevaluation,
      long updates,
      long eventsEmitted) {}

  /**
   * One vantage point: session phase, full-feed flag, settle deadline, families loaded/ended, its
   * routes ({@code keys[i]} = path-id &lt;&lt; 32 | prefix id → attribute set {@code values[i]}),
   * the RIB-dump stale set (null outside a dump) and the deferred items (null when not deferring).
   */
  public record Vp(
      VantagePointKey key,
      int phase,
      boolean fullFeed,
      long deadline,
      int afisLoaded,
      int afisEnded,
      boolean addPath,
      long[] keys,
      int[] values,
      long[] stale,
      int[] deferredOrigins,
      int[] deferredPrefixes,
      int[] deferredCountries) {

    public boolean deferring() {
      return deferredOrigins != null;
    }
  }

  /** Times of one (subject, upstream) pair of a share table. */
  public record SharePair(int subject, int upstream, long first, long since, long last) {}

  /**
   * The upstream shares last reported for a subject (origin ASN or country index), and the change
   * time of its last unreported drift (-1: none pending).
   */
  public record Report(
      int subject, int[] upstreams, double[] shares, long driftSince, byte[] evidence) {
    /** A report from a format without evidence counts (they are re-derived on restore). */
    public Report(int subject, int[] upstreams, double[] shares, long driftSince) {
      this(subject, upstreams, shares, driftSince, null);
    }
  }

  /** Routes held. */
  public long routeCount() {
    long n = 0;
    for (Vp v : vps) {
      n += v.keys.length;
    }
    return n;
  }
}
