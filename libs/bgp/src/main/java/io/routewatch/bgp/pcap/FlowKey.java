package io.routewatch.bgp.pcap;

import java.net.InetAddress;

/**
 * One direction of a TCP connection: bytes sent from (srcAddress, srcPort) to (dstAddress,
 * dstPort).
 */
public record FlowKey(InetAddress srcAddress, int srcPort, InetAddress dstAddress, int dstPort) {

  /** The opposite direction of the same connection. */
  public FlowKey reverse() {
    return new FlowKey(dstAddress, dstPort, srcAddress, srcPort);
  }

  @Override
  public String toString() {
    return srcAddress.getHostAddress()
        + ":"
        + srcPort
        + " > "
        + dstAddress.getHostAddress()
        + ":"
        + dstPort;
  }
}
