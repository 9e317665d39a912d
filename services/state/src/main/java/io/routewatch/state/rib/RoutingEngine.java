package io.routewatch.state.rib;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.leak.AsRelationships;
import io.routewatch.state.outage.Outage;
import io.routewatch.state.outage.OutageTracker;
import io.routewatch.state.resilience.MinCut;
import io.routewatch.state.resilience.Resilience;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import io.routewatch.state.upstream.ShareSample;
import io.routewatch.state.upstream.UpstreamView;
import io.routewatch.state.visibility.PrefixView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * The routing engine of the state service: RIB, upstream shares, visibility, outages, country view
 * and resilience, kept incrementally. Plain Java: no framework, no protobuf.
 *
 * <p>Concurrency: one writer thread calls the update methods; any thread may query. A fair {@link
 * ReentrantReadWriteLock} guards the state: updates take the write lock (use {@link
 * #batch(Runnable)} to apply many updates under one acquisition), queries take the read lock and
 * return immutable snapshots. The {@link ChangeListener} runs on the writer thread inside the write
 * lock. Fair, because the writer re-takes the lock the moment it lets go during an import: a
 * non-fair lock let it barge past a woken query again and again (queries waited seconds on a loaded
 * 2-core machine, AbuseStreamFloodIT's import phase); fair, a query waits at most one batch.
 *
 * <p>Times are event times in microseconds since the epoch; the engine clock is the largest seen
 * (events or {@link #tick(long)}), and hold/clear/settle timers fire on it.
 */
public final class RoutingEngine {
  private Engine e; // replaced only by a failed restore, under the write lock
  private final ChangeListener listener;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
  private volatile HoldObserver holdObserver = HoldObserver.NONE;

  public RoutingEngine(EngineConfig config, CountryRegistry countries, ChangeListener listener) {
    this.e = new Engine(config, countries, listener);
    this.listener = listener;
  }

  public RoutingEngine() {
    this(EngineConfig.defaults(), CountryRegistry.empty(), ChangeListener.NONE);
  }

  // ---------------------------------------------------------------- updates (writer thread)

  /** Id of a vantage point, created on first use. ASN as unsigned 32-bit in an int. */
  public int vantagePoint(String collector, byte[] peerAddress, int peerAsn, int peerBgpId) {
    lock.writeLock().lock();
    try {
      return e.vantagePoint(
          new VantagePointKey(collector, peerAddress.clone(), peerAsn & 0xffffffffL, peerBgpId));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Announcement or RIB entry: replaces the route (vp, prefix, pathId). */
  public void announce(
      int vp, Prefix prefix, int pathId, AsPath path, RouteAttributes attrs, long tsMicros) {
    lock.writeLock().lock();
    try {
      e.announce(vp, prefix, pathId, path, attrs, tsMicros);
    } finally {
      lock.writeLock().unlock();
    }
  }

  public void withdraw(int vp, Prefix prefix, int pathId, long tsMicros) {
    lock.writeLock().lock();
    try {
      e.withdraw(vp, prefix, pathId, tsMicros);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** A RIB dump of this VP starts: routes not re-announced before {@link #ribDumpEnd} go. */
  public void ribDumpBegin(int vp, long tsMicros) {
    write("rib-dump", () -> e.ribDumpBegin(vp, tsMicros));
  }

  public void ribDumpEnd(int vp, long tsMicros) {
    write("rib-dump", () -> e.ribDumpEnd(vp, tsMicros));
  }

  /** Session down: all the VP's routes are withdrawn (implicitly). */
  public void peerDown(int vp, long tsMicros) {
    write("peer-down", () -> e.peerDown(vp, tsMicros));
  }

  /** Session up: the VP is loading until End-of-RIB / dump end / settle time. */
  public void peerUp(int vp, long tsMicros) {
    write("peer-up", () -> e.peerUp(vp, tsMicros));
  }

  /** End-of-RIB (RFC 4724) for an AFI ({@link Prefix#AFI_IPV4} / {@link Prefix#AFI_IPV6}). */
  public void endOfRib(int vp, int afi, long tsMicros) {
    write("end-of-rib", () -> e.endOfRib(vp, afi, tsMicros));
  }

  /** Live time: fires hold/clear/settle timers due by {@code nowMicros}. */
  public void tick(long nowMicros) {
    write("tick", () -> e.advance(nowMicros));
  }

  /**
   * Sets the watched space: PREFIX_ANNOUNCED / PREFIX_WITHDRAWN are reported for its prefixes only
   * ({@link WatchedSpace#NONE}: for none). The announced prefixes that enter it are reported now
   * (once warm), so a new watch entry is judged from the current RIB. Holds the write lock for a
   * scan of the prefix table.
   *
   * @return how many announced prefixes were reported
   */
  public int watch(WatchedSpace space) {
    int[] reported = new int[1];
    write(
        "watch",
        () -> {
          WatchedSpace previous = e.watched;
          e.watched = space;
          e.watchedChanged();
          reported[0] = e.detector.reportWatched(previous, e.clock);
          if (!e.rels.isEmpty()) {
            e.leaks.rescan(e.clock); // route leaks of the new space, judged from the current RIB
          }
          e.neighbors.rebuild(e.clock, false); // a new watched AS's neighbours are its baseline
        });
    return reported[0];
  }

  /**
   * Sets the AS relationships of the valley-free check (RFC 7908 route leaks on watched routes;
   * {@link AsRelationships#EMPTY}: none looked for). Walks the whole RIB under the write lock.
   */
  public void relationships(AsRelationships r) {
    write("relationships", () -> e.relationships(r));
  }

  /** The AS relationships in use. */
  public AsRelationships relationships() {
    lock.readLock().lock();
    try {
      return e.rels;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The watched space now. */
  public WatchedSpace watched() {
    lock.readLock().lock();
    try {
      return e.watched;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs many updates under one write-lock acquisition (the lock is reentrant). */
  public void batch(Runnable updates) {
    write("batch", updates);
  }

  /**
   * Told how long each outermost write-lock hold of {@link #batch}, {@link #tick}, {@link
   * #capture}, {@link #watch} and the session calls took (queries wait that long at most): on the
   * writer thread, after the lock is released, so it may log or record but must not block.
   */
  @FunctionalInterface
  public interface HoldObserver {
    HoldObserver NONE = (operation, nanos) -> {};

    void held(String operation, long nanos);
  }

  /** Sets who is told of write-lock hold times ({@link HoldObserver#NONE} by default). */
  public void onWriteHold(HoldObserver observer) {
    this.holdObserver = observer;
  }

  private void write(String operation, Runnable r) {
    lock.writeLock().lock();
    long start = lock.getWriteHoldCount() == 1 ? System.nanoTime() : 0;
    try {
      r.run();
    } finally {
      long held = start == 0 ? -1 : System.nanoTime() - start;
      lock.writeLock().unlock();
      if (held >= 0) {
        holdObserver.held(operation, held);
      }
    }
  }

  /**
   * A consistent copy of the whole state for a snapshot (writer thread; holds the write lock for
   * O(routes) array copies, so queries wait that long and updates are not interleaved).
   */
  public RibImage capture() {
    RibImage[] image = new RibImage[1];
    write("snapshot", () -> image[0] = RibImageCapture.capture(e));
    return image[0];
  }

  /**
   * Loads a snapshot into this engine, which must be new (no VP, no event): no change is emitted.
   * An inconsistent image throws {@link IllegalArgumentException} and leaves this engine empty.
   */
  public void restore(RibImage image) {
    write(
        "restore",
        () -> {
          try {
            RibImageRestore.restore(e, image);
            e.touchedOrigins.clear(); // restored, not changed
            e.neighbors.rebuild(e.clock, true); // not in the image: rebuilt as the baseline
          } catch (RuntimeException ex) {
            WatchedSpace watched = e.watched;
            AsRelationships rels = e.rels;
            e = new Engine(e.cfg, e.countries, listener);
            e.watched = watched;
            e.rels = rels;
            throw ex;
          }
        });
  }

  /**
   * The origins whose upstream shares were updated (by any route change, whether or not their
   * shares moved) since the previous call, in no order; the set starts again empty.
   */
  public int[] takeTouchedOrigins() {
    lock.writeLock().lock();
    try {
      int[] out = e.touchedOrigins.toArray();
      e.touchedOrigins.clear();
      return out;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- queries (any thread)

  /** The engine clock (largest event time seen, or wall time of a live tick), µs; 0 when empty. */
  public long clockMicros() {
    lock.readLock().lock();
    try {
      return e.clock;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Present upstreams of an origin with their shares, no evidence: a history share sample. */
  public ShareSample shareSample(long originAsn) {
    lock.readLock().lock();
    try {
      return e.originShares.sample((int) originAsn);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Upstreams of an origin AS (ASN as unsigned, 0..2^32-1). */
  public UpstreamView upstreams(long originAsn) {
    lock.readLock().lock();
    try {
      return e.originShares.view(Long.toString(originAsn), (int) originAsn, e::peerAsnOf);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** International upstreams of a country (two-letter code). */
  public UpstreamView upstreams(String country) {
    lock.readLock().lock();
    try {
      int cc = e.countries.index(country);
      return cc < 0
          ? new UpstreamView(country.toUpperCase(), 0, 0, List.of())
          : e.countryShares.view(e.countries.code(cc), cc, e::peerAsnOf);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Routes to exactly this prefix, per VP (all path-ids). */
  public List<RouteView> prefix(Prefix prefix) {
    lock.readLock().lock();
    try {
      List<RouteView> out = new ArrayList<>();
      int pid = e.prefixId(prefix);
      if (pid < 0) {
        return out;
      }
      for (int i = 0; i < e.vpCount; i++) {
        VantagePoint v = e.vps[i];
        IntArrayList ids = v.addPath == null ? null : v.addPath.get(pid);
        int[] pathIds =
            v.addPath == null ? new int[] {0} : (ids == null ? new int[0] : ids.toArray());
        for (int k = 0; k < pathIds.length; k++) {
          int a = v.routes.getIfAbsent(Engine.key(pid, pathIds[k]), -1);
          if (a >= 0) {
            Engine.AttrKey ak = e.attrs.get(a);
            out.add(
                new RouteView(
                    v.id,
                    v.key,
                    pathIds[k] & 0xffffffffL,
                    e.paths.get(ak.pathId()),
                    ak.attrs(),
                    k == 0));
          }
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Visibility, origins and more-specifics of a prefix (null if never seen). */
  public PrefixView visibility(Prefix prefix) {
    lock.readLock().lock();
    try {
      int pid = e.prefixId(prefix);
      if (pid < 0) {
        return null;
      }
      int[] o = e.origins.origins(pid);
      long[] origins = new long[o.length];
      for (int i = 0; i < o.length; i++) {
        origins[i] = o[i] & 0xffffffffL;
      }
      // A scan of the prefix table: fine for a query, never done on the update path.
      List<String> more = ShardCounts.moreSpecifics(e, prefix, pid);
      double v = e.vis.visibility(pid);
      return new PrefixView(
          prefix.toString(),
          v,
          v > e.cfg.visibleThreshold(),
          e.vis.seenBy(pid),
          e.vis.seenByFullFeed(pid),
          e.vis.denominator(),
          origins,
          List.copyOf(more));
    } finally {
      lock.readLock().unlock();
    }
  }

  public List<Outage> outages(Prefix prefix, long sinceMicros) {
    lock.readLock().lock();
    try {
      int pid = e.prefixId(prefix);
      return e.outages.outages(
          OutageTracker.key(Outage.Scope.PREFIX, pid < 0 ? -1 : pid),
          Outage.Scope.PREFIX,
          prefix.toString(),
          sinceMicros);
    } finally {
      lock.readLock().unlock();
    }
  }

  public List<Outage> outages(long originAsn, long sinceMicros) {
    lock.readLock().lock();
    try {
      return e.outages.outages(
          OutageTracker.key(Outage.Scope.ORIGIN, (int) originAsn),
          Outage.Scope.ORIGIN,
          Long.toString(originAsn),
          sinceMicros);
    } finally {
      lock.readLock().unlock();
    }
  }

  public List<Outage> outages(String country, long sinceMicros) {
    lock.readLock().lock();
    try {
      int cc = e.countries.index(country);
      return e.outages.outages(
          OutageTracker.key(Outage.Scope.COUNTRY, cc),
          Outage.Scope.COUNTRY,
          country.toUpperCase(),
          sinceMicros);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** All outages open now. */
  public List<Outage> openOutages() {
    lock.readLock().lock();
    try {
      return e.outages.open();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * What the engine holds for a prefix now: its origins (unsigned, sorted) and the VPs that carry
   * it (empty and 0 for an unknown prefix).
   */
  public record OriginsNow(long[] origins, int vps) {}

  /** The prefix's origins and VP count now. */
  public OriginsNow originsOf(Prefix prefix) {
    return read(
        () -> {
          int pid = e.prefixId(prefix);
          if (pid < 0) {
            return new OriginsNow(new long[0], 0);
          }
          int[] o = e.origins.origins(pid);
          long[] u = new long[o.length];
          for (int i = 0; i < o.length; i++) {
            u[i] = o[i] & 0xffffffffL;
          }
          return new OriginsNow(u, e.vis.seenBy(pid));
        });
  }

  /** A watched prefix some VP carries now: its origins (unsigned, sorted) and VP count. */
  public record Carried(Prefix prefix, long[] origins, int vps) {}

  /**
   * Every prefix the watched space watches that some VP carries now with an origin: the prefixes
   * whose PREFIX_ANNOUNCED reports carry an RPKI verdict. Empty while state is not warm (nothing
   * was reported yet: the warm-up reports validate) or nothing is watched. A scan of the prefix
   * table with a trie lookup each, under the read lock: for a VRP reload, never on the update path.
   */
  public List<Carried> watchedCarried() {
    return read(
        () -> {
          List<Carried> out = new ArrayList<>();
          WatchedSpace space = e.watched;
          if (!e.warm || space.isEmpty()) {
            return out;
          }
          for (int pid = 0; pid < e.prefixCount; pid++) {
            int seen = e.vis.seenBy(pid);
            if (seen == 0) {
              continue;
            }
            int[] o = e.origins.origins(pid);
            if (o.length == 0 || !space.watches(e.prefixes[pid], o)) {
              continue;
            }
            out.add(new Carried(e.prefixes[pid], unsigned(o), seen));
          }
          return out;
        });
  }

  /**
   * The distinct peer ASNs (sorted, at most 64) of the VPs whose best route carries the prefix now,
   * as a PREFIX_ANNOUNCED report names them; empty for a prefix no VP carries. A walk of the VPs.
   */
  public long[] peerAsnsOf(Prefix prefix) {
    return read(
        () -> {
          int pid = e.prefixId(prefix);
          return pid < 0 ? new long[0] : e.detector.peerAsns(pid);
        });
  }

  private static long[] unsigned(int[] o) {
    long[] u = new long[o.length];
    for (int i = 0; i < o.length; i++) {
      u[i] = o[i] & 0xffffffffL;
    }
    return u;
  }

  /**
   * Prefixes some VP's best path currently gives this origin (AS_SEQUENCE-final origins only), in
   * address order. A scan of the prefix table: for queries, never on the update path.
   */
  public List<Prefix> prefixesOfOrigin(long originAsn) {
    int o = (int) originAsn;
    return read(
        () -> {
          List<Prefix> out = new ArrayList<>();
          if (originAsn <= 0 || originAsn > 0xffffffffL) {
            return out; // 0 is "no origin" in the engine's tables
          }
          for (int q = 0; q < e.prefixCount; q++) {
            if (e.origins.count(q, o) > 0) {
              out.add(e.prefixes[q]);
            }
          }
          out.sort(null);
          return out;
        });
  }

  /**
   * Every (prefix, origin) that VP best paths carry now, with how many (AS_SET-final paths have no
   * origin and are not included). Copied under the read lock (O(prefixes) array copies), so the
   * caller can work on it without holding the writer up.
   */
  public PrefixOriginCounts prefixOrigins() {
    return read(
        () -> {
          int n = 0;
          for (int q = 0; q < e.prefixCount; q++) {
            int[] a = e.origins.pairs(q);
            n += a == null ? 0 : a.length / 2;
          }
          Prefix[] prefixes = new Prefix[n];
          int[] origins = new int[n];
          int[] paths = new int[n];
          int k = 0;
          for (int q = 0; q < e.prefixCount; q++) {
            int[] a = e.origins.pairs(q);
            for (int i = 0; a != null && i < a.length; i += 2) {
              prefixes[k] = e.prefixes[q];
              origins[k] = a[i];
              paths[k++] = a[i + 1];
            }
          }
          return new PrefixOriginCounts(prefixes, origins, paths);
        });
  }

  /** Seen prefixes that {@code prefix} covers (itself excluded), in address order. */
  public List<String> moreSpecifics(Prefix prefix) {
    return read(() -> ShardCounts.moreSpecifics(e, prefix, e.prefixId(prefix)));
  }

  // ---------------------------------------------------------------- shard partials (scale-out)

  /** Per-VP prefix counts held here (a shard's part of each VP's table). */
  public List<ShardCounts.VpCount> vantagePointCounts() {
    return read(() -> ShardCounts.vantagePoints(e));
  }

  /** Raw upstream counters of an origin AS here; the first pair (upstream -1) holds the totals. */
  public List<ShardCounts.Pair> upstreamPairs(long originAsn) {
    return read(() -> ShardCounts.pairs(e, e.originShares, (int) originAsn));
  }

  /** Raw international-upstream counters of a country here (empty if unknown). */
  public List<ShardCounts.Pair> upstreamPairs(String country) {
    return read(
        () -> {
          int cc = e.countries.index(country);
          return cc < 0 ? List.<ShardCounts.Pair>of() : ShardCounts.pairs(e, e.countryShares, cc);
        });
  }

  /** A prefix's VP counts here against a global denominator set of VPs. */
  public ShardCounts.Visibility prefixVisibility(
      Prefix prefix, java.util.Set<VantagePointKey> denominator) {
    return read(() -> ShardCounts.prefix(e, prefix, denominator));
  }

  /** An origin's known/visible prefixes here against a global denominator set of VPs. */
  public ShardCounts.Visibility originVisibility(
      long originAsn, java.util.Set<VantagePointKey> denominator, int denominatorSize) {
    return read(
        () ->
            ShardCounts.aggregate(
                e, false, (int) originAsn, denominator, denominatorSize, e.cfg.visibleThreshold()));
  }

  /** A country's known/visible prefixes here against a global denominator set of VPs. */
  public ShardCounts.Visibility countryVisibility(
      String country, java.util.Set<VantagePointKey> denominator, int denominatorSize) {
    return read(
        () ->
            ShardCounts.aggregate(
                e,
                true,
                e.countries.index(country),
                denominator,
                denominatorSize,
                e.cfg.visibleThreshold()));
  }

  /** Thresholds a merger needs: IPv4 and IPv6 prefix counts that make a VP full-feed. */
  public int fullFeedV4() {
    return e.cfg.fullFeedV4();
  }

  public int fullFeedV6() {
    return e.cfg.fullFeedV6();
  }

  public double visibleThreshold() {
    return e.cfg.visibleThreshold();
  }

  private <T> T read(java.util.function.Supplier<T> f) {
    lock.readLock().lock();
    try {
      return f.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Visible share of an origin's known prefixes (NaN if none known yet). */
  public double originVisibility(long originAsn) {
    lock.readLock().lock();
    try {
      return ShardCounts.aggregate(e, false, (int) originAsn, null, 0, e.cfg.visibleThreshold())
          .share();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Visible share of a country's known prefixes (NaN if none known yet). */
  public double countryVisibility(String country) {
    lock.readLock().lock();
    try {
      int cc = e.countries.index(country);
      return cc < 0
          ? Double.NaN
          : ShardCounts.aggregate(e, true, cc, null, 0, e.cfg.visibleThreshold()).share();
    } finally {
      lock.readLock().unlock();
    }
  }

  public Resilience resilience(long originAsn) {
    lock.readLock().lock();
    try {
      UpstreamView view =
          e.originShares.view(Long.toString(originAsn), (int) originAsn, e::peerAsnOf);
      IntHashSet domestic = IntHashSet.newSetWith((int) originAsn);
      return Resilience.of(
          view,
          e.cfg.shareFloor(),
          MinCut.compute(e.graph, domestic, sinks(), e.cfg.minCutLimit()));
    } finally {
      lock.readLock().unlock();
    }
  }

  public Resilience resilience(String country) {
    lock.readLock().lock();
    try {
      int cc = e.countries.index(country);
      if (cc < 0) {
        return Resilience.of(new UpstreamView(country, 0, 0, List.of()), e.cfg.shareFloor(), null);
      }
      UpstreamView view = e.countryShares.view(e.countries.code(cc), cc, e::peerAsnOf);
      IntHashSet domestic = new IntHashSet();
      for (int asn : e.countries.domesticAsns(cc)) {
        if (e.graph.contains(asn)) {
          domestic.add(asn);
        }
      }
      return Resilience.of(
          view,
          e.cfg.shareFloor(),
          MinCut.compute(e.graph, domestic, sinks(), e.cfg.minCutLimit()));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** "The rest of the Internet": the ASes VPs hear routes from (see AsGraph#heads). */
  private IntHashSet sinks() {
    return e.graph.heads();
  }

  public VantagePointKey vantagePointKey(int vp) {
    lock.readLock().lock();
    try {
      return e.vp(vp).key;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * An order-independent digest of every route held: (VP, prefix, path id, AS path, attributes).
   * Two states with the same routes have the same digest; tests compare runs with it. O(routes).
   */
  public long routeDigest() {
    lock.readLock().lock();
    try {
      long sum = 0;
      for (int i = 0; i < e.vpCount; i++) {
        VantagePoint v = e.vps[i];
        long vpHash = v.key.hashCode() * 0x9E3779B97F4A7C15L;
        long[] acc = {0};
        v.routes.forEachKeyValue(
            (key, attr) -> {
              // the prefix itself, never its interning index (which follows arrival order)
              long h = vpHash;
              h = h * 31 + e.prefixes[Engine.keyPrefix(key)].hashCode();
              h = h * 31 + Engine.keyPathId(key);
              Engine.AttrKey a = e.attrs.get(attr);
              h = h * 31 + e.paths.get(a.pathId()).hashCode();
              h = h * 31 + a.attrs().hashCode();
              acc[0] += mix(h);
            });
        sum += acc[0];
      }
      return sum;
    } finally {
      lock.readLock().unlock();
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb93fe34e53L;
    return z ^ (z >>> 33);
  }

  /**
   * Neighbour edges of watched ASes not tracked (or not remembered) because the AS had {@code
   * 65,536} already ({@link NeighborTracker#MAX_NEIGHBORS}), since start.
   */
  public long neighborsDropped() {
    lock.readLock().lock();
    try {
      return e.neighbors.dropped;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Neighbour edges of watched ASes tracked now ({@link NeighborTracker}). */
  public int neighborEdges() {
    lock.readLock().lock();
    try {
      return e.neighbors.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Tests: a lower cap of neighbour edges per watched AS. */
  void neighborLimit(int max) {
    write("neighbor-limit", () -> e.neighbors.max = max);
  }

  public EngineStats stats() {
    lock.readLock().lock();
    try {
      int up = 0;
      int full = 0;
      int loading = 0;
      for (int i = 0; i < e.vpCount; i++) {
        VantagePoint v = e.vps[i];
        up += v.prefixCount() > 0 ? 1 : 0;
        full += v.fullFeed ? 1 : 0;
        loading += v.deferring() ? 1 : 0;
      }
      return new EngineStats(
          e.routeCount,
          e.vpCount,
          up,
          full,
          loading,
          e.prefixCount,
          e.paths.size(),
          e.attrs.size(),
          e.originShares.size(),
          e.graph.edgeCount(),
          e.updates,
          e.detector.eventsEmitted,
          e.clock,
          e.warm);
    } finally {
      lock.readLock().unlock();
    }
  }
}
