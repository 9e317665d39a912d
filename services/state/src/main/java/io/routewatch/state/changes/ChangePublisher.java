package io.routewatch.state.changes;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.VantagePoint;
import io.routewatch.state.history.HistoryRecorder;
import io.routewatch.state.rib.ChangeEvent;
import io.routewatch.state.rib.ChangeListener;
import io.routewatch.state.rib.Neighbor;
import io.routewatch.state.rib.RouteLeak;
import io.routewatch.state.rib.VantagePointKey;
import io.routewatch.state.rpki.RovState;
import io.routewatch.state.rpki.RpkiService;
import io.routewatch.state.rpki.VrpTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns the engine's change events into journal entries. Runs on the writer thread inside the
 * engine's lock, so it only converts and queues (the journal writes in the background). After a
 * restore, changes re-derived from re-sent batches that the journal already holds are dropped
 * ({@link ReplayedChanges}).
 */
@ApplicationScoped
public class ChangePublisher implements ChangeListener {
  @Inject ChangeJournal journal;
  @Inject HistoryRecorder history;
  @Inject MeterRegistry registry;

  @Inject ReplayedChanges replayed;
  @Inject RpkiService rpki;

  @Override
  public void onChange(ChangeEvent e) {
    Change.Builder b = toProto(e);
    if (rpki.loaded()) {
      validate(b, e, rpki.table());
    }
    if (replayed.suppress(b)) {
      // journaled before the restart: subscribers have it; history writes are idempotent for it
      history.record(e);
      return;
    }
    Change c = journal.append(b);
    registry.counter("routewatch_state_changes_total", "kind", c.getKind().name()).increment();
    history.record(e);
  }

  static Change.Builder toProto(ChangeEvent e) {
    Change.Builder b =
        Change.newBuilder()
            .setTimeMicros(e.tsMicros())
            .setKind(kind(e.type()))
            .setDetail(e.toString());
    if (e.originAsn() >= 0) {
      b.setAsn((int) e.originAsn());
    }
    if (e.country() != null) {
      b.setCountry(e.country());
    }
    if (e.prefix() != null) {
      b.setPrefix(prefix(e.prefix()));
    }
    if (e.upstreamAsn() >= 0) {
      b.setUpstream((int) e.upstreamAsn());
    }
    if (!Double.isNaN(e.shareBefore())) {
      b.setShareBefore(e.shareBefore());
    }
    if (!Double.isNaN(e.shareAfter())) {
      b.setShareAfter(e.shareAfter());
    }
    if (!Double.isNaN(e.visibility())) {
      b.setVisibility(e.visibility());
    }
    b.setVpCount(Math.max(0, e.vpCount()));
    b.setMovedAtMicros(e.movedAtMicros());
    boolean origins =
        switch (e.type()) {
          case ORIGIN_CHANGED, MORE_SPECIFIC, PREFIX_ANNOUNCED, PREFIX_WITHDRAWN -> true;
          default -> false;
        };
    if (origins && e.originsBefore() != null) {
      for (long a : e.originsBefore()) {
        b.addOriginsBefore((int) a);
      }
    }
    if (origins && e.originsAfter() != null) {
      for (long a : e.originsAfter()) {
        b.addOriginsAfter((int) a);
      }
    }
    if (e.coveringPrefix() != null) {
      b.setCoveringPrefix(prefix(e.coveringPrefix()));
    }
    if (e.asPath() != null) {
      b.setAsPath(e.asPath());
    }
    b.setSpreadUpdate(e.spreadUpdate());
    if (e.peerAsns() != null) {
      for (long a : e.peerAsns()) {
        b.addPeerAsns((int) a);
      }
    }
    if (e.leak() != null) {
      RouteLeak l = e.leak();
      b.setLeakerAsn((int) l.leaker());
      for (long a : l.segment()) {
        b.addLeakSegment((int) a);
      }
      b.setLeakTypeValue(l.type());
      for (VantagePointKey k : l.vantagePoints()) {
        b.addLeakVantagePoints(
            VantagePoint.newBuilder()
                .setCollector(k.collector())
                .setPeerAddress(ByteString.copyFrom(k.peerAddress()))
                .setPeerAsn((int) k.peerAsn())
                .setPeerBgpId(k.peerBgpId()));
      }
    }
    if (e.neighbor() != null) {
      Neighbor n = e.neighbor();
      b.setNeighborAsn((int) n.neighbor());
      b.setNeighborSideValue(n.side());
      b.setNeighborSinceMicros(n.sinceMicros());
    }
    return b;
  }

