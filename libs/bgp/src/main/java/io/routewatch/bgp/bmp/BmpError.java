package io.routewatch.bgp.bmp;

import java.util.HexFormat;

/**
 * A BMP decoding or framing problem as a value: what went wrong, where (message number in the
 * session and byte offset), the raw bytes involved and what was done about it.
 *
 * @param what human-readable description citing the rule broken
 * @param messageNumber 1-based number of the BMP message in its session (0 if unknown)
 * @param streamOffset offset of the message's first byte in the TCP stream (-1 if unknown)
 * @param offsetInMessage offset of the offending byte inside the message
 * @param raw the bytes involved (the whole message when it is known, capped at {@link #RAW_CAP})
 * @param action what the decoder or framer did
 */
public record BmpError(
    String what,
    long messageNumber,
    long streamOffset,
    int offsetInMessage,
    byte[] raw,
    Action action) {

  /** At most this many raw bytes are kept in an error. */
  public static final int RAW_CAP = 4096;

  /** What was done about an error. */
  public enum Action {
    /**
     * The message was framed correctly but its body is bad: it was skipped, the session goes on.
     */
    SKIP_MESSAGE,
    /** The stream lost framing; bytes were skipped until a plausible common header. */
    RESYNC,
    /** The stream cannot be framed any more: the connection should be closed (RFC 7854 §3.3). */
    CLOSE_SESSION
  }

  static byte[] cap(byte[] b, int off, int len) {
    int n = Math.max(0, Math.min(len, Math.min(RAW_CAP, b.length - off)));
    byte[] r = new byte[n];
    System.arraycopy(b, Math.max(0, off), r, 0, n);
    return r;
  }

  /** The same error placed in a session: message number and stream offset filled in. */
  public BmpError at(long messageNumber, long streamOffset) {
    return new BmpError(what, messageNumber, streamOffset, offsetInMessage, raw, action);
  }

  @Override
  public String toString() {
    String hex = HexFormat.of().formatHex(raw, 0, Math.min(raw.length, 64));
    return what
        + " [message "
        + messageNumber
        + ", stream offset "
        + streamOffset
        + ", byte "
        + offsetInMessage
        + " of message, "
        + action
        + "] "
        + hex
        + (raw.length > 64 ? "…" : "");
  }
}
