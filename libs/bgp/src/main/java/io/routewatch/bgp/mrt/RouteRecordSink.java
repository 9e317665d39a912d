package io.routewatch.bgp.mrt;

/**
 * Receives the route records of an MRT stream as they are decoded, without intermediate lists: a
 * TABLE_DUMP_V2 record with 50 entries makes 50 {@link #route} calls and nothing else. Records are
 * immutable and may be kept.
 */
@FunctionalInterface
public interface RouteRecordSink {
  void route(RouteRecord record);

  /** A PEER_INDEX_TABLE was read; the RIB entries that follow refer to its peers. */
  default void peerIndex(PeerIndexTable table) {}
}
