package io.routewatch.state.rib;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.country.InternationalUpstream;
import io.routewatch.state.leak.AsRelationships;
import io.routewatch.state.leak.ValleyFree;
import io.routewatch.state.outage.OutageTracker;
import io.routewatch.state.resilience.AsGraph;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import io.routewatch.state.upstream.ShareTable;
import io.routewatch.state.upstream.UpstreamRule;
import io.routewatch.state.visibility.PrefixOrigins;
import io.routewatch.state.visibility.VisibilityTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * The RIB and its incrementally maintained views; single writer, no locking (the facade locks).
 * Every update touches only what it changes: the VP's route map, the interned path/attribute
 * counts, and — only when the best path of (VP, prefix) moves to another AS path — the share and
 * visibility counters of the origins, countries and prefix involved.
 */
final class Engine {
  final EngineConfig cfg;
  final CountryRegistry countries;
  final Map<VantagePointKey, VantagePoint> vpByKey = new HashMap<>();
  VantagePoint[] vps = new VantagePoint[16];
  int vpCount;

  // Prefixes: interned to dense ids; IPv4 by a packed long, IPv6 by value.
  final LongIntHashMap v4Ids = new LongIntHashMap();
  final ObjectIntHashMap<Prefix> v6Ids = new ObjectIntHashMap<>();
  Prefix[] prefixes = new Prefix[1024];
  int[] prefixCountry = new int[1024];
  int prefixCount;

  // AS paths and attribute sets, hash-consed with reference counts; per-path derived facts.
  final Interner<AsPath> paths = new Interner<>();
  int[] pathOrigin = new int[64]; // 0 = no origin
  int[] pathUpstream = new int[64]; // 0 = no upstream (ShareTable.NONE)
  int[] pathCountry = new int[64]; // origin's country, -1 none
  int[] pathIntl = new int[64]; // international upstream, 0 none
  final Interner<AttrKey> attrs = new Interner<>();
  int[] attrPath = new int[64];

  final ShareTable originShares = new ShareTable();

  /** Origins whose share table was updated since history last took them (periodic samples). */
  final IntHashSet touchedOrigins = new IntHashSet();

  final ShareTable countryShares = new ShareTable();
  final VisibilityTable vis = new VisibilityTable();
  final PrefixOrigins origins = new PrefixOrigins();
  final AsGraph graph = new AsGraph();
  final OutageTracker outages;
  final ChangeDetector detector;
  final LeakTracker leaks;
  final NeighborTracker neighbors;

  /** AS relationships for the valley-free check (empty: route leaks are not looked for). */
  AsRelationships rels = AsRelationships.EMPTY;

  /** Per interned path: its {@link ValleyFree} finding, {@link #UNCHECKED} until first asked. */
  long[] pathLeak = new long[64];

  static final long UNCHECKED = -1;

  /** Per interned path: passes through a watched AS? 0 = not known yet, 1 = no, 2 = yes. */
  byte[] pathThroughWatched = new byte[64];

  /**
   * Per interned path: its watched-AS neighbour edges ({@link NeighborTracker}), null = not yet.
   */
  long[][] pathNeighbors = new long[64][];

  long clock;
  long firstTs = -1;
  boolean warm;

  /** What PREFIX_ANNOUNCED / PREFIX_WITHDRAWN are reported for (nothing until told). */
  WatchedSpace watched = WatchedSpace.NONE;

  long nextVpDeadline = Long.MAX_VALUE;
  boolean denominatorDirty;
  long lastReevaluation = Long.MIN_VALUE;
  long routeCount;
  long updates;

  /** An attribute set: interned AS path id + the other attributes. */
  record AttrKey(int pathId, RouteAttributes attrs) {
    @Override
    public int hashCode() {
      return pathId * 0x61C88647 + attrs.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AttrKey k && k.pathId == pathId && k.attrs.equals(attrs);
    }
  }

  Engine(EngineConfig cfg, CountryRegistry countries, ChangeListener listener) {
    this.cfg = cfg;
    this.countries = countries;
    this.outages =
        new OutageTracker(
            cfg.outageThreshold(),
            cfg.outageClearThreshold(),
            cfg.outageHoldMicros(),
            cfg.outageClearMicros(),
            cfg.outageHistory());
    this.detector = new ChangeDetector(this, listener);
    this.leaks = new LeakTracker(this);
    this.neighbors = new NeighborTracker(this, NeighborTracker.MAX_NEIGHBORS);
  }

  // ---------------------------------------------------------------- vantage points

