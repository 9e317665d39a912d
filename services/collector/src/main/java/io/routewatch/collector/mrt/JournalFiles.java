package io.routewatch.collector.mrt;

import io.routewatch.proto.v1.ListJournalFilesResponse;
import java.io.IOException;

/**
 * The live journal's file listing as {@code ImportService.ListJournalFiles} serves it. Implemented
 * by the journal package (which reads its files with this package's reader, so the dependency
 * points that way).
 */
public interface JournalFiles {
  /** Thrown when the journal is off ({@code routewatch.collector.journal.dir} unset). */
  final class Off extends Exception {
    public Off(String message) {
      super(message);
    }
  }

  /** The journal's files, oldest first, with the time ranges of their records. */
  ListJournalFilesResponse list() throws Off, IOException;
}
