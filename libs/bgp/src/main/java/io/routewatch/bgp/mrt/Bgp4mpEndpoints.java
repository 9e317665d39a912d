package io.routewatch.bgp.mrt;

/**
 * The two ends of a BGP session as a BGP4MP record names them (RFC 6396 §4.4): the peer's and the
 * local AS and address, and the interface index. Validated once, so that {@link MrtWriter} can
 * write every record of the session without checking again.
 *
 * @param peerAsn peer AS, unsigned 32-bit
 * @param localAsn local (collector) AS, unsigned 32-bit
 * @param ifIndex interface index, 0..65535 (0 when unknown)
 * @param peerAddress 4 (IPv4) or 16 (IPv6) bytes
 * @param localAddress as many bytes as {@code peerAddress} (the record's AFI covers both)
 */
public record Bgp4mpEndpoints(
    long peerAsn, long localAsn, int ifIndex, byte[] peerAddress, byte[] localAddress) {
  public Bgp4mpEndpoints {
    if (peerAsn < 0 || peerAsn > 0xffffffffL || localAsn < 0 || localAsn > 0xffffffffL) {
      throw new IllegalArgumentException(
          "AS numbers must be unsigned 32-bit: peer " + peerAsn + ", local " + localAsn);
    }
    if (ifIndex < 0 || ifIndex > 0xffff) {
      throw new IllegalArgumentException("interface index must be 0..65535: " + ifIndex);
    }
    if (peerAddress.length != 4 && peerAddress.length != 16) {
      throw new IllegalArgumentException(
          "peer address must be 4 or 16 bytes: " + peerAddress.length);
    }
    if (localAddress.length != peerAddress.length) {
      throw new IllegalArgumentException(
          "local address must have the peer address's family ("
              + peerAddress.length
              + " bytes): "
              + localAddress.length);
    }
    peerAddress = peerAddress.clone();
    localAddress = localAddress.clone();
  }

  /**
   * The BGP4MP session fields: peer AS, local AS (4 bytes each for the *_AS4 subtypes, else 2, an
   * AS above 65535 written as AS_TRANS 23456 as RFC 6793 has a 2-byte speaker see it), interface,
   * AFI, peer and local address.
   */
  void write(io.routewatch.bgp.wire.ByteWriter w, boolean as4) {
    if (as4) {
      w.u32((int) peerAsn).u32((int) localAsn);
    } else {
      w.u16(as2(peerAsn)).u16(as2(localAsn));
    }
    w.u16(ifIndex).u16(afi());
    w.bytes(peerAddress).bytes(localAddress);
  }

  private static int as2(long asn) {
    return asn > 0xffff ? 23456 : (int) asn;
  }

  /** AFI of the record: 1 (IPv4) or 2 (IPv6). */
  public int afi() {
    return peerAddress.length == 4 ? 1 : 2;
  }

  @Override
  public byte[] peerAddress() {
    return peerAddress.clone();
  }

  @Override
  public byte[] localAddress() {
    return localAddress.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bgp4mpEndpoints e
        && peerAsn == e.peerAsn
        && localAsn == e.localAsn
        && ifIndex == e.ifIndex
        && java.util.Arrays.equals(peerAddress, e.peerAddress)
        && java.util.Arrays.equals(localAddress, e.localAddress);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        peerAsn,
        localAsn,
        ifIndex,
        java.util.Arrays.hashCode(peerAddress),
        java.util.Arrays.hashCode(localAddress));
  }

  @Override
  public String toString() {
    return "peer AS"
        + peerAsn
        + " "
        + io.routewatch.bgp.nlri.IpText.format(peerAddress)
        + ", local AS"
        + localAsn
        + " "
        + io.routewatch.bgp.nlri.IpText.format(localAddress);
  }
}
