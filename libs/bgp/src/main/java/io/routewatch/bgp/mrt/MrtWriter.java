package io.routewatch.bgp.mrt;

import io.routewatch.bgp.wire.ByteWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the MRT records a BGP collector journals (RFC 6396 §4.4, RFC 8050 §3), as RouteViews and
 * RIS write theirs: {@code BGP4MP_ET} (microsecond timestamps) {@code MESSAGE_AS4} for each BGP
 * message as received on a session that negotiated 4-byte AS numbers, {@code MESSAGE} on one that
 * did not (its AS_PATH is 2-byte, and the subtype is how readers know: RFC 6396 §4.4.3), the {@code
 * _ADDPATH} variants when the session negotiated add-path for receiving (RFC 8050 §3), and {@code
 * STATE_CHANGE_AS4} for each FSM transition. The BGP message is kept byte for byte.
 *
 * <p>Not thread-safe: one writer per output. Each record is written to the stream with one {@code
 * write} call; buffering and durability (fsync) are the caller's. Sizes are checked before anything
 * is written, so a refused record leaves the stream as it was.
 */
public final class MrtWriter {
  /** Largest BGP message (RFC 8654 extended messages); the classic limit is 4096. */
  public static final int MAX_MESSAGE = 65535;

  /** Smallest BGP message: the 19-byte header (a KEEPALIVE). */
  public static final int MIN_MESSAGE = 19;

  private final OutputStream out;
  private final ByteWriter record = new ByteWriter(4096 + 64);
  private long records;
  private long bytes;

  public MrtWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * One BGP message as received from (or sent to) the peer of {@code session}.
   *
   * @param timeMicros microseconds since the epoch (the record's second and microsecond fields)
   * @param as4 the session negotiated 4-byte AS numbers (RFC 6793): the message's AS_PATH is 4-byte
   * @param addPath the message's NLRI carry path identifiers (RFC 7911 negotiated for receive)
   * @param message the whole BGP message, marker and header included
   */
  public void message(
      long timeMicros,
      Bgp4mpEndpoints session,
      boolean as4,
      boolean addPath,
      byte[] message,
      int offset,
      int length)
      throws IOException {
    if (length < MIN_MESSAGE || length > MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "BGP message of "
              + length
              + " bytes from "
              + session
              + ": must be "
              + MIN_MESSAGE
              + ".."
              + MAX_MESSAGE);
    }
    if (offset < 0 || offset + length > message.length) {
      throw new IndexOutOfBoundsException(
          "message bytes " + offset + "+" + length + " of " + message.length);
    }
    int subtype =
        as4
            ? (addPath ? MrtType.MESSAGE_AS4_ADDPATH : MrtType.MESSAGE_AS4)
            : (addPath ? MrtType.MESSAGE_ADDPATH : MrtType.MESSAGE);
    header(timeMicros, subtype, as4, session);
    record.bytes(message, offset, length);
    finish();
  }

  /**
   * A transition of the session's FSM (RFC 6396 §4.4.1 codes: 1 Idle, 2 Connect, 3 Active, 4
   * OpenSent, 5 OpenConfirm, 6 Established).
   */
  public void stateChange(long timeMicros, Bgp4mpEndpoints session, int oldState, int newState)
      throws IOException {
    if (oldState < 1 || oldState > 6 || newState < 1 || newState > 6) {
      throw new IllegalArgumentException(
          "BGP FSM states are 1..6: " + oldState + " -> " + newState + " for " + session);
    }
    header(timeMicros, MrtType.STATE_CHANGE_AS4, true, session);
    record.u16(oldState).u16(newState);
    finish();
  }

  /** Records written. */
  public long records() {
    return records;
  }

  /** Bytes written (MRT headers included). */
  public long bytes() {
    return bytes;
  }

  /** MRT common header + microseconds + the BGP4MP session fields; length patched later. */
  private void header(long timeMicros, int subtype, boolean as4, Bgp4mpEndpoints s) {
    if (timeMicros < 0 || timeMicros / 1_000_000 > 0xffffffffL) {
      throw new IllegalArgumentException("time outside MRT's 32-bit seconds: " + timeMicros);
    }
    record.reset();
    record.u32((int) (timeMicros / 1_000_000));
    record.u16(MrtType.BGP4MP_ET);
    record.u16(subtype);
    record.u32(0); // length: patched in finish()
    record.u32((int) (timeMicros % 1_000_000));
    s.write(record, as4);
  }

  private void finish() throws IOException {
    // RFC 6396 §3: the length excludes the 12-byte common header; for _ET it includes the
    // microsecond field
    record.patchU32(8, record.size() - 12);
    record.writeTo(out);
    records++;
    bytes += record.size();
  }
}