  /**
   * Sets the RFC 6811 state of the change's prefix for its origins now (PREFIX_ANNOUNCED,
   * ORIGIN_CHANGED, MORE_SPECIFIC only): one state per origin of {@code origins_after} and the
   * least favourable of them as {@code rov_state}. A few hash probes per origin; nothing for the
   * other kinds.
   */
  static void validate(Change.Builder b, ChangeEvent e, VrpTable table) {
    switch (e.type()) {
      case PREFIX_ANNOUNCED, ORIGIN_CHANGED, MORE_SPECIFIC -> {}
      default -> {
        return;
      }
    }
    if (e.prefix() == null) {
      return;
    }
    io.routewatch.state.route.Prefix p = io.routewatch.state.route.Prefix.parse(e.prefix());
    RovState worst = null;
    if (e.originsAfter() != null && e.originsAfter().length > 0) {
      for (long a : e.originsAfter()) {
        RovState s = table.validate(p, a);
        b.addOriginRovStates(proto(s));
        worst = worse(worst, s);
      }
    } else if (e.originAsn() >= 0) {
      worst = table.validate(p, e.originAsn());
    }
    if (worst != null) {
      b.setRovState(proto(worst));
    }
  }

  /** The less favourable of two states: INVALID_ASN, INVALID_LENGTH, NOT_FOUND, VALID. */
  static RovState worse(RovState a, RovState b) {
    return a == null || rank(b) < rank(a) ? b : a;
  }

  private static int rank(RovState s) {
    return switch (s) {
      case INVALID_ASN -> 0;
      case INVALID_LENGTH -> 1;
      case NOT_FOUND -> 2;
      case VALID -> 3;
    };
  }

  /** Engine state → proto state. */
  public static io.routewatch.proto.v1.RovState proto(RovState s) {
    return switch (s) {
      case VALID -> io.routewatch.proto.v1.RovState.ROV_STATE_VALID;
      case INVALID_ASN -> io.routewatch.proto.v1.RovState.ROV_STATE_INVALID_ASN;
      case INVALID_LENGTH -> io.routewatch.proto.v1.RovState.ROV_STATE_INVALID_LENGTH;
      case NOT_FOUND -> io.routewatch.proto.v1.RovState.ROV_STATE_NOT_FOUND;
    };
  }

  static ChangeKind kind(ChangeEvent.Type t) {
    return switch (t) {
      case UPSTREAM_ADDED -> ChangeKind.UPSTREAM_ADDED;
      case UPSTREAM_REMOVED -> ChangeKind.UPSTREAM_REMOVED;
      case UPSTREAM_SHARE_MOVED -> ChangeKind.SHARE_MOVED;
      case VISIBILITY_LOST, VISIBILITY_RESTORED -> ChangeKind.VISIBILITY_CROSSED;
      case OUTAGE_OPENED -> ChangeKind.OUTAGE_OPENED;
      case OUTAGE_CLOSED -> ChangeKind.OUTAGE_CLOSED;
      case ORIGIN_CHANGED -> ChangeKind.ORIGIN_CHANGED;
      case MORE_SPECIFIC -> ChangeKind.MORE_SPECIFIC;
      case PREFIX_ANNOUNCED -> ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED;
      case PREFIX_WITHDRAWN -> ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN;
      case ROUTE_LEAK -> ChangeKind.CHANGE_KIND_ROUTE_LEAK;
      case ROUTE_LEAK_ENDED -> ChangeKind.CHANGE_KIND_ROUTE_LEAK_ENDED;
      case NEIGHBOR_APPEARED -> ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED;
      case NEIGHBOR_GONE -> ChangeKind.CHANGE_KIND_NEIGHBOR_GONE;
    };
  }

  /** Prefix text (as the engine formats it) → proto prefix. */
  static Prefix prefix(String text) {
    io.routewatch.state.route.Prefix p = io.routewatch.state.route.Prefix.parse(text);
    byte[] a = p.address();
    int n = (p.length() + 7) / 8;
    return Prefix.newBuilder()
        .setAfi(a.length == 16 ? Afi.IPV6 : Afi.IPV4)
        .setAddress(ByteString.copyFrom(a, 0, n))
        .setLength(p.length())
        .build();
  }
}
