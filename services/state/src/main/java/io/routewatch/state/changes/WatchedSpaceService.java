package io.routewatch.state.changes;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.SetWatchedSpaceRequest;
import io.routewatch.proto.v1.SetWatchedSpaceResponse;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * SetWatchedSpace: the alert service's watched prefixes and origin ASes, handed to the engine,
 * which reports PREFIX_ANNOUNCED / PREFIX_WITHDRAWN for them only. Input is bounded before anything
 * is built; a bad request is refused whole with INVALID_ARGUMENT naming the entry, and counted.
 */
@ApplicationScoped
public class WatchedSpaceService {
  private static final Logger LOG = Logger.getLogger(WatchedSpaceService.class);

  /** Prefixes, and separately ASNs, one space may hold. */
  public static final int MAX_ENTRIES = 500_000;

  @Inject RoutingEngine engine;
  @Inject MeterRegistry registry;

  void onStart(@Observes StartupEvent ev) {
    Gauges.gauge(
        registry, "routewatch_state_watched_prefixes", this, s -> s.engine.watched().prefixCount());
    Gauges.gauge(
        registry, "routewatch_state_watched_asns", this, s -> s.engine.watched().asnCount());
  }

  public SetWatchedSpaceResponse set(SetWatchedSpaceRequest req) {
    WatchedSpace space;
    try {
      space = parse(req);
    } catch (IllegalArgumentException e) {
      registry.counter("routewatch_state_watched_space_rejected_total").increment();
      LOG.warnf("SetWatchedSpace refused: %s", e.getMessage());
      throw e;
    }
    int reported = engine.watch(space);
    LOG.infof(
        "watched space: %d prefixes, %d origin ASes; %d announced prefixes entered it",
        space.prefixCount(), space.asnCount(), reported);
    save(req, space);
    return SetWatchedSpaceResponse.newBuilder()
        .setReported(reported)
        .setPrefixes(space.prefixCount())
        .setAsns(space.asnCount())
        .build();
  }

  /**
   * Keeps the space in PostgreSQL, so a restarted state has it from its first batch. A failure is
   * logged and counted, never refused: the engine has the space, and the alert service sets it
   * again whenever it reconnects.
   */
  private void save(SetWatchedSpaceRequest req, WatchedSpace space) {
    try {
      byte[] bytes = req.toByteArray();
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                WatchedSpaceEntity row = WatchedSpaceEntity.findById(WatchedSpaceEntity.ID);
                if (row == null) {
                  row = new WatchedSpaceEntity();
                  row.id = WatchedSpaceEntity.ID;
                }
                row.request = bytes;
                row.prefixes = space.prefixCount();
                row.asns = space.asnCount();
                row.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
                row.persist();
              });
    } catch (RuntimeException e) {
      registry.counter("routewatch_state_watched_space_save_failures_total").increment();
      LOG.warnf(
          "watched space applied but not saved (%s): a state restarted before the alert service"
              + " sets it again starts without it",
          e.toString());
    }
  }

  /**
   * Writer thread, before the snapshot loads and the first batch: the space saved last, so changes
   * derived after a restart are judged against it at once, not only once the alert service has
   * reconnected. Never throws: what cannot be read is logged and counted, and state starts with no
   * watched space (as before it was saved).
   *
   * @return whether a saved space was applied
   */
  public boolean restoreSaved() {
    try {
      WatchedSpaceEntity row =
          QuarkusTransaction.requiringNew()
              .call(() -> WatchedSpaceEntity.<WatchedSpaceEntity>findById(WatchedSpaceEntity.ID));
      if (row == null) {
        LOG.info("no saved watched space: none until the alert service sets one");
        return false;
      }
      WatchedSpace space = parse(SetWatchedSpaceRequest.parseFrom(row.request));
      engine.watch(space);
      LOG.infof(
          "watched space saved at %s restored: %d prefixes, %d origin ASes",
          row.updatedAt, space.prefixCount(), space.asnCount());
      return true;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      registry.counter("routewatch_state_watched_space_restore_failures_total").increment();
      LOG.warnf(
          "saved watched space not restored (%s): none until the alert service sets one",
          e.toString());
      return false;
    }
  }

  /** The request as a space; IllegalArgumentException naming the first bad entry. */
  static WatchedSpace parse(SetWatchedSpaceRequest req) {
    if (req.getPrefixesCount() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "prefixes: " + req.getPrefixesCount() + " given, at most " + MAX_ENTRIES);
    }
    if (req.getAsnsCount() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "asns: " + req.getAsnsCount() + " given, at most " + MAX_ENTRIES);
    }
    List<Prefix> prefixes = new ArrayList<>(req.getPrefixesCount());
    for (int i = 0; i < req.getPrefixesCount(); i++) {
      prefixes.add(prefix(i, req.getPrefixes(i)));
    }
    int[] asns = new int[req.getAsnsCount()];
    for (int i = 0; i < asns.length; i++) {
      asns[i] = req.getAsns(i);
    }
    return WatchedSpace.of(prefixes, asns);
  }

  private static Prefix prefix(int i, io.routewatch.proto.v1.Prefix p) {
    int bytes;
    if (p.getAfi() == Afi.IPV4) {
      bytes = 4;
    } else if (p.getAfi() == Afi.IPV6) {
      bytes = 16;
    } else {
      throw new IllegalArgumentException("prefixes[" + i + "]: address family " + p.getAfi());
    }
    byte[] given = p.getAddress().toByteArray();
    if (given.length > bytes || p.getLength() > bytes * 8) {
      throw new IllegalArgumentException(
          "prefixes["
              + i
              + "]: "
              + given.length
              + " address bytes, length "
              + p.getLength()
              + " (at most "
              + bytes
              + " bytes, /"
              + bytes * 8
              + ")");
    }
    byte[] a = new byte[bytes];
    System.arraycopy(given, 0, a, 0, given.length);
    return Prefix.of(a, p.getLength());
  }
}
