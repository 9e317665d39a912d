package io.routewatch.collector.mrt;

import io.routewatch.proto.v1.ListArchiveFilesRequest;
import io.routewatch.proto.v1.ListArchiveFilesResponse;
import java.io.IOException;
import java.util.List;

/**
 * Archive range imports as the import API sees them (implemented by the {@code archive} package,
 * which depends on this one, not the other way round).
 */
public interface ArchiveRanges {
  /**
   * Queues the import of the range; {@link IllegalArgumentException} for a bad collector name,
   * time, type, range or speed.
   */
  ImportJobRun start(List<String> collectors, String type, String from, String until, double speed);

  /** Lists the range's files; {@link IllegalArgumentException} for a bad request. */
  ListArchiveFilesResponse list(ListArchiveFilesRequest req)
      throws IOException, InterruptedException;
}
