package io.routewatch.alert.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.Session;

/**
 * The watched networks' views (rows of {@code network_target} and {@code network_upstream}) held in
 * memory across transactions, so a batch of changes reads none of them again once they are known.
 * The pipeline is the only writer of these tables and writes them only under {@link PipelineLock},
 * which also serialises every use of this store in the process (a permit held from the lock until
 * the transaction has ended, after the work below). Per transaction a {@link Work} remembers each
 * network it touched as it was at first touch; just before commit the rows that differ go to
 * PostgreSQL in one multi-row statement per table (upserts and deletes of arrays, {@code unnest}),
 * in the transaction that also writes the cursor, alerts, events and outbox. A rollback evicts the
 * networks the transaction touched (their in-memory rows may hold its undone writes): they are read
 * again when next needed. A restart starts empty and reads the committed rows.
 *
 * <p>Bounded: at most {@link #CAPACITY} networks are held (least recently used ones go after a
 * commit and are read again, in one query per thousand, when a change needs them). A network of
 * four upstreams, each seen by 20 peer ASNs, costs about 2.7 KB of heap (ViewStoreFootprintTest):
 * about 55 MB at the bound, which covers the 10k ASNs and 250 countries of a large watch list (only
 * ASN and country targets have views); 100k watched networks keep the 20k most recently changed.
 */
@ApplicationScoped
public class ViewStore {
  /** Networks held in memory at most. */
  static final int CAPACITY = 20_000;

  /** The bound in force ({@link #CAPACITY}; lowered by a test to see networks dropped). */
  private volatile int capacity = CAPACITY;

  /** Sets the bound; returns the one before. */
  int capacity(int networks) {
    int was = capacity;
    capacity = networks;
    return was;
  }

  /** Keys per load query. */
  static final int LOAD_CHUNK = 1000;

  @Inject EntityManager em;

  /** Access order (LRU); guarded by the pipeline lock's permit. */
  private final LinkedHashMap<String, Net> nets = new LinkedHashMap<>(1024, 0.75f, true);

  /**
   * Networks known to have an upstream view in PostgreSQL (committed): a hint read without the
   * lock, re-checked under it.
   */
  private final Set<String> viewed = ConcurrentHashMap.newKeySet();

  /** One network: its target row (null: none yet) and its upstream rows by upstream. */
  static final class Net {
    NetworkTargetEntity target;
    final NavigableMap<Long, NetworkUpstreamEntity> ups = new TreeMap<>();
  }

  /** A network's rows as they were when a transaction first touched it. */
  private record Snapshot(TargetRow target, Map<Long, UpRow> ups) {}

  /** Networks held now (for tests and the footprint statement). */
  int size() {
    return nets.size();
  }

