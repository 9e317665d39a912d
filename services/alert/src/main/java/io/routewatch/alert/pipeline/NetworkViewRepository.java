package io.routewatch.alert.pipeline;

import io.routewatch.alert.AlertConfig;
import io.routewatch.alert.rule.Target;
import io.routewatch.alert.rule.UpstreamView;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.Upstream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * What the alert service knows of each watched network, kept in PostgreSQL in the same transaction
 * as the cursor so it survives restarts exactly as far as the changes handled.
 */
@ApplicationScoped
public class NetworkViewRepository {
  @Inject AlertConfig config;
  @Inject TxCache cache;
  @Inject ViewStore store;

  /**
   * The network's upstreams after the change, whether the change is part of its baseline, and —
   * when this change removed the network's last upstream — the upstreams that went dark with it.
   */
  public record View(
      SortedMap<Long, UpstreamView> upstreams,
      boolean baseline,
      List<Long> wentDark,
      UpstreamView removed,
      Double shareReference,
      long[] shareReferencePeers) {
    View(SortedMap<Long, UpstreamView> upstreams, boolean baseline) {
      this(upstreams, baseline, List.of(), null, null, new long[0]);
    }
  }

  /**
   * Applies an upstream or visibility change of an ASN/COUNTRY target; call inside a transaction.
   *
   * @param darkWindowMicros upstreams removed this long before the network lost its last one went
   *     with the network (an outage seen as a cascade of removals), not on their own
   * @param fluxWindowMicros share moves this soon after an upstream came or went are part of that
   *     (the reference share is re-taken), not a shift among the same upstreams
   */
  public View apply(Change c, Target t, long darkWindowMicros, long fluxWindowMicros) {
    if (t.kind() != Target.Kind.ASN && t.kind() != Target.Kind.COUNTRY) {
      return new View(new TreeMap<>(), false);
    }
    String key = t.value();
    TxCache.Tx tx = cache.current();
    NetworkTargetEntity nt = tx.target(key);
    if (nt == null) {
      nt = new NetworkTargetEntity();
      nt.target = key;
      nt.firstSeen = c.getTimeMicros();
      nt.country = t.country().isEmpty() ? null : t.country();
      tx.persist(nt);
    }
    NavigableMap<Long, NetworkUpstreamEntity> rows = tx.upstreams(key);
    boolean baseline = c.getTimeMicros() - nt.firstSeen <= config.baselinePeriod().toNanos() / 1000;
    long up = c.getUpstream() & 0xffffffffL;
    long now = c.getTimeMicros();
    List<Long> wentDark = List.of();
    UpstreamView removed = null;
    Double reference = null;
    long[] referencePeers = new long[0];
    // a drift report (small steps, sent once quiet for state's settle time) is judged by when
    // its last step happened: the tail of a new upstream's convergence is still part of it
    long movedAt = c.getMovedAtMicros() > 0 ? Math.min(c.getMovedAtMicros(), now) : now;
    boolean inFlux = nt.setChangedAt != null && movedAt - nt.setChangedAt <= fluxWindowMicros;
    switch (c.getKind()) {
      case UPSTREAM_ADDED, SHARE_MOVED -> {
        if (up != 0) {
          NetworkUpstreamEntity row = rows.get(up);
          boolean moved = c.getKind() == ChangeKind.SHARE_MOVED;
          long[] peersNow = peers(c);
          String peersText = join(Arrays.stream(peersNow));
          // state measures a SHARE_MOVED from the share it last reported; when that is not the
          // figure held here, state re-baselined the network without a report (a late session's
          // first load diluted the shares, docs/alerts.md "Baseline per VP"): its figure is the
          // reference, not the older one held here
          boolean rebased =
              moved
                  && row != null
                  && row.present
                  && Math.abs(c.getShareBefore() - row.share) > 1e-6;
          if (row == null) {
            row = new NetworkUpstreamEntity();
            row.target = key;
            row.upstream = up;
            row.since = now;
            // a new upstream is UPSTREAM_ADDED first; one that state names only in a SHARE_MOVED
            // joined its baseline silently (a late session's first load): not new
            row.baseline = baseline || moved;
          } else if (!row.present) {
            // back: a new continuous presence; "baseline" and "dark_loss" stay as its history
            row.present = true;
            row.since = now;
            row.removedAt = null;
            row.seenBy = "";
            row.peakShare = 0;
            row.peakVps = 0;
          }
          if (c.getKind() == ChangeKind.SHARE_MOVED) {
            // measured against the reference; while the upstream set is in flux the split is
            // still forming: the reference follows it
            if (rebased && !inFlux) {
              row.refShare = c.getShareBefore();
              row.refPeers = row.peerAsns; // who saw it at the share state measured from
            }
            reference = inFlux || row.refShare == null ? null : row.refShare;
            if (reference == null) {
              row.refShare = c.getShareAfter();
              row.refPeers = peersText;
            } else {
              referencePeers = parse(row.refPeers);
            }
          } else {
            row.refShare = c.getShareAfter();
            row.refPeers = peersText;
            nt.setChangedAt = now;
          }
          row.share = c.getShareAfter();
          row.vpCount = c.getVpCount();
          row.peerAsns = peersText;
          TreeSet<Long> seen = new TreeSet<>();
          Arrays.stream(parse(row.seenBy)).forEach(seen::add);
          Arrays.stream(peersNow).forEach(seen::add);
          row.seenBy = join(seen.stream().mapToLong(Long::longValue));
          row.peakShare = Math.max(row.peakShare, row.share);
          row.peakVps = Math.max(row.peakVps, row.vpCount);
          tx.persist(row);
        }
      }
      case UPSTREAM_REMOVED -> {
        if (up != 0) {
          NetworkUpstreamEntity row = rows.get(up);
          nt.setChangedAt = now;
          if (row != null && row.present) {
            removed =
                new UpstreamView(
                    up,
                    Math.max(row.peakShare, c.getShareBefore()),
                    Math.max(row.peakVps, c.getVpCount()),
                    LongStream.concat(Arrays.stream(parse(row.seenBy)), Arrays.stream(peers(c)))
                        .distinct()
                        .sorted()
                        .toArray(),
                    row.since,
                    row.baseline);
            row.present = false;
            row.removedAt = now;
            row.darkLoss = false;
            row.share = 0;
          }
          if (rows.values().stream().noneMatch(r -> r.present)) {
            // the network has no upstream left: everything removed just before went with it
            List<Long> ups = new ArrayList<>();
            for (NetworkUpstreamEntity g : rows.values()) {
              if (!g.present && g.removedAt != null && g.removedAt >= now - darkWindowMicros) {
                g.darkLoss = true;
                ups.add(g.upstream);
              }
            }
            wentDark = ups;
          }
        }
        long forgetBefore = now - config.upstreamMemory().toNanos() / 1000;
        for (NetworkUpstreamEntity g : List.copyOf(rows.values())) {
          if (!g.present && g.removedAt != null && g.removedAt < forgetBefore) {
            tx.delete(g);
          }
        }
      }
      case VISIBILITY_CROSSED, OUTAGE_OPENED, OUTAGE_CLOSED -> {
        if (!c.hasPrefix()) {
          nt.visibility = c.getVisibility();
        }
      }
      default -> {}
    }
    return new View(present(rows), baseline, wentDark, removed, reference, referencePeers);
  }

