package io.routewatch.collector.mrt;

import io.routewatch.collector.publish.BatchBuilder;

/**
 * What an import reads route events from: one MRT file ({@link MrtEventReader}) or several merged
 * by time ({@link MergedEventReader}). Reading the same input again yields the same events in the
 * same order, which is what makes batches (and their sequence numbers) repeatable.
 */
interface ImportSource extends AutoCloseable {
  /** Adds the events of the next record to {@code b}; false when nothing is left. */
  boolean next(BatchBuilder b);

  /** An empty batch of this input's source, for this collector instance and stream. */
  BatchBuilder newBatch(String instance, String streamId);

  /** MRT records read so far. */
  long records();

  /** Compressed bytes read so far (progress). */
  long bytesRead();

  /** Time of the last record that carried routes (µs), 0 before the first. */
  long lastTimestampMicros();

  /** Records refused for a declared length beyond the limit. */
  long oversizedRecords();

  @Override
  void close();
}