  /** Which of these networks have an upstream view, as far as known without a query. */
  Set<String> knownViewed(Collection<String> keys) {
    Set<String> out = new java.util.HashSet<>();
    for (String k : keys) {
      if (viewed.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Starts the store's part of a transaction; called by {@link PipelineLock} with its permit. */
  Work begin() {
    return new Work();
  }

  /** What one transaction does with the store. */
  final class Work {
    private final Map<String, Snapshot> touched = new LinkedHashMap<>();
    private boolean ended;

    /** The network's rows, read from PostgreSQL when not held; remembered as touched. */
    Net net(String key) {
      if (ended) {
        throw new IllegalStateException("network view of " + key + " used after its transaction");
      }
      Net n = nets.get(key);
      if (n == null) {
        load(List.of(key));
        n = nets.get(key);
      }
      if (!touched.containsKey(key)) {
        touched.put(key, snapshot(n));
      }
      return n;
    }

    /** Reads the networks not held yet in a few queries. */
    void preload(Collection<String> keys) {
      List<String> missing = new ArrayList<>();
      for (String k : keys) {
        if (!nets.containsKey(k)) {
          missing.add(k);
        }
      }
      for (int i = 0; i < missing.size(); i += LOAD_CHUNK) {
        load(missing.subList(i, Math.min(missing.size(), i + LOAD_CHUNK)));
      }
    }

    /** Writes the rows that differ from the first touch; before commit, in the transaction. */
    void flush() {
      if (ended || touched.isEmpty()) {
        return;
      }
      List<NetworkTargetEntity> targets = new ArrayList<>();
      List<NetworkUpstreamEntity> upserts = new ArrayList<>();
      List<String> deleteTargets = new ArrayList<>();
      List<Long> deleteUpstreams = new ArrayList<>();
      for (Map.Entry<String, Snapshot> e : touched.entrySet()) {
        Net n = nets.get(e.getKey());
        Snapshot was = e.getValue();
        if (n.target != null
            && (was.target() == null || !was.target().equals(TargetRow.of(n.target)))) {
          targets.add(n.target);
        }
        for (NetworkUpstreamEntity u : n.ups.values()) {
          UpRow old = was.ups().get(u.upstream);
          if (old == null || !old.equals(UpRow.of(u))) {
            upserts.add(u);
          }
        }
        for (Long up : was.ups().keySet()) {
          if (!n.ups.containsKey(up)) {
            deleteTargets.add(e.getKey());
            deleteUpstreams.add(up);
          }
        }
      }
      if (targets.isEmpty() && upserts.isEmpty() && deleteTargets.isEmpty()) {
        return;
      }
      em.unwrap(Session.class)
          .doWork(
              c -> {
                writeTargets(c, targets);
                deleteUpstreams(c, deleteTargets, deleteUpstreams);
                writeUpstreams(c, upserts);
              });
    }

    /** After commit or rollback, still with the permit. */
    void end(boolean committed) {
      ended = true;
      for (String k : touched.keySet()) {
        if (!committed) {
          nets.remove(k); // may hold the undone writes: read again when needed
          continue;
        }
        Net n = nets.get(k);
        if (n != null && !n.ups.isEmpty()) {
          viewed.add(k);
        } else {
          viewed.remove(k);
        }
      }
      Iterator<String> it = nets.keySet().iterator();
      while (nets.size() > capacity && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
  }

  private void load(List<String> keys) {
    Map<String, Net> got = new HashMap<>();
    for (String k : keys) {
      got.put(k, new Net());
    }
    em.unwrap(Session.class)
        .doWork(
            c -> {
              String[] arr = keys.toArray(new String[0]);
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT target, first_seen, visibility, set_changed_at, country, seeded_from"
                          + " FROM network_target WHERE target = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("varchar", arr));
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    NetworkTargetEntity t = new NetworkTargetEntity();
                    t.target = rs.getString(1);
                    t.firstSeen = rs.getLong(2);
                    t.visibility = rs.getObject(3, Double.class);
                    t.setChangedAt = rs.getObject(4, Long.class);
                    t.country = rs.getString(5);
                    t.seededFrom = rs.getString(6);
                    got.get(t.target).target = t;
                  }
                }
              }
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT target, upstream, share, vp_count, peer_asns, since, baseline,"
                          + " present, removed_at, seen_by, peak_share, peak_vps, ref_share,"
                          + " dark_loss, ref_peers FROM network_upstream WHERE target = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("varchar", arr));
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    NetworkUpstreamEntity u = new NetworkUpstreamEntity();
                    u.target = rs.getString(1);
                    u.upstream = rs.getLong(2);
                    u.share = rs.getDouble(3);
                    u.vpCount = rs.getInt(4);
                    u.peerAsns = rs.getString(5);
                    u.since = rs.getLong(6);
                    u.baseline = rs.getBoolean(7);
                    u.present = rs.getBoolean(8);
                    u.removedAt = rs.getObject(9, Long.class);
                    u.seenBy = rs.getString(10);
                    u.peakShare = rs.getDouble(11);
                    u.peakVps = rs.getInt(12);
                    u.refShare = rs.getObject(13, Double.class);
                    u.darkLoss = rs.getBoolean(14);
                    u.refPeers = rs.getString(15);
                    got.get(u.target).ups.put(u.upstream, u);
                  }
                }
              }
            });
    for (Map.Entry<String, Net> e : got.entrySet()) {
      nets.put(e.getKey(), e.getValue());
      if (!e.getValue().ups.isEmpty()) {
        viewed.add(e.getKey());
      }
    }
  }

  private static void writeTargets(Connection c, List<NetworkTargetEntity> ts) throws SQLException {
    if (ts.isEmpty()) {
      return;
    }
    int n = ts.size();
    String[] target = new String[n];
    Long[] firstSeen = new Long[n];
    Double[] visibility = new Double[n];
    Long[] setChangedAt = new Long[n];
    String[] country = new String[n];
    String[] seededFrom = new String[n];
    for (int i = 0; i < n; i++) {
      NetworkTargetEntity t = ts.get(i);
      target[i] = t.target;
      firstSeen[i] = t.firstSeen;
      visibility[i] = t.visibility;
      setChangedAt[i] = t.setChangedAt;
      country[i] = t.country;
      seededFrom[i] = t.seededFrom;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO network_target (target, first_seen, visibility, set_changed_at, country,"
                + " seeded_from) SELECT * FROM unnest(?::varchar[], ?::bigint[], ?::float8[],"
                + " ?::bigint[], ?::varchar[], ?::varchar[]) ON CONFLICT (target) DO UPDATE SET"
                + " first_seen = EXCLUDED.first_seen, visibility = EXCLUDED.visibility,"
                + " set_changed_at = EXCLUDED.set_changed_at, country = EXCLUDED.country,"
                + " seeded_from = EXCLUDED.seeded_from")) {
      ps.setArray(1, arr(c, "varchar", target));
      ps.setArray(2, arr(c, "int8", firstSeen));
      ps.setArray(3, arr(c, "float8", visibility));
      ps.setArray(4, arr(c, "int8", setChangedAt));
      ps.setArray(5, arr(c, "varchar", country));
      ps.setArray(6, arr(c, "varchar", seededFrom));
      ps.executeUpdate();
    }
  }

  private static void writeUpstreams(Connection c, List<NetworkUpstreamEntity> us)
      throws SQLException {
    if (us.isEmpty()) {
      return;
    }
    int n = us.size();
    String[] target = new String[n];
    Long[] upstream = new Long[n];
    Double[] share = new Double[n];
    Integer[] vpCount = new Integer[n];
    String[] peerAsns = new String[n];
    Long[] since = new Long[n];
    Boolean[] baseline = new Boolean[n];
    Boolean[] present = new Boolean[n];
    Long[] removedAt = new Long[n];
    String[] seenBy = new String[n];
    Double[] peakShare = new Double[n];
    Integer[] peakVps = new Integer[n];
    Double[] refShare = new Double[n];
    Boolean[] darkLoss = new Boolean[n];
    String[] refPeers = new String[n];
    for (int i = 0; i < n; i++) {
      NetworkUpstreamEntity u = us.get(i);
      target[i] = u.target;
      upstream[i] = u.upstream;
      share[i] = u.share;
      vpCount[i] = u.vpCount;
      peerAsns[i] = u.peerAsns;
      since[i] = u.since;
      baseline[i] = u.baseline;
      present[i] = u.present;
      removedAt[i] = u.removedAt;
      seenBy[i] = u.seenBy;
      peakShare[i] = u.peakShare;
      peakVps[i] = u.peakVps;
      refShare[i] = u.refShare;
      darkLoss[i] = u.darkLoss;
      refPeers[i] = u.refPeers;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO network_upstream (target, upstream, share, vp_count, peer_asns, since,"
                + " baseline, present, removed_at, seen_by, peak_share, peak_vps, ref_share,"
                + " dark_loss, ref_peers) SELECT * FROM unnest(?::varchar[], ?::bigint[],"
                + " ?::float8[], ?::int[], ?::text[], ?::bigint[], ?::boolean[], ?::boolean[],"
                + " ?::bigint[], ?::text[], ?::float8[], ?::int[], ?::float8[], ?::boolean[],"
                + " ?::text[])"
                + " ON CONFLICT (target, upstream) DO UPDATE SET share = EXCLUDED.share,"
                + " vp_count = EXCLUDED.vp_count, peer_asns = EXCLUDED.peer_asns,"
                + " since = EXCLUDED.since, baseline = EXCLUDED.baseline,"
                + " present = EXCLUDED.present, removed_at = EXCLUDED.removed_at,"
                + " seen_by = EXCLUDED.seen_by, peak_share = EXCLUDED.peak_share,"
                + " peak_vps = EXCLUDED.peak_vps, ref_share = EXCLUDED.ref_share,"
                + " dark_loss = EXCLUDED.dark_loss, ref_peers = EXCLUDED.ref_peers")) {
      ps.setArray(1, arr(c, "varchar", target));
      ps.setArray(2, arr(c, "int8", upstream));
      ps.setArray(3, arr(c, "float8", share));
      ps.setArray(4, arr(c, "int4", vpCount));
      ps.setArray(5, arr(c, "text", peerAsns));
      ps.setArray(6, arr(c, "int8", since));
      ps.setArray(7, arr(c, "bool", baseline));
      ps.setArray(8, arr(c, "bool", present));
      ps.setArray(9, arr(c, "int8", removedAt));
      ps.setArray(10, arr(c, "text", seenBy));
      ps.setArray(11, arr(c, "float8", peakShare));
      ps.setArray(12, arr(c, "int4", peakVps));
      ps.setArray(13, arr(c, "float8", refShare));
      ps.setArray(14, arr(c, "bool", darkLoss));
      ps.setArray(15, arr(c, "text", refPeers));
      ps.executeUpdate();
    }
  }

  private static void deleteUpstreams(Connection c, List<String> targets, List<Long> upstreams)
      throws SQLException {
    if (targets.isEmpty()) {
      return;
    }
    String[] target = targets.toArray(new String[0]);
    Long[] upstream = upstreams.toArray(new Long[0]);
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM network_upstream u USING unnest(?::varchar[], ?::bigint[]) AS d(t, up)"
                + " WHERE u.target = d.t AND u.upstream = d.up")) {
      ps.setArray(1, arr(c, "varchar", target));
      ps.setArray(2, arr(c, "int8", upstream));
      ps.executeUpdate();
    }
  }

  private static Array arr(Connection c, String type, Object[] values) throws SQLException {
    return c.createArrayOf(type, values);
  }

  private static Snapshot snapshot(Net n) {
    Map<Long, UpRow> ups = new HashMap<>();
    for (NetworkUpstreamEntity u : n.ups.values()) {
      ups.put(u.upstream, UpRow.of(u));
    }
    return new Snapshot(n.target == null ? null : TargetRow.of(n.target), ups);
  }

  /** A target row's values (records compare doubles as {@link Double#compare} does). */
  private record TargetRow(
      long firstSeen, Double visibility, Long setChangedAt, String country, String seededFrom) {
    static TargetRow of(NetworkTargetEntity t) {
      return new TargetRow(t.firstSeen, t.visibility, t.setChangedAt, t.country, t.seededFrom);
    }
  }

  /** An upstream row's values. */
  private record UpRow(
      double share,
      int vpCount,
      String peerAsns,
      long since,
      boolean baseline,
      boolean present,
      Long removedAt,
      String seenBy,
      double peakShare,
      int peakVps,
      Double refShare,
      boolean darkLoss,
      String refPeers) {
    static UpRow of(NetworkUpstreamEntity u) {
      return new UpRow(
          u.share,
          u.vpCount,
          u.peerAsns,
          u.since,
          u.baseline,
          u.present,
          u.removedAt,
          u.seenBy,
          u.peakShare,
          u.peakVps,
          u.refShare,
          u.darkLoss,
          u.refPeers);
    }
  }
}
