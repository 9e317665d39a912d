package io.routewatch.state.rib;

import io.routewatch.state.route.Prefix;
import io.routewatch.state.upstream.ShareTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one shard holds, as raw counts that sum exactly across shards (state scale-out: each
 * instance holds the routes of its share of the prefix space). Read under the engine's read lock by
 * {@link RoutingEngine}; nothing here changes the engine.
 */
public final class ShardCounts {
  private ShardCounts() {}

  /** A VP and how many distinct prefixes this shard holds from it. */
  public record VpCount(VantagePointKey key, int v4Prefixes, int v6Prefixes) {}

  /** One (subject, upstream) pair's counters; upstream -1 carries the subject's totals. */
  public record Pair(
      long upstream,
      int paths,
      long v4,
      double v6,
      List<VantagePointKey> vps,
      long first,
      long since,
      long last) {}

  /**
   * Visibility counts of a subject against a global denominator set: for a prefix, the VPs with a
   * route and how many of them are in the set; for an origin or a country, its known prefixes and
   * how many are visible.
   */
  public record Visibility(
      boolean holdsPrefix,
      int vpsWithRoute,
      int denominatorVpsWithRoute,
      long[] origins,
      List<String> moreSpecifics,
      int knownPrefixes,
      int visiblePrefixes) {
    /** Visible share of the known prefixes; NaN if none is known. */
    public double share() {
      return knownPrefixes == 0 ? Double.NaN : (double) visiblePrefixes / knownPrefixes;
    }
  }

  static List<VpCount> vantagePoints(Engine e) {
    List<VpCount> out = new ArrayList<>(e.vpCount);
    for (int i = 0; i < e.vpCount; i++) {
      VantagePoint v = e.vps[i];
      out.add(new VpCount(v.key, v.v4Prefixes, v.v6Prefixes));
    }
    return out;
  }

  static List<Pair> pairs(Engine e, ShareTable table, int subject) {
    List<Pair> out = new ArrayList<>();
    table.forEachCount(
        subject,
        (up, paths, v4, v6, vps, first, since, last) -> {
          List<VantagePointKey> keys = new ArrayList<>(vps.length);
          for (int vp : vps) {
            keys.add(e.vps[vp].key);
          }
          out.add(
              new Pair(up < 0 ? -1 : up & 0xffffffffL, paths, v4, v6, keys, first, since, last));
        });
    return out;
  }

  /**
   * Visibility of a prefix against {@code denominator} (the global full-feed VPs, or while none is
   * full-feed every VP with a route anywhere) of size {@code denominatorSize}.
   */
  static Visibility prefix(Engine e, Prefix prefix, Set<VantagePointKey> denominator) {
    int pid = e.prefixId(prefix);
    List<String> more = moreSpecifics(e, prefix, pid);
    if (pid < 0) {
      return new Visibility(false, 0, 0, new long[0], more, 0, 0);
    }
    boolean[] inDenominator = inSet(e, denominator);
    int[] o = e.origins.origins(pid);
    long[] origins = new long[o.length];
    for (int i = 0; i < o.length; i++) {
      origins[i] = o[i] & 0xffffffffL;
    }
    return new Visibility(
        true, e.vis.seenBy(pid), seenBy(e, pid, inDenominator), origins, more, 0, 0);
  }

  /**
   * An origin's (scope ORIGIN, id = ASN) or a country's (scope COUNTRY, id = country index) known
   * prefixes — the prefixes the change detector has evaluated, with the origins it last reported
   * (kept while withdrawn) — and how many are visible now: against the global denominator set when
   * sharded, this engine's own denominator when {@code denominator} is null. A prefix whose changes
   * are held back (pending on an unsettled VP) counts as last reported, as the change detector
   * counts it; every other prefix counts as it is now, without the detector's re-evaluation lag
   * after a denominator change.
   */
  static Visibility aggregate(
      Engine e,
      boolean country,
      int id,
      Set<VantagePointKey> denominator,
      int denominatorSize,
      double threshold) {
    boolean[] inDenominator = denominator == null ? null : inSet(e, denominator);
    ChangeDetector d = e.detector;
    int known = 0;
    int visible = 0;
    for (int pid = 0; pid < e.prefixCount && pid < d.prefixState.length; pid++) {
      if (d.prefixState[pid] == ChangeDetector.UNKNOWN) {
        continue;
      }
      boolean member;
      if (country) {
        member = e.prefixCountry[pid] == id && id >= 0;
      } else {
        int[] o = d.prefixOrigins[pid];
        member = false;
        for (int k = 0; o != null && k < o.length && !member; k++) {
          member = o[k] == id;
        }
      }
      if (!member) {
        continue;
      }
      known++;
      boolean vis;
      if (d.pendingPrefixes.containsKey(pid)) {
        // its changes are held back (a loading or down VP has not settled): as last reported
        vis = d.prefixState[pid] == ChangeDetector.VISIBLE;
      } else if (inDenominator == null) {
        vis = e.vis.visibility(pid) > threshold; // one instance: its own denominator
      } else {
        double v =
            denominatorSize == 0
                ? 0
                : Math.min(1.0, (double) seenBy(e, pid, inDenominator) / denominatorSize);
        vis = v > threshold;
      }
      if (vis) {
        visible++;
      }
    }
    return new Visibility(false, 0, 0, new long[0], List.of(), known, visible);
  }

  /** Seen prefixes (other than {@code pid}) that {@code prefix} covers, in address order. */
  static List<String> moreSpecifics(Engine e, Prefix prefix, int pid) {
    TreeSet<Prefix> more = new TreeSet<>();
    for (int q = 0; q < e.prefixCount; q++) {
      Prefix p = e.prefixes[q];
      if (q != pid && e.vis.seenBy(q) > 0 && prefix.covers(p)) {
        more.add(p);
      }
    }
    List<String> out = new ArrayList<>(more.size());
    for (Prefix p : more) {
      out.add(p.toString());
    }
    return out;
  }

  private static boolean[] inSet(Engine e, Set<VantagePointKey> set) {
    boolean[] in = new boolean[e.vpCount];
    for (int i = 0; i < e.vpCount; i++) {
      in[i] = set.contains(e.vps[i].key);
    }
    return in;
  }

  /** VPs in the set holding at least one route (any path-id) to the prefix. */
  private static int seenBy(Engine e, int pid, boolean[] in) {
    int n = 0;
    for (int i = 0; i < e.vpCount; i++) {
      if (!in[i]) {
        continue;
      }
      VantagePoint v = e.vps[i];
      boolean has =
          v.addPath == null
              ? v.routes.containsKey(Engine.key(pid, 0))
              : v.addPath.containsKey(pid) && !v.addPath.get(pid).isEmpty();
      if (has) {
        n++;
      }
    }
    return n;
  }
}
