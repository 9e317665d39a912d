package io.routewatch.bgp.error;

import java.util.Arrays;

/**
 * The one documented exception of the codec: a located decode error. It says what was wrong, where
 * (record number and byte offset in the decompressed stream, -1 when unknown), carries up to 64 raw
 * bytes around the problem and the RFC 7606 action a BGP speaker would take. Unchecked so the hot
 * path does not pay for declarations; {@link io.routewatch.bgp.mrt.MrtReader} in lenient mode turns
 * it into a {@link DecodeProblem} value instead of throwing.
 */
public final class DecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_RAW = 64;

  private final String what;
  private final long recordNumber;
  private final long byteOffset;
  private final transient byte[] raw;
  private final Rfc7606Action action;

  public DecodeException(
      String what, long recordNumber, long byteOffset, byte[] raw, Rfc7606Action action) {
    super(null, null, false, false); // no stack trace: errors are data here, and must be cheap
    this.what = what;
    this.recordNumber = recordNumber;
    this.byteOffset = byteOffset;
    this.raw = raw == null ? new byte[0] : Arrays.copyOf(raw, Math.min(raw.length, MAX_RAW));
    this.action = action;
  }

  /** An error found inside a buffer, before the caller knows which record it belongs to. */
  public static DecodeException at(String what, byte[] buf, int offset, Rfc7606Action action) {
    int from = Math.max(0, Math.min(offset, buf.length));
    int to = Math.min(buf.length, from + 16);
    return new DecodeException(what, -1, offset, Arrays.copyOfRange(buf, from, to), action);
  }

  /** The same error, located in a stream: record number and absolute offset of the record start. */
  public DecodeException locate(long record, long recordStartOffset) {
    long off = byteOffset < 0 ? recordStartOffset : recordStartOffset + byteOffset;
    return new DecodeException(what, record, off, raw, action);
  }

  public String what() {
    return what;
  }

  public long recordNumber() {
    return recordNumber;
  }

  public long byteOffset() {
    return byteOffset;
  }

  public byte[] raw() {
    return raw.clone();
  }

  public Rfc7606Action action() {
    return action;
  }

  @Override
  public String getMessage() {
    StringBuilder sb = new StringBuilder(what);
    if (recordNumber >= 0) sb.append(" (record ").append(recordNumber);
    else sb.append(" (");
    sb.append(recordNumber >= 0 ? ", " : "").append("offset ").append(byteOffset).append(')');
    if (action != Rfc7606Action.NONE) sb.append(" action=").append(action);
    if (raw.length > 0) sb.append(" bytes=").append(Hex.of(raw));
    return sb.toString();
  }
}
