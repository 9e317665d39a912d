package io.routewatch.state.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.bgp.nlri.IpText;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.servicekit.log.LogLimiter;
import io.routewatch.servicekit.log.LogText;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.snapshot.IngestImage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.jboss.logging.Logger;

/**
 * Applies one batch to the routing engine (writer thread only), under one engine lock, and counts
 * events by kind. A malformed event (bad reference, bad prefix) is counted and skipped; the rest of
 * the batch applies.
 */
@ApplicationScoped
public class BatchApplier {
  private static final Logger LOG = Logger.getLogger(BatchApplier.class);

  /** RFC 4271 §8.2.2 FSM state number of Established. */
  static final int ESTABLISHED = 6;

  @Inject MeterRegistry registry;
  @Inject RoutingEngine engine;

  private final Map<EventKind, AtomicLong> byKind = new EnumMap<>(EventKind.class);

  {
    // Filled here, not at startup: a snapshot may restore these before StartupEvent observers run.
    for (EventKind k : EventKind.values()) {
      if (k != EventKind.UNRECOGNIZED) {
        byKind.put(k, new AtomicLong());
      }
    }
  }

  /** Events applied under one write-lock hold (a batch is applied in chunks of this many). */
  static final int CHUNK = 256;

  private final AtomicLong events = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  @Inject StateConfig config;

  private Counter applied;
  private Counter rejected;
  private Counter rejectedFuture;
  private final LogLimiter futureLog = new LogLimiter(Duration.ofSeconds(10));

  void onStart(@Observes StartupEvent ev) {
    applied = registry.counter("routewatch_state_events_applied_total");
    rejected = registry.counter("routewatch_state_events_rejected_total", "reason", "malformed");
    rejectedFuture =
        registry.counter("routewatch_state_events_rejected_total", "reason", "future_time");
    Gauges.gauge(registry, "routewatch_state_routes", engine, e -> e.stats().routes());
    Gauges.gauge(
        registry, "routewatch_state_vantage_points", engine, e -> e.stats().vantagePoints());
    Gauges.gauge(registry, "routewatch_state_neighbor_edges", engine, e -> e.neighborEdges());
    // a meter of that name left by an earlier application in this JVM (Quarkus tests) would stay
    // bound to that application's engine, whose scrape then fails: replace it, as Gauges does
    registry.find("routewatch_state_neighbors_dropped_total").meters().forEach(registry::remove);
    FunctionCounter.builder(
            "routewatch_state_neighbors_dropped_total", engine, e -> e.neighborsDropped())
        .register(registry);
  }

  /** VPs each archive stream touched, so its end can settle them (see {@link #endOfArchive}). */
  private final Map<String, IntHashSet> archiveVps = new HashMap<>();

  int apply(RouteEventBatch b) {
    EventTranslator t = new EventTranslator(b, engine);
    long latest = latestAcceptable();
    int[] ok = {0};
    boolean archive =
        b.getSource().getFeed() == FeedKind.MRT_RIB
            || b.getSource().getFeed() == FeedKind.MRT_UPDATES;
    List<RouteEvent> list = b.getEventsList();
    // A batch is applied in chunks, each under its own write-lock hold: a query waits for one
    // chunk at most, not for a whole batch (thousands of events, each possibly deriving changes).
    // The writer is the only thread that applies, so positions and snapshots, taken between
    // batches, are unaffected; a query may see part of a batch, as it may see part of a stream.
    for (int from = 0; from < list.size() || from == 0; from += CHUNK) {
      boolean first = from == 0;
      List<RouteEvent> chunk = list.subList(from, Math.min(list.size(), from + CHUNK));
      engine.batch(
          () -> {
            if (archive && first) {
              IntHashSet seen = archiveVps.computeIfAbsent(b.getStreamId(), k -> new IntHashSet());
              for (int i = 0; i < b.getVantagePointsCount(); i++) {
                seen.add(t.vp(i));
              }
            }
            applyChunk(b, t, chunk, latest, ok);
          });
    }
    if (b.getEndOfStream()) {
      endOfArchive(b, latest);
    }
    events.addAndGet(ok[0]);
    batches.incrementAndGet();
    applied.increment(ok[0]);
    return ok[0];
  }

