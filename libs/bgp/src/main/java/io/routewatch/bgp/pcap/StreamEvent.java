package io.routewatch.bgp.pcap;

/**
 * What TCP reassembly tells a consumer about one direction of one connection, in capture order.
 *
 * @param kind {@link Kind#DATA} (next in-order bytes), {@link Kind#GAP} (bytes never captured:
 *     resynchronise), {@link Kind#END} (FIN or RST reached, or end of capture)
 * @param flow direction the bytes travel in
 * @param streamId id of this direction of this connection, unique within one reassembler (a new SYN
 *     on the same four-tuple opens a new id)
 * @param streamOffset offset in the stream of the first byte of {@code data} (DATA), of the first
 *     missing byte (GAP), or the final length (END)
 * @param data payload bytes for DATA; empty otherwise
 * @param gapBytes number of missing bytes for GAP; 0 otherwise
 * @param frameNumber capture frame that completed this event (0 for END at end of capture)
 * @param timestampNanos capture time of that frame, nanoseconds since the epoch
 */
public record StreamEvent(
    Kind kind,
    FlowKey flow,
    long streamId,
    long streamOffset,
    byte[] data,
    long gapBytes,
    long frameNumber,
    long timestampNanos) {

  /** Event kinds. */
  public enum Kind {
    DATA,
    GAP,
    END
  }

  private static final byte[] EMPTY = new byte[0];

  static StreamEvent data(FlowKey f, long id, long off, byte[] d, long frame, long ts) {
    return new StreamEvent(Kind.DATA, f, id, off, d, 0, frame, ts);
  }

  static StreamEvent gap(FlowKey f, long id, long off, long missing, long frame, long ts) {
    return new StreamEvent(Kind.GAP, f, id, off, EMPTY, missing, frame, ts);
  }

  static StreamEvent end(FlowKey f, long id, long off, long frame, long ts) {
    return new StreamEvent(Kind.END, f, id, off, EMPTY, 0, frame, ts);
  }
}