  /**
   * First sight of a network from state's answer instead of a change: its present upstreams are the
   * baseline (they were there before the alert service looked), their shares the reference. Call
   * inside a transaction, with the pipeline lock, only when the network has no view yet.
   *
   * @param country the country its alerts carry; null when not known yet
   */
  public SortedMap<Long, UpstreamView> seed(Target t, String country, StateSeed s) {
    String key = t.value();
    TxCache.Tx tx = cache.current();
    NetworkTargetEntity nt = tx.target(key);
    if (nt == null) {
      nt = new NetworkTargetEntity();
      nt.target = key;
      nt.firstSeen = s.timeMicros();
    } else {
      nt.firstSeen = Math.min(nt.firstSeen, s.timeMicros()); // made by a visibility change first
    }
    if (nt.country == null) {
      nt.country = country;
    }
    nt.seededFrom = NetworkTargetEntity.FROM_STATE;
    tx.persist(nt);
    NavigableMap<Long, NetworkUpstreamEntity> rows = tx.upstreams(key);
    for (Upstream u : s.upstreams()) {
      long up = u.getAsn() & 0xffffffffL;
      NetworkUpstreamEntity row = rows.get(up); // a row left from before the network was unwatched
      if (row == null) {
        row = new NetworkUpstreamEntity();
        row.target = key;
        row.upstream = up;
      }
      row.present = true;
      row.since = u.getSinceMicros() > 0 ? u.getSinceMicros() : s.timeMicros();
      row.baseline = true;
      row.removedAt = null;
      row.darkLoss = false;
      row.share = u.getVpShare();
      row.refShare = u.getVpShare();
      row.vpCount = u.getVpCount();
      String peers =
          join(u.getPeerAsnsList().stream().mapToLong(a -> a & 0xffffffffL).distinct().sorted());
      row.peerAsns = peers;
      row.refPeers = peers;
      row.seenBy = peers;
      row.peakShare = row.share;
      row.peakVps = row.vpCount;
      tx.persist(row);
    }
    return present(rows);
  }

