package io.routewatch.bgp.pcap;

/**
 * One captured frame as stored in a pcap or pcapng file.
 *
 * @param frameNumber 1-based position in the file (the number Wireshark shows)
 * @param timestampNanos capture time, nanoseconds since the Unix epoch
 * @param linkType the LINKTYPE_* value of the interface the frame was captured on ({@link
 *     LinkType})
 * @param data captured bytes (may be shorter than {@code originalLength} when the snap length cut
 *     it)
 * @param originalLength length of the frame on the wire
 */
public record CaptureFrame(
    long frameNumber, long timestampNanos, int linkType, byte[] data, int originalLength) {

  /** True when the capture kept fewer bytes than were on the wire. */
  public boolean truncated() {
    return data.length < originalLength;
  }
}