  private void applyChunk(
      RouteEventBatch b, EventTranslator t, List<RouteEvent> chunk, long latest, int[] ok) {
    for (RouteEvent e : chunk) {
      if (e.getTimestampMicros() > latest) {
        rejectFuture(b, e, latest);
        continue;
      }
      try {
        applyOne(t, e);
        ok[0]++;
        AtomicLong c = byKind.get(e.getKind());
        if (c != null) {
          c.incrementAndGet();
        }
      } catch (IllegalArgumentException ex) {
        rejected.increment();
        LOG.warnf(
            "batch %s/%d: event skipped: %s",
            LogText.safe(b.getStreamId()), b.getSequence(), LogText.safe(ex.getMessage(), 300));
      }
    }
  }

  /**
   * An archive that ended has told everything it will tell about its VPs: their tables count as
   * complete (End-of-RIB for both families), so derived views settle and report changes instead of
   * waiting for a settle time in event time that a finished archive never reaches.
   */
  private void endOfArchive(RouteEventBatch b, long latest) {
    IntHashSet vps = archiveVps.remove(b.getStreamId());
    if (vps == null) {
      return;
    }
    long ts = 0;
    for (RouteEvent e : b.getEventsList()) {
      if (e.getTimestampMicros()
          <= latest) { // a rejected future time must not move the clock here either
        ts = Math.max(ts, e.getTimestampMicros());
      }
    }
    long at = ts == 0 ? engine.stats().clockMicros() : ts;
    engine.batch(
        () ->
            vps.forEach(
                vp -> {
                  engine.endOfRib(vp, 1, at);
                  engine.endOfRib(vp, 2, at);
                }));
  }

  /** The latest event time accepted now: wall clock plus the future tolerance, µs. */
  private long latestAcceptable() {
    return System.currentTimeMillis() * 1000 + config.clock().futureTolerance().toNanos() / 1000;
  }

  /**
   * An event stamped beyond wall time + tolerance is not applied: it would move the engine clock
   * (the largest event time seen) into the future. Counted; logged at most every 10 s with where it
   * came from.
   */
  private void rejectFuture(RouteEventBatch b, RouteEvent e, long latest) {
    rejectedFuture.increment();
    long quiet = futureLog.admit();
    if (quiet < 0) {
      return;
    }
    LOG.warnf(
        "batch %s/%d from collector %s: %s event of VP %s stamped %s, beyond now + %s (%s):"
            + " rejected, the engine clock stays%s",
        LogText.safe(b.getStreamId()),
        b.getSequence(),
        LogText.safe(b.getCollector()),
        e.getKind(),
        vpName(b, e.getVpRef()),
        instant(e.getTimestampMicros()),
        config.clock().futureTolerance(),
        instant(latest),
        quiet == 0 ? "" : " (" + quiet + " more such events not logged since the last line)");
  }

  /** collector/peer address/AS of a batch's VP reference, for a log line. */
  private static String vpName(RouteEventBatch b, int ref) {
    if (ref < 0 || ref >= b.getVantagePointsCount()) {
      return "#" + ref;
    }
    io.routewatch.proto.v1.VantagePoint v = b.getVantagePoints(ref);
    String collector = v.getCollector().isEmpty() ? b.getCollector() : v.getCollector();
    byte[] peer = v.getPeerAddress().toByteArray();
    String addr = peer.length == 4 || peer.length == 16 ? IpText.format(peer) : "?";
    return LogText.safe(collector) + "/" + addr + "/AS" + Integer.toUnsignedString(v.getPeerAsn());
  }

