package io.routewatch.collector.publish;

import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.bgp.nlri.Prefix;
import io.routewatch.proto.v1.AsPath;
import io.routewatch.proto.v1.Attributes;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.VantagePoint;

/**
 * One event of a live feed on its way to a {@link LiveStream}: the codec values as decoded, turned
 * into protos (interned per batch) only on the batching thread. Attributes come either as codec
 * {@link PathAttributes} (BGP, BMP) or, for feeds that only have JSON (RIS Live), as a proto {@link
 * Attributes} whose AS path is {@code protoPath}. {@code receivedNanos} is {@link System#nanoTime}
 * when the source made the event (it had just decoded it): where the collector's stage timings
 * ({@code routewatch_collector_stage_seconds}) start.
 */
public record LiveEvent(
    EventKind kind,
    VantagePoint vp,
    long timestampMicros,
    Prefix prefix,
    int pathId,
    PathAttributes attributes,
    AsPath protoPath,
    Attributes protoAttributes,
    int afi,
    long receivedNanos) {

  public static LiveEvent announce(VantagePoint vp, long ts, Nlri n, PathAttributes a) {
    return new LiveEvent(
        EventKind.ANNOUNCE, vp, ts, n.prefix(), pathId(n), a, null, null, 0, System.nanoTime());
  }

  public static LiveEvent announce(VantagePoint vp, long ts, Prefix p, AsPath path, Attributes a) {
    return new LiveEvent(EventKind.ANNOUNCE, vp, ts, p, 0, null, path, a, 0, System.nanoTime());
  }

  public static LiveEvent withdraw(VantagePoint vp, long ts, Nlri n) {
    return new LiveEvent(
        EventKind.WITHDRAW, vp, ts, n.prefix(), pathId(n), null, null, null, 0, System.nanoTime());
  }

  public static LiveEvent withdraw(VantagePoint vp, long ts, Prefix p) {
    return new LiveEvent(EventKind.WITHDRAW, vp, ts, p, 0, null, null, null, 0, System.nanoTime());
  }

  /** PEER_UP, PEER_DOWN, RIB_DUMP_BEGIN, RIB_DUMP_END. */
  public static LiveEvent of(EventKind kind, VantagePoint vp, long ts) {
    return new LiveEvent(kind, vp, ts, null, 0, null, null, null, 0, System.nanoTime());
  }

  /** RFC 4724 End-of-RIB for an AFI (1 IPv4, 2 IPv6). */
  public static LiveEvent endOfRib(VantagePoint vp, long ts, int afi) {
    return new LiveEvent(
        EventKind.END_OF_RIB, vp, ts, null, 0, null, null, null, afi, System.nanoTime());
  }

  private static int pathId(Nlri n) {
    return n.hasPathId() ? (int) n.pathId() : 0;
  }

  /** Wall clock in µs, the timestamp of live events. */
  public static long nowMicros() {
    return System.currentTimeMillis() * 1000L;
  }
}
