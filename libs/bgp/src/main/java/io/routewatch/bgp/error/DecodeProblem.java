package io.routewatch.bgp.error;

/**
 * A problem met while reading a stream in lenient mode: which file, which record (1-based, -1 when
 * the damage is in the framing itself), the byte offset in the decompressed stream, what was wrong
 * and what the reader did about it.
 */
public record DecodeProblem(
    String source, long recordNumber, long byteOffset, String what, Outcome outcome) {

  /** What the reader did. */
  public enum Outcome {
    /** The record was skipped; reading went on with the next one. */
    SKIPPED_RECORD,
    /** Reading stopped here (truncated or undecodable framing, damaged compressed stream). */
    STOPPED,
    /** Part of a record was dropped (e.g. one RIB entry with an unknown peer index). */
    PARTIAL,
    /** The record is nonconforming in a known way and was decoded after a documented repair. */
    REPAIRED
  }

  @Override
  public String toString() {
    return source
        + ": record "
        + recordNumber
        + " at byte "
        + byteOffset
        + ": "
        + what
        + " ["
        + outcome
        + "]";
  }
}
