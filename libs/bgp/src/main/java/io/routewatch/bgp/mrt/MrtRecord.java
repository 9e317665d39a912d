package io.routewatch.bgp.mrt;

/**
 * One framed MRT record (RFC 6396 §2): the common header and the body bytes (for BGP4MP_ET the
 * microsecond field is already taken off the body, RFC 6396 §3). The body array is owned by the
 * record and never changed after construction.
 */
public final class MrtRecord {
  private final long recordNumber;
  private final long offset;
  private final long timestamp;
  private final int microseconds;
  private final int type;
  private final int subtype;
  private final byte[] body;

  public MrtRecord(
      long recordNumber,
      long offset,
      long timestamp,
      int microseconds,
      int type,
      int subtype,
      byte[] body) {
    this.recordNumber = recordNumber;
    this.offset = offset;
    this.timestamp = timestamp;
    this.microseconds = microseconds;
    this.type = type;
    this.subtype = subtype;
    this.body = body;
  }

  /** 1-based position in the stream. */
  public long recordNumber() {
    return recordNumber;
  }

  /** Offset of the record header in the decompressed stream. */
  public long offset() {
    return offset;
  }

  /** Seconds since the epoch (unsigned 32-bit in the header). */
  public long timestamp() {
    return timestamp;
  }

  /** BGP4MP_ET microseconds, else 0. */
  public int microseconds() {
    return microseconds;
  }

  public int type() {
    return type;
  }

  public int subtype() {
    return subtype;
  }

  public int length() {
    return body.length;
  }

  /** The body itself (not a copy: callers must not modify it). */
  public byte[] body() {
    return body;
  }

  /** Byte offset of the body in the decompressed stream. */
  public long bodyOffset() {
    return offset + (type == MrtType.BGP4MP_ET ? 16 : 12);
  }

  @Override
  public String toString() {
    return "MrtRecord#"
        + recordNumber
        + "@"
        + offset
        + " "
        + MrtType.name(type, subtype)
        + " t="
        + timestamp
        + " len="
        + body.length;
  }
}
