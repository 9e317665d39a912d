package io.routewatch.state.changes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.WatchedSpace;
import io.routewatch.state.rpki.RoaDiff;
import io.routewatch.state.rpki.RpkiService;
import io.routewatch.state.rpki.Vrp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logging.Logger;

/**
 * Journals {@code CHANGE_KIND_ROA_CHANGED}: after each good load of the VRP set, the ROAs of the
 * watched space ({@link RoaDiff}: a watched origin AS, or a prefix related to a watched prefix) are
 * compared with the previous load's. The loader thread computes the difference; the ingest writer
 * journals it at its next tick ({@link #publish}), as it journals the engine's changes. The first
 * load after start is the baseline. At most {@link #MAX_PER_LOAD} changes per load are journaled;
 * the rest are counted ({@code routewatch_state_rpki_roa_changes_dropped_total}) and logged with
 * their number.
 */
@ApplicationScoped
public class RoaChanges {
  private static final Logger LOG = Logger.getLogger(RoaChanges.class);

  /** Changes journaled per load at most (a whole registry's re-keying is not 10,000 pages). */
  public static final int MAX_PER_LOAD = 10_000;

  @Inject RpkiService rpki;
  @Inject RoutingEngine engine;
  @Inject ChangeJournal journal;
  @Inject MeterRegistry registry;

  private final ConcurrentLinkedQueue<Change.Builder> pending = new ConcurrentLinkedQueue<>();
  private Counter dropped;

  // loader thread only
  private Map<RoaDiff.Key, Integer> previous;
  private WatchedSpace previousSpace;

  void onStart(@Observes StartupEvent ev) {
    dropped = registry.counter("routewatch_state_rpki_roa_changes_dropped_total");
    rpki.onLoad(this::loaded);
  }

  /** One good load (loader thread). */
  void loaded(List<Vrp> vrps) {
    WatchedSpace space = engine.watched();
    Map<RoaDiff.Key, Integer> now = RoaDiff.watched(vrps, space);
    if (previous != null) {
      List<RoaDiff.Delta> deltas = RoaDiff.diff(previous, previousSpace, now, space);
      long time = System.currentTimeMillis() * 1000;
      int n = 0;
      for (RoaDiff.Delta d : deltas) {
        if (n++ == MAX_PER_LOAD) {
          dropped.increment(deltas.size() - MAX_PER_LOAD);
          LOG.warnf(
              "RPKI: %d ROA changes of the watched space in one load; %d journaled, %d dropped",
              deltas.size(), MAX_PER_LOAD, deltas.size() - MAX_PER_LOAD);
          break;
        }
        pending.add(proto(d, time));
      }
      if (!deltas.isEmpty()) {
        LOG.infof("RPKI: %d ROA changes of the watched space", deltas.size());
      }
    }
    previous = now;
    previousSpace = space;
  }

  static Change.Builder proto(RoaDiff.Delta d, long timeMicros) {
    String how =
        switch (d.type()) {
          case ROA_CHANGE_TYPE_ADDED -> "added (maxLength " + d.after() + ")";
          case ROA_CHANGE_TYPE_REMOVED -> "removed (maxLength was " + d.before() + ")";
          default -> "maxLength " + d.before() + " → " + d.after();
        };
    return Change.newBuilder()
        .setKind(ChangeKind.CHANGE_KIND_ROA_CHANGED)
        .setTimeMicros(timeMicros)
        .setMovedAtMicros(timeMicros)
        .setAsn((int) d.asn())
        .setPrefix(ChangePublisher.prefix(d.prefix().toString()))
        .setRoaChange(d.type())
        .setRoaMaxLengthBefore(d.before())
        .setRoaMaxLengthAfter(d.after())
        .setDetail("ROA " + d.prefix() + " AS" + d.asn() + " " + how);
  }

  /** Journals what the last loads found (ingest writer thread, on its tick). */
  public void publish() {
    Change.Builder b;
    while ((b = pending.poll()) != null) {
      Change c = journal.append(b);
      registry.counter("routewatch_state_changes_total", "kind", c.getKind().name()).increment();
    }
  }
}
