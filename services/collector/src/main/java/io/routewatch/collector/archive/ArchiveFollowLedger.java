package io.routewatch.collector.archive;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * What follow mode imported, per collector: where following started ({@code since}), and each file
 * state acknowledged in full ({@code DONE}) or that failed for its content ({@code FAILED}, not
 * retried). A file is written here only once its import ended, so a collector that stops mid-file
 * imports it again at its restart under the same stream id (state skips the batches it applied).
 * Written atomically (temp file, fsync, rename); entries older than the follow window are pruned
 * (the newest imported file is kept in {@code newest*}).
 */
final class ArchiveFollowLedger {
  /** Outcome of one followed file. */
  enum Outcome {
    DONE,
    FAILED,
    CANCELLED
  }

  /** One file's import. */
  record FileEntry(
      long start,
      long end,
      Outcome outcome,
      String job,
      String streamId,
      long events,
      long seenAtMillis,
      long endedAtMillis,
      String error) {}

  /** One followed collector. */
  record CollectorEntry(
      long since,
      String newestFile,
      long newestStart,
      long newestEnd,
      Map<String, FileEntry> files) {
    CollectorEntry {
      files = files == null ? new TreeMap<>() : new TreeMap<>(files);
    }
  }

  record Content(int version, Map<String, CollectorEntry> collectors) {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;
  private final Map<String, CollectorEntry> collectors = new TreeMap<>();

  ArchiveFollowLedger(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  synchronized void load() throws IOException {
    collectors.clear();
    if (!Files.exists(file)) {
      return;
    }
    Content c = JSON.readValue(file.toFile(), Content.class);
    if (c.collectors() != null) {
      c.collectors()
          .forEach(
              (name, e) -> {
                if (name != null && e != null) {
                  collectors.put(name, e);
                }
              });
    }
  }

  synchronized CollectorEntry get(String collector) {
    return collectors.get(collector);
  }

  synchronized void put(String collector, CollectorEntry e) throws IOException {
    collectors.put(collector, e);
    save();
  }

  private void save() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    byte[] bytes = JSON.writeValueAsBytes(new Content(1, new TreeMap<>(collectors)));
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
