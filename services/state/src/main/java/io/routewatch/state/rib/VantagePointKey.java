package io.routewatch.state.rib;

import io.routewatch.state.route.Prefix;
import java.util.Arrays;

/**
 * Identity of a vantage point (DOMAIN §2): collector + peer address + peer ASN. The peer BGP
 * identifier is carried along but is not part of equality (it is unknown for some sources).
 */
public record VantagePointKey(String collector, byte[] peerAddress, long peerAsn, int peerBgpId) {
  @Override
  public boolean equals(Object o) {
    return o instanceof VantagePointKey k
        && k.peerAsn == peerAsn
        && k.collector.equals(collector)
        && Arrays.equals(k.peerAddress, peerAddress);
  }

  @Override
  public int hashCode() {
    return (collector.hashCode() * 31 + Arrays.hashCode(peerAddress)) * 31 + Long.hashCode(peerAsn);
  }

  @Override
  public String toString() {
    return collector + "/" + Prefix.formatAddress(peerAddress) + "/AS" + peerAsn;
  }
}
