package io.routewatch.state.changes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.rpki.RovState;
import io.routewatch.state.rpki.RpkiService;
import io.routewatch.state.rpki.VrpTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Journals {@code CHANGE_KIND_ROV_CHANGED}: after each good load of the VRP set, the prefixes of
 * the watched space that some VP carries ({@link RoutingEngine#watchedCarried}, the prefixes whose
 * PREFIX_ANNOUNCED reports carry a verdict) are validated (RFC 6811) against the previous set and
 * the new one; each prefix whose state for one of its origins differs is a change. A ROA removed,
 * shrunk or expired turns routes invalid without any route changing, and a ROA fixed makes them
 * valid again: the alert service learns both here.
 *
 * <p>The loader thread reads the engine under its read lock (one scan, then the peer ASNs of the
 * changed prefixes only) and validates off it; the ingest writer journals at its next tick ({@link
 * #publish}), after checking that the prefix still has the origins that were validated (a route
 * change in between was journaled with the new verdict already: the table is swapped before this
 * runs). At most {@link #MAX_PER_LOAD} per load; the rest are counted ({@code
 * routewatch_state_rpki_rov_changes_dropped_total}) and logged.
 *
 * <p>The first load after start has no previous set. While state is not warm it reports nothing
 * (the warm-up reports carry the verdict); once warm (the VRPs came late, after a failed first
 * load, or state restored a warm snapshot) it reports the prefixes it finds invalid, without a
 * state before: the routes reported so far carried no verdict, or one a restart may have made
 * stale.
 */
@ApplicationScoped
public class RovChanges {
  private static final Logger LOG = Logger.getLogger(RovChanges.class);

  /** Changes journaled per load at most (a trust anchor's outage is not 10,000 pages). */
  public static final int MAX_PER_LOAD = 10_000;

  @Inject RpkiService rpki;
  @Inject RoutingEngine engine;
  @Inject ChangeJournal journal;
  @Inject MeterRegistry registry;

  /** A change found by a load, with the origins it was validated for. */
  record Found(Change.Builder change, io.routewatch.state.route.Prefix prefix, long[] origins) {}

  private final ConcurrentLinkedQueue<Found> pending = new ConcurrentLinkedQueue<>();
  private Counter dropped;
  int maxPerLoad = MAX_PER_LOAD;

  void onStart(@Observes StartupEvent ev) {
    registerMetrics();
    // the set before comes from the service, not from a load seen here: a load that ran before
    // this listener was added (start-up order) still counts as the previous set
    rpki.onLoad(vrps -> loaded(rpki.replacedTable(), rpki.table()));
  }

  void registerMetrics() {
    dropped = registry.counter("routewatch_state_rpki_rov_changes_dropped_total");
  }

  /**
   * One good load (loader thread): {@code now} is the new VRP set, {@code before} the one it
   * replaced (null for the first load after start).
   */
  void loaded(VrpTable before, VrpTable now) {
    List<RoutingEngine.Carried> carried = engine.watchedCarried();
    long time = System.currentTimeMillis() * 1000;
    int found = 0;
    for (RoutingEngine.Carried c : carried) {
      RovState[] after = validate(now, c);
      RovState[] was = before == null ? null : validate(before, c);
      boolean changed =
          was == null
              ? Arrays.stream(after).anyMatch(RovChanges::invalid)
              : !Arrays.equals(was, after);
      if (!changed) {
        continue;
      }
      if (found++ >= maxPerLoad) {
        continue; // counted below
      }
      pending.add(
          new Found(
              proto(c, was, after, engine.peerAsnsOf(c.prefix()), time), c.prefix(), c.origins()));
    }
    if (found > maxPerLoad) {
      dropped.increment(found - maxPerLoad);
      LOG.warnf(
          "RPKI: %d watched prefixes changed ROV state in one load; %d journaled, %d dropped",
          found, maxPerLoad, found - maxPerLoad);
    } else if (found > 0) {
      LOG.infof("RPKI: %d watched prefixes changed ROV state", found);
    }
  }

  private static RovState[] validate(VrpTable t, RoutingEngine.Carried c) {
    RovState[] s = new RovState[c.origins().length];
    for (int i = 0; i < s.length; i++) {
      s[i] = t.validate(c.prefix(), c.origins()[i]);
    }
    return s;
  }

  private static boolean invalid(RovState s) {
    return s == RovState.INVALID_ASN || s == RovState.INVALID_LENGTH;
  }

  static Change.Builder proto(
      RoutingEngine.Carried c, RovState[] before, RovState[] after, long[] peers, long timeMicros) {
    Change.Builder b =
        Change.newBuilder()
            .setKind(ChangeKind.CHANGE_KIND_ROV_CHANGED)
            .setTimeMicros(timeMicros)
            .setMovedAtMicros(timeMicros)
            .setPrefix(ChangePublisher.prefix(c.prefix().toString()))
            .setVpCount(c.vps());
    long[] o = c.origins();
    if (o.length == 1) {
      b.setAsn((int) o[0]); // MOAS: 0, the origins are in origins_after (as ORIGIN_CHANGED)
    }
    RovState worstAfter = null;
    RovState worstBefore = null;
    for (int i = 0; i < o.length; i++) {
      b.addOriginsAfter((int) o[i]);
      b.addOriginRovStates(ChangePublisher.proto(after[i]));
      worstAfter = ChangePublisher.worse(worstAfter, after[i]);
      if (before != null) {
        b.addOriginRovStatesBefore(ChangePublisher.proto(before[i]));
        worstBefore = ChangePublisher.worse(worstBefore, before[i]);
      }
    }
    b.setRovState(ChangePublisher.proto(worstAfter));
    if (worstBefore != null) {
      b.setRovStateBefore(ChangePublisher.proto(worstBefore));
    }
    for (long p : peers) {
      b.addPeerAsns((int) p);
    }
    List<String> each = new ArrayList<>();
    for (int i = 0; i < o.length; i++) {
      each.add(
          "AS" + o[i] + " " + (before == null ? "" : label(before[i]) + " → ") + label(after[i]));
    }
    b.setDetail(
        "ROV "
            + c.prefix()
            + " "
            + each.stream().collect(Collectors.joining(", "))
            + " (VRP set reloaded)");
    return b;
  }

  private static String label(RovState s) {
    return switch (s) {
      case VALID -> "valid";
      case INVALID_ASN -> "invalid-origin";
      case INVALID_LENGTH -> "invalid-length";
      case NOT_FOUND -> "not-found";
    };
  }

  /**
   * The changes the last loads found whose prefix still has the origins that were validated (ingest
   * writer thread: no route change can come between this check and the journal).
   */
  List<Change.Builder> take() {
    List<Change.Builder> out = new ArrayList<>();
    Found f;
    while ((f = pending.poll()) != null) {
      RoutingEngine.OriginsNow now = engine.originsOf(f.prefix());
      if (now.vps() == 0 || !Arrays.equals(now.origins(), f.origins())) {
        continue; // withdrawn or re-originated since: that change carried the new verdict
      }
      out.add(f.change());
    }
    return out;
  }

  /** Journals what the last loads found (ingest writer thread, on its tick). */
  public void publish() {
    if (pending.isEmpty()) {
      return;
    }
    for (Change.Builder b : take()) {
      Change c = journal.append(b);
      registry.counter("routewatch_state_changes_total", "kind", c.getKind().name()).increment();
    }
  }
}
