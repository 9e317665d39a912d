package io.routewatch.state.snapshot;

import java.util.Map;

/**
 * The ingest side of a snapshot, taken at the same instant as the engine's image: the last applied
 * sequence of every collector stream (so collectors re-send only what came after), the collector of
 * each stream, the VPs each unfinished archive stream touched (its end settles them), and the
 * applied-event counters reported by GetStats.
 *
 * @param positions stream id → last applied sequence
 * @param collectors stream id → collector name
 * @param archiveVps archive stream id → engine VP ids it touched so far
 * @param events events applied
 * @param batches batches applied
 * @param eventsByKind event kind name → events applied
 * @param journalSequence the change journal's last assigned sequence at capture: every change
 *     derived from the captured state has a sequence up to it ({@link #UNKNOWN_SEQUENCE} in a
 *     snapshot of format 2, which did not record it)
 */
public record IngestImage(
    Map<String, Long> positions,
    Map<String, String> collectors,
    Map<String, int[]> archiveVps,
    long events,
    long batches,
    Map<String, Long> eventsByKind,
    long journalSequence) {

  public static final long UNKNOWN_SEQUENCE = -1;

  public static final IngestImage EMPTY =
      new IngestImage(Map.of(), Map.of(), Map.of(), 0, 0, Map.of());

  /** Without a journal sequence ({@link #UNKNOWN_SEQUENCE}). */
  public IngestImage(
      Map<String, Long> positions,
      Map<String, String> collectors,
      Map<String, int[]> archiveVps,
      long events,
      long batches,
      Map<String, Long> eventsByKind) {
    this(positions, collectors, archiveVps, events, batches, eventsByKind, UNKNOWN_SEQUENCE);
  }

  /** Sum of all stream positions: how many batches the snapshot covers. */
  public long batchesCovered() {
    long n = 0;
    for (long p : positions.values()) {
      n += p;
    }
    return n;
  }
}
