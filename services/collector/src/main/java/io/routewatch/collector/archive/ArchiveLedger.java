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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The archive range imports asked for, by stream id, and how each ended. One still {@code
 * IMPORTING} when the collector starts belongs to a collector that stopped mid-import: it is
 * started again under the same stream id, and state skips the batches it already applied. Written
 * atomically (temp file, fsync, rename).
 */
final class ArchiveLedger {
  /** Outcome of a range import. */
  enum Outcome {
    IMPORTING,
    DONE,
    FAILED,
    CANCELLED
  }

  /** One range import: the request and its outcome. */
  record Entry(
      String streamId,
      List<String> collectors,
      String kind,
      long from,
      long until,
      double speed,
      Outcome outcome,
      String job,
      long updatedAt) {}

  record Content(int version, List<Entry> imports) {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;
  private final Map<String, Entry> entries = new TreeMap<>();

  ArchiveLedger(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  synchronized void load() throws IOException {
    entries.clear();
    if (!Files.exists(file)) {
      return;
    }
    Content c = JSON.readValue(file.toFile(), Content.class);
    if (c.imports() != null) {
      for (Entry e : c.imports()) {
        if (e != null && e.streamId() != null && e.outcome() != null && e.collectors() != null) {
          entries.put(e.streamId(), e);
        }
      }
    }
  }

  synchronized List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  synchronized void put(Entry e) throws IOException {
    entries.put(e.streamId(), e);
    save();
  }

  private void save() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    byte[] bytes = JSON.writeValueAsBytes(new Content(1, new ArrayList<>(entries.values())));
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
