package io.routewatch.state.rib;

import io.routewatch.state.outage.Outage;
import io.routewatch.state.outage.OutageTracker;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import io.routewatch.state.upstream.ShareTable;
import java.util.Arrays;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntLongHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Turns state changes into {@link ChangeEvent}s by comparing the current views of an item (origin,
 * country, prefix) with what was last reported for it.
 *
 * <p>Loading rule (no storms): a change caused by a VP that is LOADING (peer up / RIB dump until
 * BEGIN..END, End-of-RIB for every family it sent, or {@code settleMicros}) or DOWN (peer down,
 * until it reloads or {@code settleMicros} passes) is not evaluated at once: the item goes into
 * that VP's deferred set and is held "pending" (a count of VPs holding it). A pending item is not
 * evaluated at all, even when an established VP touches it, because its current state still lacks
 * the loading VP's routes. When the VP settles, its items are released and, once no VP holds them,
 * evaluated against the last report: a transient dip (peer down, re-dump) that has healed yields no
 * event; a lasting change is reported once. Before the engine is warm (every VP settled once, or
 * {@code warmupMicros} after the first event) the first evaluation of an item only records a
 * baseline; after that a new item reports (e.g. a new origin's upstreams as UPSTREAM_ADDED).
 */
final class ChangeDetector {
  static final int K_ORIGIN = 0;
  static final int K_COUNTRY = 2;
  private static final int[] EMPTY = new int[0];
  static final byte UNKNOWN = 0;
  static final byte VISIBLE = 1;
  private static final byte NEVER_VISIBLE = 2;
  private static final byte LOST = 3; // invisible now, visible before

  private final Engine e;
  private final ChangeListener listener;
  // Items held by loading VPs → number of VPs holding them (one map per kind: int keys hash well).
  final IntIntHashMap pendingOrigins = new IntIntHashMap();
  final IntIntHashMap pendingPrefixes = new IntIntHashMap();
  final IntIntHashMap pendingCountries = new IntIntHashMap();
  final IntObjectHashMap<Report> originReports = new IntObjectHashMap<>();
  final IntObjectHashMap<Report> countryReports = new IntObjectHashMap<>();
  byte[] prefixState = new byte[1024];
  int[][] prefixOrigins = new int[1024][]; // last reported (kept while withdrawn)

  /**
   * Prefixes reported dark (visibility 0 after having been visible). Not in snapshots: after a
   * restore a dark prefix is reported dark once more when next touched, which the alert service
   * absorbs (the alert is already firing).
   */
  boolean[] prefixDark = new boolean[1024];

  /**
   * Prefixes announced nowhere at their last evaluation (or never evaluated): the next announcement
   * is PREFIX_ANNOUNCED (after warm-up). Not in snapshots: rebuilt from the restored routes ({@link
   * #rebuildGone}).
   */
  boolean[] prefixGone = new boolean[1024];

  /**
   * Announcements reported since they were first seen that are still spreading: prefix id → VP
   * count last reported. A follow-up report goes out when the count doubles, and once quiet for the
   * settle time with the exact count; then the prefix leaves. Bounded by the prefixes that appeared
   * within the settle time. Not in snapshots (a restore loses the settled report of a young
   * prefix).
   */
  final IntIntHashMap spreadReported = new IntIntHashMap();

  /** Prefix id → the path of its first route (spreading prefixes only), sent with every report. */
  final IntObjectHashMap<String> spreadPath = new IntObjectHashMap<>();

  /** Prefix id → time its VP count last moved (spreading prefixes only). */
  final IntLongHashMap spreadMoved = new IntLongHashMap();

  /** Queue of (prefix id, time) in time order: when each spreading prefix may have gone quiet. */
  private final IntArrayList spreadQueuePid = new IntArrayList();

  private final LongArrayList spreadQueueTs = new LongArrayList();
  private int spreadQueueHead;
  long nextSpreadDeadline = Long.MAX_VALUE;

  final IntIntHashMap originKnown = new IntIntHashMap();
  final IntIntHashMap originVisible = new IntIntHashMap();
  final IntHashSet originEverVisible = new IntHashSet();
  final IntIntHashMap countryKnown = new IntIntHashMap();
  final IntIntHashMap countryVisible = new IntIntHashMap();
  final IntHashSet countryEverVisible = new IntHashSet();

  /**
   * Origins / countries (once visible) whose share of visible prefixes is now at or below the
   * visible threshold: reported as VISIBILITY_LOST of the subject when they cross, at once (the
   * alert service holds; state's outage hold only debounces what history stores). Derived from the
   * counts, so a restore rebuilds them ({@link #rebuildAggregateLoss}).
   */
  final IntHashSet originLost = new IntHashSet();

  final IntHashSet countryLost = new IntHashSet();
  long eventsEmitted;

  /** Last reported upstream shares of a subject. */
  static final class Report {
    int[] ups = EMPTY;
    double[] shares = new double[0];

    /** VPs and peer ASNs that saw each upstream at the last evaluation (null after a restore). */
    int[] vps;

    long[][] peers;

    /**
     * Peer ASNs that saw each upstream at the last evaluation, capped at {@link #EVIDENCE_PEERS}
     * (kept in snapshots: whether evidence grew must not depend on a restart).
     */
    byte[] evidence;
  }

  static byte[] evidenceOf(long[][] peers) {
    byte[] out = new byte[peers.length];
    for (int i = 0; i < peers.length; i++) {
      out[i] = (byte) Math.min(peers[i] == null ? 0 : peers[i].length, EVIDENCE_PEERS);
    }
    return out;
  }

  ChangeDetector(Engine e, ChangeListener listener) {
    this.e = e;
    this.listener = listener;
    Arrays.fill(prefixGone, true);
  }

  void ensurePrefix(int id) {
    if (id >= prefixState.length) {
      int n = Math.max(prefixState.length * 2, id + 1);
      prefixState = Arrays.copyOf(prefixState, n);
      prefixOrigins = Arrays.copyOf(prefixOrigins, n);
      prefixDark = Arrays.copyOf(prefixDark, n);
      int old = prefixGone.length;
      prefixGone = Arrays.copyOf(prefixGone, n);
      Arrays.fill(prefixGone, old, n, true);
    }
  }

  // ---------------------------------------------------------------- touch / defer / release

  void touchOrigin(VantagePoint src, int asn, int pid, long ts) {
    if (src.deferring()) {
      if (src.deferredOrigins.add(asn)) {
        pendingOrigins.addToValue(asn, 1);
      }
    } else if (!pendingOrigins.containsKey(asn)) {
      evaluateShares(K_ORIGIN, asn, pid, ts);
    }
  }

  void touchCountry(VantagePoint src, int cc, int pid, long ts) {
    if (src.deferring()) {
      if (src.deferredCountries.add(cc)) {
        pendingCountries.addToValue(cc, 1);
      }
    } else if (!pendingCountries.containsKey(cc)) {
      evaluateShares(K_COUNTRY, cc, pid, ts);
    }
  }

  void touchPrefix(VantagePoint src, int pid, long ts) {
    if (src.deferring()) {
      if (src.deferredPrefixes.add(pid)) {
        pendingPrefixes.addToValue(pid, 1);
      }
    } else if (!pendingPrefixes.containsKey(pid)) {
      evaluatePrefix(pid, ts);
    }
  }

  /**
   * A VP's first load settling (its id), else -1: new upstreams that only VPs still on their first
   * load see join the baseline (see {@link #joinedBaseline}).
   */
  private int firstLoadVp = -1;

  private long firstLoadTs;

  void release(IntHashSet origins, IntHashSet prefixes, IntHashSet countries, long ts) {
    release(origins, prefixes, countries, ts, -1);
  }

  void release(
      IntHashSet origins, IntHashSet prefixes, IntHashSet countries, long ts, int firstLoad) {
    firstLoadVp = firstLoad;
    firstLoadTs = ts;
    try {
      releaseItems(origins, prefixes, countries, ts);
    } finally {
      firstLoadVp = -1;
    }
  }

  private void releaseItems(
      IntHashSet origins, IntHashSet prefixes, IntHashSet countries, long ts) {
    prefixes.forEach(
        pid -> {
          if (unpend(pendingPrefixes, pid)) {
            evaluatePrefix(pid, ts);
          }
        });
    origins.forEach(
        asn -> {
          if (unpend(pendingOrigins, asn)) {
            evaluateShares(K_ORIGIN, asn, -1, ts);
          }
        });
    countries.forEach(
        cc -> {
          if (unpend(pendingCountries, cc)) {
            evaluateShares(K_COUNTRY, cc, -1, ts);
          }
        });
  }

  private static boolean unpend(IntIntHashMap pending, int k) {
    if (pending.addToValue(k, -1) <= 0) {
      pending.remove(k);
      return true;
    }
    return false;
  }

  void reevaluateAllPrefixes(long ts) {
    for (int pid = 0; pid < e.prefixCount; pid++) {
      if (!pendingPrefixes.containsKey(pid)) {
        evaluatePrefix(pid, ts);
      }
    }
  }

  // ---------------------------------------------------------------- upstream shares

  // ---------------------------------------------------------------- drift

  /**
   * Subjects whose shares moved by less than share-move-points since their last report (kind in the
   * high word, subject in the low) → change time of the last such move. Once quiet for the settle
   * time, the exact shares are reported: a burst of small steps (VPs switching one by one) ends
   * with the figures as they are, not as they were 9 points ago.
   */
  final LongLongHashMap drifted = new LongLongHashMap();

  /**
   * An upstream's evidence is reported as it grows, one report per new peer ASN, until this many
   * peer ASNs see it: above any sensible {@code min-peer-asns} (default 3), and a bound on the
   * reports one new upstream can cause.
   */
  static final int EVIDENCE_PEERS = 10;

  /** Drifts smaller than half a point are not worth a report. */
  static final double DRIFT_FLOOR = 0.005;

  long nextDriftDeadline = Long.MAX_VALUE;

  private static long driftKey(int kind, int subject) {
    return ((long) kind << 32) | (subject & 0xffffffffL);
  }

  /** Change time of the subject's unreported drift, -1 if none (snapshots). */
  long driftSince(int kind, int subject) {
    return drifted.getIfAbsent(driftKey(kind, subject), -1);
  }

  /** Restores an unreported drift (snapshots). */
  void restoreDrift(int kind, int subject, long since) {
    drifted.put(driftKey(kind, subject), since);
    nextDriftDeadline = Math.min(nextDriftDeadline, since + e.cfg.settleMicros());
  }

  /** After a restore: who sees each reported upstream now (the removal evidence). */
  void fillEvidence(int kind, int subject, Report r) {
    ShareTable table = kind == K_ORIGIN ? e.originShares : e.countryShares;
    r.vps = new int[r.ups.length];
    r.peers = new long[r.ups.length][];
    for (int i = 0; i < r.ups.length; i++) {
      r.vps[i] = table.vpCount(subject, r.ups[i]);
      r.peers[i] = table.peerAsns(subject, r.ups[i], e::peerAsnOf);
    }
    if (r.evidence == null || r.evidence.length != r.ups.length) {
      r.evidence = evidenceOf(r.peers);
    }
  }

  void reportDrifts(long now) {
    long settle = e.cfg.settleMicros();
    LongLongHashMap due = new LongLongHashMap();
    long[] next = {Long.MAX_VALUE};
    drifted.forEachKeyValue(
        (k, t) -> {
          if (now - t >= settle) {
            due.put(k, t);
          } else {
            next[0] = Math.min(next[0], t + settle);
          }
        });
    nextDriftDeadline = next[0];
    // hash order is history-dependent; reports come out in a stable order
    long[] keys = due.keysView().toSortedArray();
    for (long k : keys) {
      drifted.remove(k);
      int kind = (int) (k >>> 32);
      int subject = (int) k;
      IntIntHashMap pending = kind == K_ORIGIN ? pendingOrigins : pendingCountries;
      if (!pending.containsKey(subject)) {
        // reported now, moved then: a consumer that asks "did this move come with an upstream
        // appearing or going?" needs the time of the last step, not the settle timer's
        evaluateShares(kind, subject, -1, now, due.get(k));
      }
    }
  }

  private void evaluateShares(int kind, int subject, int pid, long ts) {
    evaluateShares(kind, subject, pid, ts, -1);
  }

  /**
   * @param driftSince for a drift report (any move is reported, not only those of
   *     share-move-points): the time of the drift's last step; -1 otherwise
   */
  private void evaluateShares(int kind, int subject, int pid, long ts, long driftSince) {
    boolean exact = driftSince >= 0;
    long movedAt = exact ? Math.min(driftSince, ts) : ts;
    ShareTable table = kind == K_ORIGIN ? e.originShares : e.countryShares;
    IntObjectHashMap<Report> reports = kind == K_ORIGIN ? originReports : countryReports;
    int n = table.pairCount(subject);
    int[] ups = new int[n];
    double[] shares = new double[n];
    int m = table.currentShares(subject, ups, shares);
    // by upstream ASN: the table's order depends on its history (a restored table differs), the
    // reports must not
    for (int i = 1; i < m; i++) {
      int u = ups[i];
      double sh = shares[i];
      int k = i - 1;
      for (; k >= 0 && ups[k] > u; k--) {
        ups[k + 1] = ups[k];
        shares[k + 1] = shares[k];
      }
      ups[k + 1] = u;
      shares[k + 1] = sh;
    }
    Report r = reports.get(subject);
    if (r == null) {
      r = new Report();
      reports.put(subject, r);
      if (!e.warm) {
        r.ups = Arrays.copyOf(ups, m);
        r.shares = Arrays.copyOf(shares, m);
        fillEvidence(kind, subject, r);
        return;
      }
    }
    if (firstLoadVp >= 0 && joinedBaseline(kind, subject, r, ups, m)) {
      r.ups = Arrays.copyOf(ups, m);
      r.shares = Arrays.copyOf(shares, m);
      r.vps = null;
      r.evidence = null;
      fillEvidence(kind, subject, r);
      drifted.remove(driftKey(kind, subject));
      return;
    }
    int[] newUps = Arrays.copyOf(ups, m);
    double[] newShares = Arrays.copyOf(shares, m);
    int[] newVps = new int[m];
    long[][] newPeers = new long[m][];
    byte[] newEvidence = new byte[m];
    double movePoints = exact ? DRIFT_FLOOR : e.cfg.shareMovePoints() - 1e-12;
    boolean drift = false;
    for (int i = 0; i < m; i++) {
      // remember who saw each upstream: a removal must carry the evidence it had, not the
      // (empty) set that sees it now; a report carries who sees it now
      int j = indexOf(r.ups, ups[i]);
      newVps[i] = table.vpCount(subject, ups[i]);
      boolean sameEvidence = j >= 0 && r.vps != null && r.vps[j] == newVps[i] && r.peers[j] != null;
      boolean moved = j >= 0 && Math.abs(shares[i] - r.shares[j]) >= movePoints;
      long[] seenBy =
          sameEvidence && !moved ? r.peers[j] : table.peerAsns(subject, ups[i], e::peerAsnOf);
      newPeers[i] = sameEvidence ? r.peers[j] : seenBy;
      newEvidence[i] = (byte) Math.min(seenBy.length, EVIDENCE_PEERS);
      if (j < 0) {
        emitShare(
            ChangeEvent.Type.UPSTREAM_ADDED,
            kind,
            subject,
            ups[i],
            0,
            shares[i],
            pid,
            ts,
            movedAt,
            newVps[i],
            seenBy);
      } else if (moved) {
        emitShare(
            ChangeEvent.Type.UPSTREAM_SHARE_MOVED,
            kind,
            subject,
            ups[i],
            r.shares[j],
            shares[i],
            pid,
            ts,
            movedAt,
            newVps[i],
            seenBy);
      } else if (evidenceGrew(r, j, newEvidence, i, seenBy, kind, subject, ups[i])) {
        // evidence, not share steps: a new upstream first seen by one peer and then by three is
        // reported as each peer ASN joins (the alert's min-peer-asns decides), however small the
        // share step, instead of waiting for the drift to settle
        emitShare(
            ChangeEvent.Type.UPSTREAM_SHARE_MOVED,
            kind,
            subject,
            ups[i],
            r.shares[j],
            shares[i],
            pid,
            ts,
            movedAt,
            newVps[i],
            seenBy);
      } else {
        newShares[i] = r.shares[j]; // keep the reported figure: small drifts accumulate
        drift |= Math.abs(shares[i] - r.shares[j]) >= DRIFT_FLOOR;
      }
    }
    for (int j = 0; j < r.ups.length; j++) {
      if (indexOf(newUps, r.ups[j]) < 0) {
        boolean known = r.vps != null && r.peers[j] != null;
        emitShare(
            ChangeEvent.Type.UPSTREAM_REMOVED,
            kind,
            subject,
            r.ups[j],
            r.shares[j],
            0,
            pid,
            ts,
            movedAt,
            known ? r.vps[j] : 0,
            known ? r.peers[j] : new long[0]);
      }
    }
    r.ups = newUps;
    r.shares = newShares;
    r.vps = newVps;
    r.peers = newPeers;
    r.evidence = newEvidence;
    long key = driftKey(kind, subject);
    if (drift) {
      drifted.put(key, ts);
      nextDriftDeadline = Math.min(nextDriftDeadline, ts + e.cfg.settleMicros());
    } else if (!drifted.isEmpty()) {
      drifted.remove(key);
    }
  }

  /**
   * A VP still on its first load, or whose first load settled within the settle time (VPs that came
   * up together settle one after another; the subject is evaluated when the last lets go).
   */
  private boolean joining(int vp) {
    VantagePoint v = e.vp(vp);
    return vp == firstLoadVp
        || !v.everSettled
        || (v.firstSettledMicros > 0 && v.firstSettledMicros >= firstLoadTs - e.cfg.settleMicros());
  }

  /** A VP still on its first load, or the one whose first load settles now. */
  private boolean loadingFirst(int vp) {
    return vp == firstLoadVp || !e.vp(vp).everSettled;
  }

  /**
   * A VP's first load settled: is everything that changed about this subject only that VP's (and
   * other first-loading VPs') view? True when no reported upstream is gone, every new upstream is
   * seen only by joining VPs, and the established VPs' own view has not moved: their shares (the
   * joining VPs' paths left out) are within share-move-points of the last report. Then the subject
   * is re-baselined silently, shares included: a session that comes up late (staggered start, a new
   * archive or BMP peer) shows how the network was reached all along, not a routing change — its
   * upstreams are not new, and the shares it dilutes have not shifted. Anything an established VP
   * sees (a new upstream, a share that moved among the established VPs) is reported as usual.
   */
  private boolean joinedBaseline(int kind, int subject, Report r, int[] ups, int m) {
    for (int j = 0; j < r.ups.length; j++) {
      if (indexOf(Arrays.copyOf(ups, m), r.ups[j]) < 0) {
        return false;
      }
    }
    ShareTable table = kind == K_ORIGIN ? e.originShares : e.countryShares;
    for (int i = 0; i < m; i++) {
      if (indexOf(r.ups, ups[i]) < 0 && !table.onlyVps(subject, ups[i], this::joining)) {
        return false;
      }
    }
    // VPs that came up together and settled within the settle time may or may not be in the last
    // report (it was taken when one of them let go): either reading of "established" will do
    return establishedUnmoved(table, subject, r, vp -> !joining(vp))
        || establishedUnmoved(table, subject, r, vp -> !loadingFirst(vp));
  }

  /** Are the shares among the VPs {@code established} accepts where the last report put them? */
  private boolean establishedUnmoved(
      ShareTable table, int subject, Report r, java.util.function.IntPredicate established) {
    int n = table.pairCount(subject);
    int[] ups = new int[n];
    double[] shares = new double[n];
    int m = table.currentShares(subject, ups, shares, established);
    if (m == 0) {
      // the established VPs see nothing of it: fine for a subject first seen through joining VPs,
      // not for one whose reported upstreams only joining VPs still show
      return r.ups.length == 0;
    }
    double movePoints = e.cfg.shareMovePoints() - 1e-12;
    for (int j = 0; j < r.ups.length; j++) {
      int i = indexOf(Arrays.copyOf(ups, m), r.ups[j]);
      double now = i < 0 ? 0 : shares[i];
      if (Math.abs(now - r.shares[j]) >= movePoints) {
        return false;
      }
    }
    return true;
  }

  /**
   * Did more peer ASNs see upstream {@code up} than at the last evaluation (while it had fewer than
   * {@link #EVIDENCE_PEERS})? Counted exactly (not assumed from an unchanged VP count), so a
   * restored engine decides the same as one that ran on; sets {@code newEvidence[i]}.
   */
  private boolean evidenceGrew(
      Report r, int j, byte[] newEvidence, int i, long[] seenBy, int kind, int subject, int up) {
    int before = r.evidence != null && j < r.evidence.length ? r.evidence[j] : newEvidence[i];
    if (before >= EVIDENCE_PEERS) {
      return false;
    }
    long[] exact = seenBy;
    if (r.peers != null && r.peers[j] == seenBy) {
      // an unchanged VP count does not mean the same peers: count them
      ShareTable table = kind == K_ORIGIN ? e.originShares : e.countryShares;
      exact = table.peerAsns(subject, up, e::peerAsnOf);
    }
    int now = Math.min(exact.length, EVIDENCE_PEERS);
    newEvidence[i] = (byte) now;
    return now > before;
  }

  private void emitShare(
      ChangeEvent.Type type,
      int kind,
      int subject,
      int up,
      double before,
      double after,
      int pid,
      long ts,
      long movedAt,
      int vpCount,
      long[] peerAsns) {
    boolean origin = kind == K_ORIGIN;
    emit(
        new ChangeEvent(
            type,
            origin ? ChangeEvent.Scope.ORIGIN : ChangeEvent.Scope.COUNTRY,
            ts,
            origin ? subject & 0xffffffffL : -1,
            origin
                ? e.countries.code(e.countries.countryOfAsn(subject & 0xffffffffL))
                : e.countries.code(subject),
            pid >= 0 ? e.prefixes[pid].toString() : null,
            up & 0xffffffffL,
            before,
            after,
            Double.NaN,
            vpCount,
            peerAsns,
            null,
            ChangeEvent.NO_ASNS,
            ChangeEvent.NO_ASNS,
            null,
            movedAt));
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- prefixes

  void evaluatePrefix(int pid, long ts) {
    double v = e.vis.visibility(pid);
    boolean visible = v > e.cfg.visibleThreshold();
    byte st = prefixState[pid];
    int[] now = e.origins.origins(pid);
    int[] before = prefixOrigins[pid] == null ? EMPTY : prefixOrigins[pid];
    boolean report = st != UNKNOWN || e.warm;
    Prefix p = e.prefixes[pid];
    // Visible means strictly above the threshold; a value on it is lost (the alert rules compare
    // the same way). A lost prefix that then goes dark is reported once more, with visibility 0,
    // so a rule whose threshold is below state's still sees a total withdrawal as it happens.
    boolean dark = v == 0 || Double.isNaN(v);
    // A loss is reported after the origin's (and country's) own crossing that it causes: the
    // alert service then sees the network lost first and folds the prefix into it (one incident,
    // one page) even when the entry's hold is 0. A restore stays before the origin's.
    boolean lost = false;
    double lostAt = v;
    if (report && st != UNKNOWN) {
      if (visible && st == LOST) {
        emitPrefix(ChangeEvent.Type.VISIBILITY_RESTORED, pid, v, before, now, null, null, ts);
      } else if (!visible && st == VISIBLE) {
        lost = true;
      } else if (dark && st == LOST && !prefixDark[pid]) {
        lost = true;
        lostAt = 0;
      }
    }
    prefixDark[pid] = dark && (st == VISIBLE || st == LOST);
    if (report && now.length > 0 && before.length > 0 && !Arrays.equals(now, before)) {
      emitPrefix(ChangeEvent.Type.ORIGIN_CHANGED, pid, v, before, now, null, null, ts);
    }
    if (report && now.length > 0) {
      for (int o : now) {
        if (indexOf(before, o) < 0) {
          moreSpecificCheck(pid, o, v, ts);
        }
      }
    }
    int[] rep = now.length > 0 ? now : before;
    byte nst = visible ? VISIBLE : (st == VISIBLE || st == LOST ? LOST : NEVER_VISIBLE);
    boolean visChanged = (st == VISIBLE) != visible || st == UNKNOWN;
    boolean originsChanged = rep != before && !Arrays.equals(rep, before);
    prefixState[pid] = nst;
    prefixOrigins[pid] = rep.length == 0 ? null : rep;
    if (visChanged || originsChanged) {
      int cc = e.prefixCountry[pid];
      boolean wasVisible = st == VISIBLE;
      if (st != UNKNOWN) {
        for (int o : before) {
          originKnown.addToValue(o, -1);
          if (wasVisible) {
            originVisible.addToValue(o, -1);
          }
        }
        if (cc >= 0) {
          countryKnown.addToValue(cc, -1);
          if (wasVisible) {
            countryVisible.addToValue(cc, -1);
          }
        }
      }
      for (int o : rep) {
        originKnown.addToValue(o, 1);
        if (visible) {
          originVisible.addToValue(o, 1);
        }
      }
      if (cc >= 0) {
        countryKnown.addToValue(cc, 1);
        if (visible) {
          countryVisible.addToValue(cc, 1);
        }
        observeAggregate(
            Outage.Scope.COUNTRY, cc, countryKnown, countryVisible, countryEverVisible, ts);
      }
      for (int o : before) {
        observeAggregate(Outage.Scope.ORIGIN, o, originKnown, originVisible, originEverVisible, ts);
      }
      for (int o : rep) {
        if (indexOf(before, o) < 0) {
          observeAggregate(
              Outage.Scope.ORIGIN, o, originKnown, originVisible, originEverVisible, ts);
        }
      }
    }
    if (lost) {
      emitPrefix(
          ChangeEvent.Type.VISIBILITY_LOST,
          pid,
          lostAt,
          before,
          before,
          null,
          visibleCover(pid, before),
          ts);
    }
    // after the visibility reports: the alert service folds a prefix's loss into its network's
    announcements(pid, st, now, before, ts);
    // Outages are tracked only for prefixes that have been visible: a prefix that only ever
    // reached a few VPs is small, not broken.
    if (nst != NEVER_VISIBLE) {
      e.outages.observe(
          OutageTracker.key(Outage.Scope.PREFIX, pid), Outage.Scope.PREFIX, p::toString, v, ts);
    }
  }

  private void observeAggregate(
      Outage.Scope scope,
      int id,
      IntIntHashMap known,
      IntIntHashMap visible,
      IntHashSet ever,
      long ts) {
    int k = known.get(id);
    double ratio = k == 0 ? 0 : (double) visible.get(id) / k;
    if (ratio > e.cfg.visibleThreshold()) {
      ever.add(id);
    }
    if (ever.contains(id)) {
      boolean lostNow = !(ratio > e.cfg.visibleThreshold());
      IntHashSet lost = scope == Outage.Scope.ORIGIN ? originLost : countryLost;
      if (lostNow != lost.contains(id)) {
        if (lostNow) {
          lost.add(id);
        } else {
          lost.remove(id);
        }
        if (e.warm) {
          emitAggregate(
              lostNow ? ChangeEvent.Type.VISIBILITY_LOST : ChangeEvent.Type.VISIBILITY_RESTORED,
              scope,
              id,
              ratio,
              visible.get(id),
              ts);
        }
      }
      String label =
          scope == Outage.Scope.ORIGIN ? Long.toString(id & 0xffffffffL) : e.countries.code(id);
      e.outages.observe(OutageTracker.key(scope, id), scope, () -> label, ratio, ts);
    }
  }

  private void emitAggregate(
      ChangeEvent.Type type,
      Outage.Scope scope,
      int id,
      double ratio,
      int visiblePrefixes,
      long ts) {
    boolean origin = scope == Outage.Scope.ORIGIN;
    long asn = id & 0xffffffffL;
    emit(
        new ChangeEvent(
            type,
            origin ? ChangeEvent.Scope.ORIGIN : ChangeEvent.Scope.COUNTRY,
            ts,
            origin ? asn : -1,
            origin ? e.countries.code(e.countries.countryOfAsn(asn)) : e.countries.code(id),
            null,
            -1,
            Double.NaN,
            Double.NaN,
            ratio,
            visiblePrefixes,
            ChangeEvent.NO_ASNS,
            null,
            ChangeEvent.NO_ASNS,
            ChangeEvent.NO_ASNS,
            null));
  }

  /** After a restore: the subjects lost now, from the restored counts (nothing is emitted). */
  void rebuildAggregateLoss() {
    originLost.clear();
    countryLost.clear();
    originEverVisible.forEach(
        id -> {
          if (!(aggregateVisibility(Outage.Scope.ORIGIN, id) > e.cfg.visibleThreshold())) {
            originLost.add(id);
          }
        });
    countryEverVisible.forEach(
        id -> {
          if (!(aggregateVisibility(Outage.Scope.COUNTRY, id) > e.cfg.visibleThreshold())) {
            countryLost.add(id);
          }
        });
  }

  /** Share of an origin's (or country's) known prefixes that are visible now; NaN if none. */
  double aggregateVisibility(Outage.Scope scope, int id) {
    IntIntHashMap known = scope == Outage.Scope.ORIGIN ? originKnown : countryKnown;
    IntIntHashMap visible = scope == Outage.Scope.ORIGIN ? originVisible : countryVisible;
    int k = known.get(id);
    return k == 0 ? Double.NaN : (double) visible.get(id) / k;
  }

  // ---------------------------------------------------------------- announced / gone everywhere

  /**
   * PREFIX_ANNOUNCED when a watched prefix ({@link Engine#watched}) goes from announced nowhere (or
   * never seen) to announced, and PREFIX_WITHDRAWN when the last VP lets it go; only once warm
   * (before, the state is recorded silently: no flood at start; {@link #reportWatched} reports the
   * watched ones when state becomes warm). A prefix first seen in a VP's first load that only VPs
   * joining now carry joins the baseline, as their upstreams do. Cheap: a flag per prefix; for a
   * prefix that appears or goes, a trie walk and a hash lookup per origin; the VP walk only when a
   * report goes out. An unwatched prefix costs no change.
   */
  private void announcements(int pid, byte st, int[] now, int[] before, long ts) {
    int seen = e.vis.seenBy(pid);
    boolean wasGone = st == UNKNOWN || prefixGone[pid];
    boolean gone = seen == 0;
    prefixGone[pid] = gone;
    if (!e.warm) {
      return;
    }
    if (wasGone && !gone) {
      if (now.length > 0
          && e.watched.watches(e.prefixes[pid], now)
          && !(firstLoadVp >= 0 && onlyJoiningVps(pid))) {
        spreadPath.put(pid, emitAnnounced(pid, now, seen, null, ts));
        spreadReported.put(pid, seen);
        spreadMoved.put(pid, ts);
        queueSpread(pid, ts);
      }
    } else if (!wasGone && gone) {
      spreadReported.remove(pid);
      spreadMoved.remove(pid);
      spreadPath.remove(pid);
      if (before.length > 0 && e.watched.watches(e.prefixes[pid], before)) {
        emitWithdrawn(pid, before, ts);
      }
    } else if (!gone && spreadReported.containsKey(pid)) {
      int last = spreadReported.get(pid);
      if (seen != last) {
        spreadMoved.put(pid, ts);
        queueSpread(pid, ts);
        if (seen >= 2 * last) {
          spreadReported.put(pid, seen);
          emitAnnounced(pid, now, seen, spreadPath.get(pid), ts);
        }
      }
    }
  }

  private void queueSpread(int pid, long ts) {
    spreadQueuePid.add(pid);
    spreadQueueTs.add(ts);
    nextSpreadDeadline =
        Math.min(nextSpreadDeadline, spreadQueueTs.get(spreadQueueHead) + settle());
  }

  private long settle() {
    return e.cfg.settleMicros();
  }

  /** Spreading prefixes quiet for the settle time: their exact figures, once; then they leave. */
  void reportSpreads(long clock) {
    long settle = settle();
    while (spreadQueueHead < spreadQueueTs.size()
        && spreadQueueTs.get(spreadQueueHead) + settle <= clock) {
      int pid = spreadQueuePid.get(spreadQueueHead);
      long at = spreadQueueTs.get(spreadQueueHead);
      spreadQueueHead++;
      if (spreadMoved.containsKey(pid) && spreadMoved.get(pid) == at) {
        int last = spreadReported.get(pid);
        spreadMoved.remove(pid);
        spreadReported.remove(pid);
        String first = spreadPath.remove(pid);
        int seen = e.vis.seenBy(pid);
        int[] now = e.origins.origins(pid);
        if (seen != last && seen > 0 && now.length > 0 && !pendingPrefixes.containsKey(pid)) {
          emitAnnounced(pid, now, seen, first, clock);
        }
      }
    }
    if (spreadQueueHead == spreadQueueTs.size()) {
      spreadQueuePid.clear();
      spreadQueueTs.clear();
      spreadQueueHead = 0;
    } else if (spreadQueueHead > 4096 && spreadQueueHead * 2 > spreadQueueTs.size()) {
      int n = spreadQueueTs.size() - spreadQueueHead;
      IntArrayList pids = new IntArrayList(n);
      LongArrayList tss = new LongArrayList(n);
      for (int i = spreadQueueHead; i < spreadQueueTs.size(); i++) {
        pids.add(spreadQueuePid.get(i));
        tss.add(spreadQueueTs.get(i));
      }
      spreadQueuePid.clear();
      spreadQueuePid.addAll(pids);
      spreadQueueTs.clear();
      spreadQueueTs.addAll(tss);
      spreadQueueHead = 0;
    }
    nextSpreadDeadline =
        spreadQueueHead < spreadQueueTs.size()
            ? spreadQueueTs.get(spreadQueueHead) + settle
            : Long.MAX_VALUE;
  }

  /**
   * Reports, as PREFIX_ANNOUNCED now, every announced prefix that the watched space watches and
   * {@code previous} did not: a new watch entry, or state becoming warm ({@code previous} = {@link
   * WatchedSpace#NONE}), is judged from the current RIB rather than waiting for the prefix's next
   * appearance (a foreign origin present at first sight is reported, not a baseline). A scan of the
   * prefix table with a trie lookup each: on a watch-list change or at warm-up, never per update.
   * Nothing while not warm.
   *
   * @return how many prefixes were reported
   */
  int reportWatched(WatchedSpace previous, long ts) {
    WatchedSpace space = e.watched;
    if (!e.warm || space.isEmpty()) {
      return 0;
    }
    int n = 0;
    for (int pid = 0; pid < e.prefixCount && pid < prefixGone.length; pid++) {
      if (prefixGone[pid] || e.vis.seenBy(pid) == 0) {
        continue; // not announced, or not evaluated yet: its evaluation reports it
      }
      int[] now = e.origins.origins(pid);
      Prefix p = e.prefixes[pid];
      if (now.length == 0 || !space.watches(p, now) || previous.watches(p, now)) {
        continue;
      }
      emitAnnounced(pid, now, e.vis.seenBy(pid), null, ts);
      n++;
    }
    return n;
  }

  /**
   * After a restore: which prefixes are announced nowhere, from the restored routes. A prefix held
   * pending by a loading or down VP counts as announced (its last evaluation, before that VP's dip,
   * is what it is compared with, as an engine that ran on would): a dip that heals reports nothing.
   * The price: a prefix that was gone before such a VP brought it back is not reported as announced
   * after a restore.
   */
  void rebuildGone() {
    for (int pid = 0; pid < e.prefixCount && pid < prefixGone.length; pid++) {
      prefixGone[pid] = e.vis.seenBy(pid) == 0 && !pendingPrefixes.containsKey(pid);
    }
  }

  /** Every VP that carries the prefix is joining now (first load settling): baseline, not news. */
  private boolean onlyJoiningVps(int pid) {
    for (int i = 0; i < e.vpCount; i++) {
      if (bestAttr(e.vps[i], pid) >= 0 && !joining(i)) {
        return false;
      }
    }
    return true;
  }

  /** The VP's best route (attribute set id) for the prefix, -1 if none. */
  private int bestAttr(VantagePoint v, int pid) {
    if (v.addPath == null) {
      return v.routes.getIfAbsent(Engine.key(pid, 0), -1);
    }
    IntArrayList ids = v.addPath.get(pid);
    return ids == null || ids.isEmpty()
        ? -1
        : v.routes.getIfAbsent(Engine.key(pid, ids.get(0)), -1);
  }

  /**
   * The distinct peer ASNs (sorted, at most 64) of the VPs whose best route carries the prefix: who
   * carries it for a report made off the update path (a ROV re-validation).
   */
  long[] peerAsns(int pid) {
    return carriers(pid, Math.min(e.vis.seenBy(pid), 64), null);
  }

  /**
   * The distinct peer ASNs (sorted, at most {@code max}) of the VPs whose best route carries the
   * prefix; unless {@code path} is null, {@code path[0]} is set, when it is null, to the path of
   * the first such route.
   */
  private long[] carriers(int pid, int max, String[] path) {
    long[] peers = new long[max];
    int np = 0;
    for (int i = 0; i < e.vpCount && np < peers.length; i++) {
      VantagePoint v = e.vps[i];
      int a = bestAttr(v, pid);
      if (a < 0) {
        continue;
      }
      if (path != null && path[0] == null) {
        path[0] = e.paths.get(e.attrPath[a]).toString();
      }
      long asn = v.peerAsn & 0xffffffffL;
      boolean dup = false;
      for (int k = 0; k < np && !dup; k++) {
        dup = peers[k] == asn;
      }
      if (!dup) {
        peers[np++] = asn;
      }
    }
    peers = Arrays.copyOf(peers, np);
    Arrays.sort(peers);
    return peers;
  }

  /**
   * Reports an announcement; {@code firstPath} null for its first report (the path of the route
   * found is then the first path), else the first report's path for a spread report.
   *
   * @return the path sent
   */
  private String emitAnnounced(int pid, int[] now, int seen, String firstPath, long ts) {
    return emitAnnounced(pid, now, seen, firstPath != null, firstPath, ts);
  }

  private String emitAnnounced(
      int pid, int[] now, int seen, boolean spread, String firstPath, long ts) {
    // who carries it (distinct peer ASNs) and, for the first report, the first route's path
    String[] first = {firstPath};
    long[] peers = carriers(pid, Math.min(seen, 64), spread ? null : first);
    String path = first[0];
    int cover = coveringAnnounced(pid);
    long originAsn = now.length == 1 ? now[0] & 0xffffffffL : -1;
    emit(
        new ChangeEvent(
            ChangeEvent.Type.PREFIX_ANNOUNCED,
            ChangeEvent.Scope.PREFIX,
            ts,
            originAsn,
            prefixCountryCode(pid),
            e.prefixes[pid].toString(),
            -1,
            Double.NaN,
            Double.NaN,
            e.vis.visibility(pid),
            seen,
            peers,
            cover < 0 ? null : e.prefixes[cover].toString(),
            cover < 0 ? ChangeEvent.NO_ASNS : unsigned(e.origins.origins(cover)),
            unsigned(now),
            null,
            ts,
            path,
            spread));
    return path;
  }

  private void emitWithdrawn(int pid, int[] before, long ts) {
    emit(
        new ChangeEvent(
            ChangeEvent.Type.PREFIX_WITHDRAWN,
            ChangeEvent.Scope.PREFIX,
            ts,
            before.length == 1 ? before[0] & 0xffffffffL : -1,
            prefixCountryCode(pid),
            e.prefixes[pid].toString(),
            -1,
            Double.NaN,
            Double.NaN,
            0,
            0,
            ChangeEvent.NO_ASNS,
            null,
            unsigned(before),
            ChangeEvent.NO_ASNS,
            null));
  }

  /** The closest less-specific that some VP carries now, -1 if none. */
  private int coveringAnnounced(int pid) {
    Prefix p = e.prefixes[pid];
    int min = p.isIpv4() ? 8 : 16;
    for (int len = p.length() - 1; len >= min; len--) {
      int qid = e.prefixId(p.truncate(len));
      if (qid >= 0 && e.vis.seenBy(qid) > 0) {
        return qid;
      }
    }
    return -1;
  }

  /** A new origin on a prefix: is there a known covering prefix announced by other origins? */
  private void moreSpecificCheck(int pid, int origin, double v, long ts) {
    Prefix p = e.prefixes[pid];
    int min = p.isIpv4() ? 8 : 16;
    for (int len = p.length() - 1; len >= min; len--) {
      int qid = e.prefixId(p.truncate(len));
      if (qid < 0 || e.vis.seenBy(qid) == 0) {
        continue;
      }
      int[] cover = e.origins.origins(qid);
      if (cover.length > 0 && indexOf(cover, origin) < 0) {
        emit(
            new ChangeEvent(
                ChangeEvent.Type.MORE_SPECIFIC,
                ChangeEvent.Scope.PREFIX,
                ts,
                origin & 0xffffffffL,
                e.countries.code(e.countries.countryOfAsn(origin & 0xffffffffL)),
                p.toString(),
                -1,
                Double.NaN,
                Double.NaN,
                v,
                e.vis.seenBy(pid),
                ChangeEvent.NO_ASNS,
                e.prefixes[qid].toString(),
                unsigned(cover),
                new long[] {origin & 0xffffffffL},
                null));
      }
      return; // only the closest covering prefix matters
    }
  }

  /**
   * The closest less-specific of {@code pid} that is visible (strictly above the threshold, as a
   * prefix is) and carries one of {@code origins}: while it stays, traffic to the lost prefix still
   * reaches its network through it (a more-specific withdrawn for traffic engineering, not an
   * outage). Null when there is none. Paid only when a loss is reported: a lookup per shorter
   * length down to /8 (IPv4) or /16 (IPv6), as {@link #moreSpecificCheck} does.
   */
  private String visibleCover(int pid, int[] origins) {
    if (origins.length == 0) {
      return null;
    }
    Prefix p = e.prefixes[pid];
    int min = p.isIpv4() ? 8 : 16;
    for (int len = p.length() - 1; len >= min; len--) {
      int qid = e.prefixId(p.truncate(len));
      if (qid < 0 || !(e.vis.visibility(qid) > e.cfg.visibleThreshold())) {
        continue;
      }
      for (int o : e.origins.origins(qid)) {
        if (indexOf(origins, o) >= 0) {
          return e.prefixes[qid].toString();
        }
      }
    }
    return null;
  }

  private void emitPrefix(
      ChangeEvent.Type type,
      int pid,
      double v,
      int[] before,
      int[] after,
      Outage outage,
      String cover,
      long ts) {
    long originAsn =
        after.length == 1
            ? after[0] & 0xffffffffL
            : (before.length == 1 ? before[0] & 0xffffffffL : -1);
    emit(
        new ChangeEvent(
            type,
            ChangeEvent.Scope.PREFIX,
            ts,
            originAsn,
            prefixCountryCode(pid),
            e.prefixes[pid].toString(),
            -1,
            Double.NaN,
            Double.NaN,
            v,
            e.vis.seenBy(pid),
            ChangeEvent.NO_ASNS,
            cover,
            unsigned(before),
            unsigned(after),
            outage));
  }

  /** The prefix's country code (null when unknown). */
  private String prefixCountryCode(int pid) {
    return e.countries.code(e.prefixCountry[pid]);
  }

  private static long[] unsigned(int[] a) {
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] & 0xffffffffL;
    }
    return r;
  }

  /** Outage timer fired (open or close). */
  void outageEvent(Outage o) {
    ChangeEvent.Type type =
        o.open() ? ChangeEvent.Type.OUTAGE_OPENED : ChangeEvent.Type.OUTAGE_CLOSED;
    long ts = o.open() ? e.clock : o.endMicros();
    switch (o.scope()) {
      case PREFIX -> {
        Prefix p = Prefix.parse(o.subject());
        int pid = e.prefixId(p);
        int[] or = pid >= 0 && prefixOrigins[pid] != null ? prefixOrigins[pid] : EMPTY;
        emit(
            new ChangeEvent(
                type,
                ChangeEvent.Scope.PREFIX,
                ts,
                or.length == 1 ? or[0] & 0xffffffffL : -1,
                pid >= 0 ? e.countries.code(e.prefixCountry[pid]) : null,
                o.subject(),
                -1,
                Double.NaN,
                Double.NaN,
                pid >= 0 ? e.vis.visibility(pid) : Double.NaN,
                pid >= 0 ? e.vis.seenBy(pid) : 0,
                ChangeEvent.NO_ASNS,
                o.open() && pid >= 0 ? visibleCover(pid, or) : null,
                unsigned(or),
                unsigned(or),
                o));
      }
      case ORIGIN -> {
        long asn = Long.parseLong(o.subject());
        emit(
            new ChangeEvent(
                type,
                ChangeEvent.Scope.ORIGIN,
                ts,
                asn,
                e.countries.code(e.countries.countryOfAsn(asn)),
                null,
                -1,
                Double.NaN,
                Double.NaN,
                aggregateVisibility(Outage.Scope.ORIGIN, (int) asn),
                0,
                ChangeEvent.NO_ASNS,
                null,
                ChangeEvent.NO_ASNS,
                ChangeEvent.NO_ASNS,
                o));
      }
      case COUNTRY ->
          emit(
              new ChangeEvent(
                  type,
                  ChangeEvent.Scope.COUNTRY,
                  ts,
                  -1,
                  o.subject(),
                  null,
                  -1,
                  Double.NaN,
                  Double.NaN,
                  aggregateVisibility(Outage.Scope.COUNTRY, e.countries.index(o.subject())),
                  0,
                  ChangeEvent.NO_ASNS,
                  null,
                  ChangeEvent.NO_ASNS,
                  ChangeEvent.NO_ASNS,
                  o));
      default -> throw new IllegalStateException();
    }
  }

  /** A route leak's report ({@link LeakTracker}), counted with the detector's. */
  void emitLeak(ChangeEvent ev) {
    emit(ev);
  }

  /** A neighbour's report ({@link NeighborTracker}), counted with the detector's. */
  void emitNeighbor(ChangeEvent ev) {
    emit(ev);
  }

  private void emit(ChangeEvent ev) {
    eventsEmitted++;
    listener.onChange(ev);
  }
}