  private static String instant(long micros) {
    try {
      return Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000)
          .toString();
    } catch (DateTimeException ex) {
      return micros + " µs";
    }
  }

  private void applyOne(EventTranslator t, RouteEvent e) {
    long ts = e.getTimestampMicros();
    switch (e.getKind()) {
      case ANNOUNCE, RIB_ENTRY -> {
        int vp = t.vp(e.getVpRef());
        int ref = e.getAttributesRef();
        if (t.treatAsWithdraw(ref)) {
          engine.withdraw(vp, EventTranslator.prefix(e.getPrefix()), e.getPathId(), ts);
        } else {
          engine.announce(
              vp,
              EventTranslator.prefix(e.getPrefix()),
              e.getPathId(),
              t.path(ref),
              t.routeAttributes(ref),
              ts);
        }
      }
      case WITHDRAW ->
          engine.withdraw(
              t.vp(e.getVpRef()), EventTranslator.prefix(e.getPrefix()), e.getPathId(), ts);
      case PEER_STATE -> {
        // An archive's FSM transitions: leaving Established drops the session's routes.
        if (e.getOldState() == ESTABLISHED && e.getNewState() != ESTABLISHED) {
          engine.peerDown(t.vp(e.getVpRef()), ts);
        } else if (e.getNewState() == ESTABLISHED) {
          engine.peerUp(t.vp(e.getVpRef()), ts);
        }
      }
      case PEER_UP -> engine.peerUp(t.vp(e.getVpRef()), ts);
      case PEER_DOWN -> engine.peerDown(t.vp(e.getVpRef()), ts);
      case END_OF_RIB -> engine.endOfRib(t.vp(e.getVpRef()), e.getAfiValue(), ts);
      case RIB_DUMP_BEGIN -> engine.ribDumpBegin(t.vp(e.getVpRef()), ts);
      case RIB_DUMP_END -> engine.ribDumpEnd(t.vp(e.getVpRef()), ts);
      default -> throw new IllegalArgumentException("unknown event kind " + e.getKindValue());
    }
  }

  /** Called by the writer every tick interval: lets time-driven views advance on the wall clock. */
  void tick() {
    // Live feeds: advance to wall-clock time so holds and outages progress without events. An
    // archive replay (event time far in the past) keeps its own clock.
    long now = System.currentTimeMillis() * 1000;
    long clock = engine.stats().clockMicros();
    if (clock > 0 && now - clock < LIVE_WINDOW_MICROS) {
      engine.tick(now);
    }
  }

  private static final long LIVE_WINDOW_MICROS = 3_600_000_000L;

  /** Changes when anything was applied or time moved: a snapshot is only taken if it did. */
  long changeMark() {
    return batches.get() * 0x9E3779B97F4A7C15L + engine.stats().clockMicros();
  }

  /** Writer thread: this applier's part of a snapshot, with the pipeline's positions. */
  IngestImage image(
      Map<String, Long> positions, Map<String, String> collectors, long journalSequence) {
    Map<String, int[]> archive = new HashMap<>();
    archiveVps.forEach((id, vps) -> archive.put(id, vps.toArray()));
    Map<String, Long> kinds = new HashMap<>();
    byKind.forEach((k, n) -> kinds.put(k.name(), n.get()));
    return new IngestImage(
        positions, collectors, archive, events.get(), batches.get(), kinds, journalSequence);
  }

  /** Writer thread, before the first batch: counters and archive VPs from a snapshot. */
  void restore(IngestImage g) {
    g.archiveVps().forEach((id, vps) -> archiveVps.put(id, IntHashSet.newSetWith(vps)));
    events.set(g.events());
    batches.set(g.batches());
    g.eventsByKind()
        .forEach(
            (name, n) -> {
              AtomicLong c = byKind.get(EventKind.valueOf(name));
              if (c != null) {
                c.set(n);
              }
            });
  }

  public long count(EventKind kind) {
    AtomicLong c = byKind.get(kind);
    return c == null ? 0 : c.get();
  }

  public long events() {
    return events.get();
  }

  public long batches() {
    return batches.get();
  }
}
