package io.routewatch.bgp.bmp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * BMP per-peer header, RFC 7854 §4.2 (42 bytes), with the flags of RFC 8671 (O) and RFC 9069 (peer
 * type 3, F).
 *
 * @param peerType 0 global instance, 1 RD instance, 2 local instance, 3 Loc-RIB instance (RFC 9069
 *     §4.1); other values are kept as received
 * @param flags the raw flag octet
 * @param distinguisher peer distinguisher (route distinguisher for type 1; 0 for type 0)
 * @param address peer address (IPv4 from the last 4 bytes when V is clear; for Loc-RIB all zero)
 * @param asn peer AS number
 * @param bgpId peer BGP identifier (unsigned 32 bits)
 * @param timestampSeconds seconds since the epoch when the information was observed (0 if unknown)
 * @param timestampMicros microseconds part of that time
 */
public record PerPeerHeader(
    int peerType,
    int flags,
    long distinguisher,
    InetAddress address,
    long asn,
    long bgpId,
    long timestampSeconds,
    long timestampMicros) {

  /** Size on the wire. */
  public static final int LENGTH = 42;

  public static final int TYPE_GLOBAL = 0;
  public static final int TYPE_RD_INSTANCE = 1;
  public static final int TYPE_LOCAL_INSTANCE = 2;
  public static final int TYPE_LOC_RIB = 3;

  /** V: peer address is IPv6 (RFC 7854 §4.2). */
  public static final int FLAG_V = 0x80;

  /** L: post-policy Adj-RIB (RFC 7854 §4.2). */
  public static final int FLAG_L = 0x40;

  /** A: legacy 2-byte AS_PATH format (RFC 7854 §4.2). */
  public static final int FLAG_A = 0x20;

  /** O: Adj-RIB-Out (RFC 8671 §4). */
  public static final int FLAG_O = 0x10;

  /** F: Loc-RIB filtered, only for peer type 3 (RFC 9069 §4.2). */
  public static final int FLAG_F = 0x80;

  static PerPeerHeader read(BmpCursor c) {
    int type = c.u8("per-peer header peer type");
    int flags = c.u8("per-peer header flags");
    long rd = c.u64("per-peer header peer distinguisher");
    byte[] addr = c.bytes(16, "per-peer header peer address");
    long asn = c.u32("per-peer header peer AS");
    long id = c.u32("per-peer header peer BGP ID");
    long sec = c.u32("per-peer header timestamp seconds");
    long usec = c.u32("per-peer header timestamp microseconds");
    // RFC 7854 §4.2: an IPv4 peer address sits in the last 4 bytes when V is 0. For Loc-RIB
    // (RFC 9069 §5.1) bit 0 means F, not V, and the address is zero-filled.
    boolean v6 = type != TYPE_LOC_RIB && (flags & FLAG_V) != 0;
    InetAddress a;
    try {
      a =
          v6
              ? InetAddress.getByAddress(addr)
              : InetAddress.getByAddress(java.util.Arrays.copyOfRange(addr, 12, 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return new PerPeerHeader(type, flags, rd, a, asn, id, sec, usec);
  }

  /** V flag: IPv6 peer address (not defined for Loc-RIB). */
  public boolean ipv6() {
    return peerType != TYPE_LOC_RIB && (flags & FLAG_V) != 0;
  }

  /** L flag: post-policy (not defined for Loc-RIB). */
  public boolean postPolicy() {
    return peerType != TYPE_LOC_RIB && (flags & FLAG_L) != 0;
  }

  /** A flag: the AS_PATH in carried UPDATEs uses 2-byte ASNs (not defined for Loc-RIB). */
  public boolean legacyAsPath() {
    return peerType != TYPE_LOC_RIB && (flags & FLAG_A) != 0;
  }

  /** O flag: Adj-RIB-Out rather than Adj-RIB-In (RFC 8671; not defined for Loc-RIB). */
  public boolean adjRibOut() {
    return peerType != TYPE_LOC_RIB && (flags & FLAG_O) != 0;
  }

  /** F flag: the Loc-RIB is filtered (RFC 9069 §4.2; only for peer type 3). */
  public boolean locRibFiltered() {
    return peerType == TYPE_LOC_RIB && (flags & FLAG_F) != 0;
  }

  /** Whether this is a Loc-RIB instance peer (RFC 9069). */
  public boolean locRib() {
    return peerType == TYPE_LOC_RIB;
  }

  /** The key a BMP station tracks this peer by (RFC 7854 §4.2). */
  public PeerKey key() {
    return new PeerKey(peerType, distinguisher, address, asn);
  }

  /** Timestamp in microseconds since the epoch. */
  public long timestampEpochMicros() {
    return timestampSeconds * 1_000_000L + timestampMicros;
  }
}