  /**
   * The target as its alerts name it: an ASN keeps the country it was first seen with, so labels of
   * an alert already sent do not change under it. A network seeded without a country takes the
   * first one a change names — unless an alert of it fired without one. Call inside the
   * transaction, with the pipeline lock.
   */
  public Target identity(Target t) {
    if (t.kind() != Target.Kind.ASN) {
      return t;
    }
    NetworkTargetEntity nt = cache.current().target(t.value());
    if (nt == null) {
      return t;
    }
    if (nt.country == null) {
      if (t.country().isEmpty()) {
        return t;
      }
      nt.country = firingCountry(t.value()).orElse(t.country());
    }
    return nt.country.equals(t.country())
        ? t
        : new Target(t.kind(), t.value(), t.asn(), nt.country, t.description());
  }

  /** "" when an alert of this ASN target fired without a country label (it keeps its labels). */
  private Optional<String> firingCountry(String asn) {
    List<AlertEntity> firing =
        AlertEntity.list(
            "state = ?1 and (id like ?2 or id like ?3)",
            AlertEntity.FIRING,
            "%|asn=" + asn,
            "%|asn=" + asn + "|%");
    for (AlertEntity a : firing) {
      if (!a.labels.contains("\"country\"")) {
        return Optional.of("");
      }
    }
    return Optional.empty();
  }

  public Optional<NetworkTargetEntity> target(String target) {
    return Optional.ofNullable(cache.current().target(target));
  }

  public SortedMap<Long, UpstreamView> upstreams(String target) {
    return present(cache.current().upstreams(target));
  }

  /**
   * Loads the views of these networks for the caller's transaction in a few queries, so the changes
   * of a batch that touch them read nothing more. Call with the pipeline lock held.
   */
  public void preload(java.util.Collection<String> targets) {
    cache.current().preload(targets);
  }

  /**
   * Which of these networks have an upstream view, in one query; read without the pipeline lock (an
   * early look to decide whom to ask state about, re-checked under the lock). Networks the view
   * store knows to have one cost no query.
   */
  public java.util.Set<String> withUpstreams(java.util.Collection<String> targets) {
    java.util.Set<String> out = store.knownViewed(targets);
    if (out.size() == targets.size()) {
      return out;
    }
    List<String> keys = targets.stream().filter(k -> !out.contains(k)).toList();
    for (int i = 0; i < keys.size(); i += TxCache.PRELOAD_CHUNK) {
      out.addAll(
          NetworkUpstreamEntity.getEntityManager()
              .createQuery(
                  "select distinct u.target from NetworkUpstreamEntity u where u.target in :keys",
                  String.class)
              .setParameter(
                  "keys", keys.subList(i, Math.min(keys.size(), i + TxCache.PRELOAD_CHUNK)))
              .getResultList());
    }
    return out;
  }

  private static SortedMap<Long, UpstreamView> present(
      NavigableMap<Long, NetworkUpstreamEntity> rows) {
    SortedMap<Long, UpstreamView> out = new TreeMap<>();
    for (NetworkUpstreamEntity r : rows.values()) {
      if (r.present) {
        out.put(r.upstream, view(r));
      }
    }
    return out;
  }

  /** Upstreams present now, of every network. */
  public List<NetworkUpstreamEntity> allUpstreams() {
    return NetworkUpstreamEntity.list("present", true);
  }

  /** An upstream's row, present or remembered. */
  public Optional<NetworkUpstreamEntity> upstream(String target, long up) {
    return Optional.ofNullable(cache.current().upstreams(target).get(up));
  }

  public List<NetworkTargetEntity> allTargets() {
    return NetworkTargetEntity.listAll();
  }

  /**
   * Does the network have an upstream view (present or past upstreams)? A target row alone, made by
   * a visibility change that came first, is not one: it is still seeded from state (a network
   * watched while single-homed gets its SingleHomed from live sessions as from archives).
   */
  public boolean hasUpstreams(String target) {
    return !cache.current().upstreams(target).isEmpty();
  }

  /** Targets with an upstream view. */
  public java.util.Set<String> targetsWithUpstreams() {
    java.util.Set<String> out = new java.util.HashSet<>();
    NetworkUpstreamEntity.getEntityManager()
        .createQuery("select distinct u.target from NetworkUpstreamEntity u", String.class)
        .getResultList()
        .forEach(out::add);
    return out;
  }

  private static long[] peers(Change c) {
    return c.getPeerAsnsList().stream().mapToLong(a -> a & 0xffffffffL).toArray();
  }

  private static long[] parse(String csv) {
    return csv.isEmpty()
        ? new long[0]
        : Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
  }

  private static String join(LongStream s) {
    return s.mapToObj(Long::toString).collect(Collectors.joining(","));
  }

  static UpstreamView view(NetworkUpstreamEntity r) {
    long[] peers = r.peers();
    return new UpstreamView(
        r.upstream, r.share, r.vpCount, peers, r.since, r.baseline || r.darkLoss);
  }
}
