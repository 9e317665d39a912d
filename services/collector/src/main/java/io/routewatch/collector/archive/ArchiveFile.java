package io.routewatch.collector.archive;

import java.time.Instant;

/**
 * One file in a public archive: its collector, what it holds, the time in its name and the time the
 * next file of the same collector and kind starts ({@code endEpochSecond}: the file covers [start,
 * end); for the newest file listed, start plus the family's nominal interval).
 */
public record ArchiveFile(
    String collector,
    ArchiveLayout.Kind kind,
    String name,
    String url,
    long epochSecond,
    long endEpochSecond) {

  /** The file's own start time, as an instant. */
  public Instant start() {
    return Instant.ofEpochSecond(epochSecond);
  }

  /** True when the file covers part of [from, until) (epoch seconds). */
  public boolean overlaps(long from, long until) {
    return epochSecond < until && endEpochSecond > from;
  }

  @Override
  public String toString() {
    return collector + " " + name + " (" + url + ")";
  }
}
