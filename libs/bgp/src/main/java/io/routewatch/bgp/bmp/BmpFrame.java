package io.routewatch.bgp.bmp;

/**
 * One complete BMP message cut out of a TCP stream by {@link BmpFramer}.
 *
 * @param messageNumber 1-based position in the session
 * @param streamOffset offset of its first byte in the TCP stream
 * @param bytes exactly the message (common header included); owned by the frame, never reused
 */
public record BmpFrame(long messageNumber, long streamOffset, byte[] bytes) {

  /** The message type code from the common header. */
  public int typeCode() {
    return bytes[5] & 0xff;
  }

  /** Decodes the message; errors carry this frame's number and stream offset. */
  public BmpMessage decode() {
    try {
      return BmpMessageDecoder.decode(bytes, 0, bytes.length);
    } catch (BmpException e) {
      throw new BmpException(e.error().at(messageNumber, streamOffset));
    }
  }
}