  int vantagePoint(VantagePointKey key) {
    VantagePoint v = vpByKey.get(key);
    if (v != null) {
      return v.id;
    }
    if (vpCount == vps.length) {
      vps = Arrays.copyOf(vps, vpCount * 2);
    }
    v = new VantagePoint(vpCount, key);
    vps[vpCount++] = v;
    vpByKey.put(key, v);
    return v.id;
  }

  VantagePoint vp(int id) {
    if (id < 0 || id >= vpCount) {
      throw new IllegalArgumentException("unknown vantage point id " + id);
    }
    return vps[id];
  }

  /** Enters LOADING: changes this VP causes are deferred until it settles. */
  private void beginLoad(VantagePoint v, long ts) {
    if (!v.deferring()) {
      v.deferredOrigins = new IntHashSet();
      v.deferredPrefixes = new IntHashSet();
      v.deferredCountries = new IntHashSet();
    }
    v.phase = VantagePoint.LOADING;
    v.afisLoaded = 0;
    v.afisEnded = 0;
    armDeadline(v, ts + cfg.settleMicros());
  }

  private void armDeadline(VantagePoint v, long at) {
    v.deadline = at;
    nextVpDeadline = Math.min(nextVpDeadline, at);
  }

  private void ensureActive(VantagePoint v, long ts) {
    if (v.phase == VantagePoint.NEW || v.phase == VantagePoint.DOWN) {
      beginLoad(v, ts); // routes without PEER_UP: the session is evidently (back) up
    }
  }

  void peerUp(int vpId, long ts) {
    advance(ts);
    VantagePoint v = vp(vpId);
    if (v.phase != VantagePoint.LOADING) {
      beginLoad(v, ts);
    }
  }

  void ribDumpBegin(int vpId, long ts) {
    advance(ts);
    VantagePoint v = vp(vpId);
    if (v.phase != VantagePoint.LOADING) {
      beginLoad(v, ts);
    }
    LongHashSet stale = new LongHashSet(Math.max(16, v.routes.size()));
    v.routes.forEachKey(stale::add);
    v.stale = stale;
  }

  void ribDumpEnd(int vpId, long ts) {
    advance(ts);
    VantagePoint v = vp(vpId);
    if (v.stale != null) {
      LongHashSet stale = v.stale;
      v.stale = null;
      stale.forEach(k -> withdrawKey(v, keyPrefix(k), keyPathId(k), ts));
    }
    settle(v, ts);
  }

  void endOfRib(int vpId, int afi, long ts) {
    advance(ts);
    VantagePoint v = vp(vpId);
    v.afisEnded |= 1 << afi;
    if (v.phase == VantagePoint.LOADING && v.stale == null && (v.afisLoaded & ~v.afisEnded) == 0) {
      settle(v, ts);
    }
  }

  void peerDown(int vpId, long ts) {
    advance(ts);
    VantagePoint v = vp(vpId);
    if (!v.deferring()) {
      v.deferredOrigins = new IntHashSet();
      v.deferredPrefixes = new IntHashSet();
      v.deferredCountries = new IntHashSet();
    }
    v.phase = VantagePoint.DOWN;
    v.stale = null;
    armDeadline(v, ts + cfg.settleMicros());
    long[] keys = v.routes.keysView().toArray();
    for (long k : keys) {
      withdrawKey(v, keyPrefix(k), keyPathId(k), ts);
    }
    v.addPath = null;
  }

  /** Loading (or down) period over: release its deferred changes and refresh full-feed status. */
  private void settle(VantagePoint v, long ts) {
    if (v.phase == VantagePoint.LOADING || v.phase == VantagePoint.NEW) {
      v.phase = VantagePoint.UP;
    }
    v.deadline = Long.MAX_VALUE;
    updateFullFeed(v);
    boolean firstLoad = !v.everSettled;
    if (firstLoad) {
      v.firstSettledMicros = ts;
    }
    v.everSettled = true;
    if (v.deferring()) {
      IntHashSet o = v.deferredOrigins;
      IntHashSet p = v.deferredPrefixes;
      IntHashSet c = v.deferredCountries;
      v.deferredOrigins = null;
      v.deferredPrefixes = null;
      v.deferredCountries = null;
      detector.release(o, p, c, ts, firstLoad ? v.id : -1);
    }
    if (!warm) {
      boolean anyTransient = false;
      for (int i = 0; i < vpCount; i++) {
        anyTransient |= vps[i].deferring();
      }
      if (!anyTransient) {
        becomeWarm(ts);
      }
    }
  }

