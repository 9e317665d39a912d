package io.routewatch.state.snapshot;

import java.nio.charset.StandardCharsets;

/**
 * Layout of a snapshot file (all integers little-endian):
 *
 * <pre>
 * header   8  magic "RWRIB\r\n\032" (PNG-style: text-mode mangling and truncated copies show)
 *          4  format version ({@link #VERSION})
 *          4  flags (0)
 * body     sections, each a one-byte tag then its fields, in this order:
 *          META 1, INGEST 2, PREFIXES 3, PATHS 4, ATTRS 5, VPS 6, ORIGIN_SHARES 7,
 *          COUNTRY_SHARES 8, DETECTOR 9, OUTAGES 10, END 0xFF
 * trailer  8  body length in bytes
 *          4  CRC-32C of header and body
 *          4  "RWEN"
 * </pre>
 *
 * INGEST holds the stream positions, archive VPs, counters and (from version 3) the change
 * journal's sequence at capture as a zigzag varint (-1: unknown).
 *
 * <p>Varints are unsigned LEB128; signed times are zigzag varints. A non-add-path VP's routes are
 * sorted by prefix id and written as (prefix-id delta, attribute-set index) varint pairs, about 4
 * bytes a route; add-path VPs write (key, attribute-set index).
 */
final class SnapshotFormat {
  static final byte[] MAGIC = "RWRIB\r\n\032".getBytes(StandardCharsets.ISO_8859_1);
  static final byte[] END_MAGIC = "RWEN".getBytes(StandardCharsets.ISO_8859_1);

  /**
   * 2: a report carries its unreported drift; 3: INGEST ends with the journal sequence; 4: a report
   * carries its upstreams' evidence counts.
   */
  static final int VERSION = 4;

  /** The oldest version this build still reads (its journal sequence is unknown). */
  static final int OLDEST_READABLE = 2;

  static final int HEADER = 16;
  static final int TRAILER = 16;

  static final int META = 1;
  static final int INGEST = 2;
  static final int PREFIXES = 3;
  static final int PATHS = 4;
  static final int ATTRS = 5;
  static final int VPS = 6;
  static final int ORIGIN_SHARES = 7;
  static final int COUNTRY_SHARES = 8;
  static final int DETECTOR = 9;
  static final int OUTAGES = 10;
  static final int END = 0xFF;

  // RouteAttributes flags
  static final int F_ATOMIC = 1;
  static final int F_NEXT_HOP = 2;
  static final int F_MED = 4;
  static final int F_LOCAL_PREF = 8;

  private SnapshotFormat() {}
}
