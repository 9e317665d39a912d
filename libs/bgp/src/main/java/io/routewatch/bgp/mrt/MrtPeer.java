package io.routewatch.bgp.mrt;

import io.routewatch.bgp.nlri.IpText;
import java.util.Arrays;

/**
 * The vantage point of a route record: the BGP peer the route was learned from (address, AS, BGP
 * identifier when the MRT record names it) and, for BGP4MP / type-5 records, the local side of the
 * session (the collector). Immutable; decoders hand out one shared instance per peer (all entries
 * of a TABLE_DUMP_V2 file that name peer index i get the same object), so identity comparison is a
 * cheap first check for consumers that cache per peer.
 *
 * <p>Where each field comes from (RFC 6396): TABLE_DUMP_V2 PEER_INDEX_TABLE (§4.3.1) gives address,
 * AS and BGP id, no local side; BGP4MP (§4.4) gives peer and local AS + address, no BGP id;
 * TABLE_DUMP (§4.2) gives peer address and AS only; type 5 (appendix B.2.2) gives peer and local AS
 * + IPv4 address.
 */
public final class MrtPeer {
  /** {@link #bgpId()} / {@link #localAsn()} when the record does not carry it. */
  public static final long UNKNOWN = -1;

  private static final byte[] NONE = new byte[0];

  private final byte[] address;
  private final long asn;
  private final long bgpId;
  private final byte[] localAddress;
  private final long localAsn;

  /**
   * @param address 4 or 16 bytes (copied)
   * @param asn unsigned 32-bit AS number
   * @param bgpId unsigned 32-bit BGP identifier, or {@link #UNKNOWN}
   * @param localAddress 4 or 16 bytes, or null when unknown (copied)
   * @param localAsn local AS, or {@link #UNKNOWN}
   */
  public MrtPeer(byte[] address, long asn, long bgpId, byte[] localAddress, long localAsn) {
    this.address = address.clone();
    this.asn = asn;
    this.bgpId = bgpId;
    this.localAddress = localAddress == null ? NONE : localAddress.clone();
    this.localAsn = localAsn;
  }

  /** Peer address, 4 (IPv4) or 16 (IPv6) bytes; a copy. */
  public byte[] address() {
    return address.clone();
  }

  public int addressLength() {
    return address.length;
  }

  /** Copies the peer address into dst at off without allocating. */
  public void copyAddress(byte[] dst, int off) {
    System.arraycopy(address, 0, dst, off, address.length);
  }

  /** Peer AS as an unsigned 32-bit value. */
  public long asn() {
    return asn;
  }

  /** Peer BGP identifier (unsigned 32-bit) or {@link #UNKNOWN}: only TABLE_DUMP_V2 names it. */
  public long bgpId() {
    return bgpId;
  }

  public boolean hasBgpId() {
    return bgpId != UNKNOWN;
  }

  /** Local (collector-side) address, empty when the record does not carry one; a copy. */
  public byte[] localAddress() {
    return localAddress.clone();
  }

  /** Local AS or {@link #UNKNOWN}. */
  public long localAsn() {
    return localAsn;
  }

  /** RFC 5952 text of the peer address (for logs; bgpdump's spelling lives in {@code text/}). */
  public String addressText() {
    return IpText.format(address);
  }

  /** True when this peer has exactly these fields (lets decoders reuse the previous instance). */
  boolean sameAs(
      byte[] body, int addrOff, int addrLen, long asn, byte[] local, int localOff, long localAsn) {
    if (this.asn != asn || this.localAsn != localAsn || address.length != addrLen) return false;
    if (!Arrays.equals(address, 0, addrLen, body, addrOff, addrOff + addrLen)) return false;
    if (local == null) return localAddress.length == 0;
    return localAddress.length == addrLen
        && Arrays.equals(localAddress, 0, addrLen, local, localOff, localOff + addrLen);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MrtPeer p
        && p.asn == asn
        && p.bgpId == bgpId
        && p.localAsn == localAsn
        && Arrays.equals(p.address, address)
        && Arrays.equals(p.localAddress, localAddress);
  }

  @Override
  public int hashCode() {
    return (Arrays.hashCode(address) * 31 + Long.hashCode(asn)) * 31 + Long.hashCode(bgpId);
  }

  @Override
  public String toString() {
    return "AS"
        + asn
        + " "
        + addressText()
        + (hasBgpId() ? " id " + IpText.format(ipv4(bgpId)) : "")
        + (localAsn != UNKNOWN
            ? " local AS"
                + localAsn
                + (localAddress.length > 0 ? " " + IpText.format(localAddress) : "")
            : "");
  }

  static byte[] ipv4(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
