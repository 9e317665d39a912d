package io.routewatch.collector.bgp;

import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.message.Update;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.collector.publish.LiveStream;
import io.routewatch.proto.v1.VantagePoint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the UPDATEs of one Established session into route events, applying the RFC 7606 decision of
 * each message and the neighbour's max-prefix limit. Routes are tracked (prefix, path id) only when
 * a limit is configured, so an unlimited full-feed session costs no memory here.
 */
final class BgpRoutes {
  /** What an UPDATE did to the session. */
  enum Outcome {
    OK,
    /** RFC 7606 says the session must be reset (or the AFI/SAFI disabled, which we do by reset). */
    RESET,
    /** The max-prefix limit was crossed and the neighbour is configured to close. */
    MAX_PREFIX_CLOSE
  }

  private final VantagePoint vp;
  private final LiveStream out;
  private final BgpNeighbor neighbor;
  private final BgpMetrics metrics;
  private final Set<Nlri> held;
  private boolean warned;

  BgpRoutes(VantagePoint vp, LiveStream out, BgpNeighbor neighbor, BgpMetrics metrics) {
    this.vp = vp;
    this.out = out;
    this.neighbor = neighbor;
    this.metrics = metrics;
    this.held = neighbor.maxPrefix() > 0 ? new HashSet<>() : null;
  }

  int held() {
    return held == null ? -1 : held.size();
  }

  /**
   * @param out the session's live stream, or null when the journal is on (then only the RFC 7606
   *     decision and the max-prefix limit apply here)
   */
  Outcome update(Update u, long ts) {
    Rfc7606Action action = u.action();
    if (action != Rfc7606Action.NONE) {
      metrics.rfc7606(neighbor.name(), action.name());
    }
    if (action.compareTo(Rfc7606Action.AFI_SAFI_DISABLE) >= 0) {
      return Outcome.RESET;
    }
    long n = 0;
    if (u.isEndOfRib()) {
      offer(LiveEvent.endOfRib(vp, ts, u.endOfRibAfiSafi()[0]));
      metrics.events(1);
      return Outcome.OK;
    }
    for (Nlri w : u.allWithdrawn()) {
      offer(LiveEvent.withdraw(vp, ts, w));
      forget(w);
      n++;
    }
    List<Nlri> announced = u.announced();
    if (action == Rfc7606Action.TREAT_AS_WITHDRAW) {
      // RFC 7606 §2: the routes of this UPDATE are withdrawn, whatever its attributes said.
      for (Nlri a : announced) {
        offer(LiveEvent.withdraw(vp, ts, a));
        forget(a);
        n++;
      }
      metrics.events(n);
      return Outcome.OK;
    }
    for (Nlri a : announced) {
      offer(LiveEvent.announce(vp, ts, a, u.attributes()));
      if (held != null) {
        held.add(a);
      }
      n++;
    }
    metrics.events(n);
    return checkLimit();
  }

  /** Without a stream (the journal is on) the events are not built here: state reads the file. */
  private void offer(LiveEvent e) {
    if (out != null) {
      out.offer(e);
    }
  }

  private void forget(Nlri n) {
    if (held != null) {
      held.remove(n);
    }
  }

  private Outcome checkLimit() {
    if (held == null || held.size() <= neighbor.maxPrefix()) {
      warned = false;
      return Outcome.OK;
    }
    if (neighbor.closeOnMaxPrefix()) {
      metrics.maxPrefix(neighbor.name(), "close");
      return Outcome.MAX_PREFIX_CLOSE;
    }
    if (!warned) {
      warned = true; // once per crossing, not per UPDATE
      metrics.maxPrefix(neighbor.name(), "warn");
    }
    return Outcome.OK;
  }
}
