package io.routewatch.bgp.mrt;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.wire.ByteReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 §4.3.1): the collector's BGP id, the optional view name
 * and the peers that RIB entries refer to by index. {@link MrtRouteReader} hands it to {@link
 * RouteRecordSink#peerIndex} when it meets one and keeps the latest in {@link
 * MrtRouteReader#peerIndex()}; RIB_ENTRY records carry the {@link MrtPeer} objects listed here.
 *
 * @param collectorBgpId unsigned 32-bit BGP identifier of the collector
 * @param viewName view name (UTF-8 per the RFC; empty when absent)
 * @param peers peers in index order
 * @param timestamp MRT header time of the table
 * @param recordNumber MRT record number it came from
 * @param offset byte offset of that record in the decompressed stream
 */
public record PeerIndexTable(
    long collectorBgpId,
    String viewName,
    List<MrtPeer> peers,
    long timestamp,
    long recordNumber,
    long offset) {

  /** The peer with this index, or null when the index is out of range. */
  public MrtPeer peer(int index) {
    return index >= 0 && index < peers.size() ? peers.get(index) : null;
  }

  public static PeerIndexTable decode(MrtRecord r) {
    ByteReader b = new ByteReader(r.body());
    long collector = b.u32L();
    int nameLen = b.u16();
    String view = new String(b.bytes(nameLen), StandardCharsets.UTF_8);
    int n = b.u16();
    // Each entry is at least 1 + 4 + 4 + 2 bytes: reject counts the record cannot hold.
    if (n * 11L > b.remaining()) {
      throw DecodeException.at(
          "PEER_INDEX_TABLE declares "
              + n
              + " peers in "
              + b.remaining()
              + " bytes (RFC 6396 §4.3.1)",
          r.body(),
          b.position() - 2,
          Rfc7606Action.NONE);
    }
    MrtPeer[] peers = new MrtPeer[n];
    for (int i = 0; i < n; i++) {
      int type = b.u8();
      long id = b.u32L();
      byte[] ip = b.bytes((type & 1) != 0 ? 16 : 4); // peer type bit 0: IPv6 address
      long as = (type & 2) != 0 ? b.u32L() : b.u16(); // bit 1: 4-byte AS
      peers[i] = new MrtPeer(ip, as, id, null, MrtPeer.UNKNOWN);
    }
    return new PeerIndexTable(
        collector, view, List.of(peers), r.timestamp(), r.recordNumber(), r.offset());
  }
}