  private void updateFullFeed(VantagePoint v) {
    boolean full = v.v4Prefixes >= cfg.fullFeedV4() || v.v6Prefixes >= cfg.fullFeedV6();
    if (full == v.fullFeed) {
      return;
    }
    v.fullFeed = full;
    int sign = full ? 1 : -1;
    if (v.addPath == null) {
      v.routes.forEachKey(k -> vis.fullFeedChanged(keyPrefix(k), sign));
    } else {
      v.addPath.forEachKey(pid -> vis.fullFeedChanged(pid, sign));
    }
    vis.addFullFeedVps(sign);
    denominatorDirty = true;
  }

  // ---------------------------------------------------------------- time

  void advance(long ts) {
    if (firstTs < 0) {
      firstTs = ts;
      clock = ts;
    }
    if (ts <= clock) {
      return;
    }
    clock = ts;
    if (clock >= nextVpDeadline) {
      long next = Long.MAX_VALUE;
      for (int i = 0; i < vpCount; i++) {
        VantagePoint v = vps[i];
        if (v.deadline <= clock) {
          settle(v, v.deadline);
        } else {
          next = Math.min(next, v.deadline);
        }
      }
      nextVpDeadline = next;
    }
    if (clock >= outages.nextDeadline()) {
      outages.advance(clock, detector::outageEvent);
    }
    if (clock >= detector.nextDriftDeadline) {
      detector.reportDrifts(clock);
    }
    if (clock >= detector.nextSpreadDeadline) {
      detector.reportSpreads(clock);
    }
    // A changed denominator moves every prefix's visibility: re-evaluate all, at most once a
    // second.
    if (denominatorDirty && clock - lastReevaluation >= 1_000_000L) {
      denominatorDirty = false;
      lastReevaluation = clock;
      detector.reevaluateAllPrefixes(clock);
    }
    if (!warm && clock - firstTs >= cfg.warmupMicros()) {
      becomeWarm(clock);
    }
  }

  /** Change reporting starts: the watched prefixes announced now are reported once. */
  private void becomeWarm(long ts) {
    warm = true;
    detector.reportWatched(WatchedSpace.NONE, ts);
    leaks.reportCarried(ts);
  }

  // ---------------------------------------------------------------- prefixes and interning

  int prefixId(Prefix p) {
    return p.isIpv4() ? v4Ids.getIfAbsent(v4Key(p), -1) : v6Ids.getIfAbsent(p, -1);
  }

  private static long v4Key(Prefix p) {
    return ((p.ipv4Address() & 0xffffffffL) << 8) | p.length();
  }

  int internPrefix(Prefix p) {
    int id = prefixId(p);
    if (id >= 0) {
      return id;
    }
    id = prefixCount++;
    if (id == prefixes.length) {
      prefixes = Arrays.copyOf(prefixes, id * 2);
      prefixCountry = Arrays.copyOf(prefixCountry, id * 2);
    }
    prefixes[id] = p;
    prefixCountry[id] = countries.countryOfPrefix(p);
    if (p.isIpv4()) {
      v4Ids.put(v4Key(p), id);
    } else {
      v6Ids.put(p, id);
    }
    vis.ensure(id);
    origins.ensure(id);
    detector.ensurePrefix(id);
    return id;
  }

  int internPath(AsPath path) {
    int id = paths.intern(path);
    if (paths.lastWasNew()) {
      if (id >= pathOrigin.length) {
        int n = paths.capacity();
        pathOrigin = Arrays.copyOf(pathOrigin, n);
        pathUpstream = Arrays.copyOf(pathUpstream, n);
        pathCountry = Arrays.copyOf(pathCountry, n);
        pathIntl = Arrays.copyOf(pathIntl, n);
        pathLeak = Arrays.copyOf(pathLeak, n);
        pathThroughWatched = Arrays.copyOf(pathThroughWatched, n);
        pathNeighbors = Arrays.copyOf(pathNeighbors, n);
      }
      pathLeak[id] = UNCHECKED;
      pathThroughWatched[id] = 0;
      pathNeighbors[id] = null;
      UpstreamRule.Result r = UpstreamRule.analyze(path);
      int origin = r.origin() < 0 ? 0 : (int) r.origin();
      pathOrigin[id] = origin;
      pathUpstream[id] = r.upstream() < 0 ? ShareTable.NONE : (int) r.upstream();
      int cc =
          origin == 0 || r.reason() == UpstreamRule.Reason.LOOP
              ? -1
              : countries.countryOfAsn(origin & 0xffffffffL);
      pathCountry[id] = cc;
      pathIntl[id] =
          cc < 0 ? 0 : (int) Math.max(0, InternationalUpstream.find(path, countries, cc));
      graph.addPath(path);
    }
    return id;
  }

