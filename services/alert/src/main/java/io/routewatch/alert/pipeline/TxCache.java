package io.routewatch.alert.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the pipeline reads of its own tables (network views, alert rows), held for one transaction
 * (network views under the pipeline lock: across transactions, in {@link ViewStore}): a batch of
 * changes reads each row once (or in one query for the whole batch, {@link #preload}) and then
 * works on the managed entities in memory, so a change costs no query; the writes go out in one
 * flush at commit. The cache lives and dies with its transaction, so a rollback leaves nothing
 * stale behind, and every write goes through it in that same transaction. Only the pipeline writes
 * these tables, under {@link PipelineLock}, which the caller holds before the first read. Outside a
 * transaction each call gets a fresh cache (reads straight from the database).
 */
@ApplicationScoped
public class TxCache {
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject EntityManager em;

  /** Keys per IN query when preloading. */
  static final int PRELOAD_CHUNK = 1000;

  Tx current() {
    if (transactions.getTransactionKey() == null) {
      return new Tx(em, null);
    }
    Tx tx = (Tx) transactions.getResource(Tx.class);
    if (tx == null) {
      tx = new Tx(em, transactions);
      transactions.putResource(Tx.class, tx);
    }
    return tx;
  }

  /**
   * The transaction's view of network targets, upstream rows and alert rows. Under the pipeline
   * lock network targets and upstream rows come from the {@link ViewStore} (held across
   * transactions, written just before commit); without it (a reader elsewhere) they are read here.
   */
  static final class Tx {
    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<String, NetworkTargetEntity> targets = new HashMap<>();
    private final Set<String> noTarget = new HashSet<>();
    private final Map<String, NavigableMap<Long, NetworkUpstreamEntity>> upstreams =
        new HashMap<>();
    private final TreeMap<String, AlertEntity> alerts = new TreeMap<>();
    private final Set<String> noAlert = new HashSet<>();
    private boolean activeLoaded;

    Tx(EntityManager em, TransactionSynchronizationRegistry transactions) {
      this.em = em;
      this.transactions = transactions;
    }

    /** The store's work of this transaction when it holds the pipeline lock; null otherwise. */
    private ViewStore.Work views() {
      if (work == null && transactions != null) {
        work = (ViewStore.Work) transactions.getResource(ViewStore.Work.class);
      }
      return work;
    }

    /** Set once the transaction holds the pipeline lock (it keeps it until it ends). */
    private ViewStore.Work work;

    /** Loads targets and upstream rows of these network keys in a few queries. */
    void preload(Collection<String> keys) {
      ViewStore.Work w = views();
      if (w != null) {
        w.preload(keys);
        return;
      }
      List<String> missing = new ArrayList<>();
      for (String k : keys) {
        if (!upstreams.containsKey(k)) {
          missing.add(k);
        }
      }
      for (int i = 0; i < missing.size(); i += PRELOAD_CHUNK) {
        List<String> chunk = missing.subList(i, Math.min(missing.size(), i + PRELOAD_CHUNK));
        for (String k : chunk) {
          upstreams.put(k, new TreeMap<>());
          if (!targets.containsKey(k)) {
            noTarget.add(k);
          }
        }
        for (NetworkTargetEntity t :
            em.createQuery(
                    "from NetworkTargetEntity where target in :keys", NetworkTargetEntity.class)
                .setParameter("keys", chunk)
                .getResultList()) {
          targets.put(t.target, t);
          noTarget.remove(t.target);
        }
        for (NetworkUpstreamEntity u :
            em.createQuery(
                    "from NetworkUpstreamEntity where target in :keys", NetworkUpstreamEntity.class)
                .setParameter("keys", chunk)
                .getResultList()) {
          upstreams.get(u.target).put(u.upstream, u);
        }
      }
    }

    NetworkTargetEntity target(String key) {
      ViewStore.Work w = views();
      if (w != null) {
        return w.net(key).target;
      }
      NetworkTargetEntity t = targets.get(key);
      if (t != null || noTarget.contains(key)) {
        return t;
      }
      t = em.find(NetworkTargetEntity.class, key);
      if (t == null) {
        noTarget.add(key);
      } else {
        targets.put(key, t);
      }
      return t;
    }

    void persist(NetworkTargetEntity t) {
      ViewStore.Work w = views();
      if (w != null) {
        w.net(t.target).target = t;
        return;
      }
      t.persist();
      targets.put(t.target, t);
      noTarget.remove(t.target);
    }

    /** Every row of the network, present or remembered, by upstream. */
    NavigableMap<Long, NetworkUpstreamEntity> upstreams(String key) {
      ViewStore.Work w = views();
      if (w != null) {
        return w.net(key).ups;
      }
      NavigableMap<Long, NetworkUpstreamEntity> m = upstreams.get(key);
      if (m == null) {
        m = new TreeMap<>();
        for (NetworkUpstreamEntity u :
            em.createQuery(
                    "from NetworkUpstreamEntity where target = :key", NetworkUpstreamEntity.class)
                .setParameter("key", key)
                .getResultList()) {
          m.put(u.upstream, u);
        }
        upstreams.put(key, m);
      }
      return m;
    }

    void persist(NetworkUpstreamEntity u) {
      ViewStore.Work w = views();
      if (w != null) {
        w.net(u.target).ups.put(u.upstream, u);
        return;
      }
      u.persist();
      upstreams(u.target).put(u.upstream, u);
    }

    void delete(NetworkUpstreamEntity u) {
      ViewStore.Work w = views();
      if (w != null) {
        w.net(u.target).ups.remove(u.upstream);
        return;
      }
      upstreams(u.target).remove(u.upstream);
      u.delete();
    }

    /** The alert row of this key, in any state; null when there is none. */
    AlertEntity alert(String id) {
      AlertEntity a = alerts.get(id);
      if (a != null || noAlert.contains(id)) {
        return a;
      }
      a = em.find(AlertEntity.class, id);
      if (a == null) {
        noAlert.add(id);
      } else {
        alerts.put(id, a);
      }
      return a;
    }

    /**
     * The alert row of this key when it is not RESOLVED (null otherwise), without a query once the
     * unresolved rows are loaded: a row not among them is resolved or absent.
     */
    AlertEntity unresolved(String id) {
      loadUnresolved();
      AlertEntity a = alerts.get(id);
      return a == null || AlertEntity.RESOLVED.equals(a.state) ? null : a;
    }

    /** Unresolved rows whose id starts with {@code prefix}, in id order. */
    List<AlertEntity> unresolvedWithPrefix(String prefix) {
      loadUnresolved();
      List<AlertEntity> out = new ArrayList<>();
      for (AlertEntity a : alerts.tailMap(prefix, true).values()) {
        if (!a.id.startsWith(prefix)) {
          break;
        }
        if (!AlertEntity.RESOLVED.equals(a.state)) {
          out.add(a);
        }
      }
      return out;
    }

    void persist(AlertEntity a) {
      a.persist();
      alerts.put(a.id, a);
      noAlert.remove(a.id);
    }

    void delete(AlertEntity a) {
      alerts.remove(a.id);
      noAlert.add(a.id);
      a.delete();
    }

    private void loadUnresolved() {
      if (activeLoaded) {
        return;
      }
      activeLoaded = true;
      for (AlertEntity a :
          em.createQuery("from AlertEntity where state <> :r", AlertEntity.class)
              .setParameter("r", AlertEntity.RESOLVED)
              .getResultList()) {
        alerts.putIfAbsent(a.id, a);
        noAlert.remove(a.id);
      }
    }
  }
}
