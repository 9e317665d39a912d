package io.routewatch.bgp.pcap;

/**
 * A TCP segment taken out of a captured frame.
 *
 * @param flow the direction it travels in
 * @param seq sequence number (unsigned 32 bits)
 * @param flags TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10)
 * @param payload TCP payload, bounded by the IP length (no Ethernet padding or FCS)
 * @param frameNumber capture frame it came from
 * @param timestampNanos capture time of that frame
 */
public record TcpSegment(
    FlowKey flow, long seq, int flags, byte[] payload, long frameNumber, long timestampNanos) {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;

  public boolean syn() {
    return (flags & SYN) != 0;
  }

  public boolean fin() {
    return (flags & FIN) != 0;
  }

  public boolean rst() {
    return (flags & RST) != 0;
  }
}
