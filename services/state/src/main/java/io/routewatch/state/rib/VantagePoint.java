package io.routewatch.state.rib;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/** Per-VP RIB and session state; owned by the engine's writer thread. */
final class VantagePoint {
  /** Created, no event yet. */
  static final int NEW = 0;

  /** Session up and table loading: changes it causes are deferred (see ChangeDetector). */
  static final int LOADING = 1;

  static final int UP = 2;

  /** Peer down: its withdrawals are deferred until it reloads or {@code settle} passes. */
  static final int DOWN = 3;

  final int id;
  final VantagePointKey key;
  final int peerAsn;

  /** (path-id << 32 | prefixId) → attribute-set id. */
  final LongIntHashMap routes = new LongIntHashMap();

  /** prefixId → sorted path-ids, only once the VP used a non-zero path-id (add-path). */
  IntObjectHashMap<IntArrayList> addPath;

  int v4Prefixes;
  int v6Prefixes;
  boolean fullFeed;
  int phase = NEW;

  /**
   * Settled at least once: until then its table is its first load, whose upstreams join the
   * baseline instead of being new (a session that comes up late is not a routing change).
   */
  boolean everSettled;

  /** Event time its first load settled (-1: not yet; 0: before a restore). */
  long firstSettledMicros = -1;

  long deadline = Long.MAX_VALUE;
  int afisLoaded;
  int afisEnded;

  /** Routes present at RIB-dump BEGIN not yet re-announced; swept at END. */
  LongHashSet stale;

  IntHashSet deferredOrigins;
  IntHashSet deferredPrefixes;
  IntHashSet deferredCountries;

  VantagePoint(int id, VantagePointKey key) {
    this.id = id;
    this.key = key;
    this.peerAsn = (int) key.peerAsn();
  }

  boolean deferring() {
    return deferredOrigins != null;
  }

  int prefixCount() {
    return v4Prefixes + v6Prefixes;
  }
}