  /** The path's valley-free finding, checked once per interned path (until it is released). */
  long leakOf(int pathId) {
    long l = pathLeak[pathId];
    if (l == UNCHECKED) {
      l = ValleyFree.check(paths.get(pathId).encoding(), rels);
      pathLeak[pathId] = l;
    }
    return l;
  }

  /** True when a watched AS is on the path (cached per path id until the watched space changes). */
  boolean throughWatchedAs(int pathId) {
    if (watched.asnCount() == 0) {
      return false;
    }
    byte b = pathThroughWatched[pathId];
    if (b == 0) {
      b = watched.watchesAsnOn(paths.get(pathId).encoding()) ? (byte) 2 : (byte) 1;
      pathThroughWatched[pathId] = b;
    }
    return b == 2;
  }

  /** A new watched space: the per-path answers of {@link #throughWatchedAs} are stale. */
  void watchedChanged() {
    Arrays.fill(pathThroughWatched, (byte) 0);
    Arrays.fill(pathNeighbors, null);
  }

  /** New relationships: every path is checked again when next asked, the RIB judged again. */
  void relationships(AsRelationships r) {
    rels = r;
    Arrays.fill(pathLeak, UNCHECKED);
    leaks.rescan(clock);
  }

  private void releasePath(int id) {
    AsPath p = paths.get(id);
    if (paths.release(id)) {
      graph.removePath(p);
    }
  }

  void releaseAttr(int id) {
    int path = attrPath[id];
    if (attrs.release(id)) {
      releasePath(path);
    }
  }

  /**
   * Route key in a VP's map. The path-id goes in the high half: it is almost always 0, and the
   * primitive map's hash spreads the low bits far better than a constant low half.
   */
  static long key(int prefixId, int pathId) {
    return ((long) pathId << 32) | (prefixId & 0xffffffffL);
  }

  static int keyPrefix(long key) {
    return (int) key;
  }

  static int keyPathId(long key) {
    return (int) (key >>> 32);
  }

  // ---------------------------------------------------------------- updates

  void announce(int vpId, Prefix prefix, int pathId, AsPath path, RouteAttributes a, long ts) {
    advance(ts);
    VantagePoint v = vp(vpId);
    ensureActive(v, ts);
    updates++;
    int pid = internPrefix(prefix);
    int pi = internPath(path);
    int ai = attrs.intern(new AttrKey(pi, a));
    if (attrs.lastWasNew()) {
      if (ai >= attrPath.length) {
        attrPath = Arrays.copyOf(attrPath, attrs.capacity());
      }
      attrPath[ai] = pi; // the attribute set owns the path reference
    } else {
      releasePath(pi);
    }
    long key = key(pid, pathId);
    if (v.stale != null) {
      v.stale.remove(key);
    }
    if (v.phase == VantagePoint.LOADING) {
      v.afisLoaded |= 1 << prefix.afi();
    }
    int old = v.routes.getIfAbsent(key, -1);
    if (old == ai) {
      releaseAttr(ai); // duplicate announcement
      return;
    }
    int oldBest;
    int newBest;
    if (pathId == 0 && v.addPath == null) {
      v.routes.put(key, ai);
      oldBest = old;
      newBest = ai;
    } else {
      if (v.addPath == null) {
        enableAddPath(v);
      }
      IntArrayList ids = v.addPath.getIfAbsentPut(pid, IntArrayList::new);
      oldBest = ids.isEmpty() ? -1 : v.routes.get(key(pid, ids.get(0)));
      if (old < 0) {
        insertSorted(ids, pathId);
      }
      v.routes.put(key, ai);
      newBest = v.routes.get(key(pid, ids.get(0)));
    }
    if (old < 0) {
      routeCount++;
    }
    if (oldBest != newBest) {
      bestChanged(v, pid, oldBest, newBest, ts);
    }
    if (old >= 0) {
      releaseAttr(old);
    }
  }

  void withdraw(int vpId, Prefix prefix, int pathId, long ts) {
    advance(ts);
    VantagePoint v = vp(vpId);
    updates++;
    int pid = prefixId(prefix);
    if (pid >= 0) {
      withdrawKey(v, pid, pathId, ts);
    }
  }

  private void withdrawKey(VantagePoint v, int pid, int pathId, long ts) {
    int old = v.routes.removeKeyIfAbsent(key(pid, pathId), -1);
    if (old < 0) {
      return;
    }
    routeCount--;
    if (v.addPath == null) {
      bestChanged(v, pid, old, -1, ts);
    } else {
      IntArrayList ids = v.addPath.get(pid);
      boolean wasBest = ids.get(0) == pathId;
      ids.remove(pathId);
      if (wasBest) {
        bestChanged(v, pid, old, ids.isEmpty() ? -1 : v.routes.get(key(pid, ids.get(0))), ts);
      }
      if (ids.isEmpty()) {
        v.addPath.remove(pid);
      }
    }
    releaseAttr(old);
  }

  /** Add-path rule: the lowest path-id (unsigned) of a (VP, prefix) is its best path. */
  static void insertSorted(IntArrayList ids, int pathId) {
    int i = ids.size();
    while (i > 0 && Integer.compareUnsigned(ids.get(i - 1), pathId) > 0) {
      i--;
    }
    ids.addAtIndex(i, pathId);
  }

  private void enableAddPath(VantagePoint v) {
    v.addPath = new IntObjectHashMap<>();
    v.routes.forEachKey(
        k -> insertSorted(v.addPath.getIfAbsentPut(keyPrefix(k), IntArrayList::new), keyPathId(k)));
  }

  /**
   * The best path of (VP, prefix) moved from attribute set {@code oldA} to {@code newA} (-1 none).
   */
  private void bestChanged(VantagePoint v, int pid, int oldA, int newA, long ts) {
    Prefix p = prefixes[pid];
    boolean presence = (oldA < 0) != (newA < 0);
    if (presence) {
      int sign = newA >= 0 ? 1 : -1;
      vis.update(pid, v.fullFeed, sign);
      int before = v.prefixCount();
      if (p.isIpv4()) {
        v.v4Prefixes += sign;
      } else {
        v.v6Prefixes += sign;
      }
      int after = v.prefixCount();
      if (before == 0 || after == 0) {
        vis.addActiveVps(sign);
        if (vis.fullFeedVps() == 0) {
          denominatorDirty = true;
        }
      }
    }
    int oldP = oldA >= 0 ? attrPath[oldA] : -1;
    int newP = newA >= 0 ? attrPath[newA] : -1;
    int oldO = oldP >= 0 ? pathOrigin[oldP] : 0;
    int newO = newP >= 0 ? pathOrigin[newP] : 0;
    if (oldP != newP) {
      if (oldP >= 0) {
        contribute(v, pid, p, oldP, -1, ts);
      }
      if (newP >= 0) {
        contribute(v, pid, p, newP, +1, ts);
      }
      if (oldO != 0) {
        detector.touchOrigin(v, oldO, pid, ts);
      }
      if (newO != 0 && newO != oldO) {
        detector.touchOrigin(v, newO, pid, ts);
      }
      int oldC = oldP >= 0 ? pathCountry[oldP] : -1;
      int newC = newP >= 0 ? pathCountry[newP] : -1;
      if (oldC >= 0) {
        detector.touchCountry(v, oldC, pid, ts);
      }
      if (newC >= 0 && newC != oldC) {
        detector.touchCountry(v, newC, pid, ts);
      }
    }
    if (presence || oldO != newO) {
      detector.touchPrefix(v, pid, ts);
    }
    if (oldP != newP && !rels.isEmpty()) {
      leaks.bestChanged(v, pid, oldP, newP, ts);
    }
    if (oldP != newP && neighbors.active()) {
      neighbors.bestChanged(v, pid, oldP, newP, ts);
    }
  }

  void contribute(VantagePoint v, int pid, Prefix p, int path, int sign, long ts) {
    int o = pathOrigin[path];
    if (o == 0) {
      return; // no single origin (AS_SET): visible, but no origin or upstream to count
    }
    origins.update(pid, o, sign);
    originShares.update(o, pathUpstream[path], v.id, p.isIpv4(), p.length(), sign, ts);
    touchedOrigins.add(o);
    int cc = pathCountry[path];
    if (cc >= 0) {
      countryShares.update(cc, pathIntl[path], v.id, p.isIpv4(), p.length(), sign, ts);
    }
  }

  long peerAsnOf(int vpId) {
    return vps[vpId].peerAsn & 0xffffffffL;
  }
}
