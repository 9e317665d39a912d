package io.routewatch.collector.mrt;

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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The watch directory's memory of what it imported: one entry per file name with the file's size
 * and mtime when it was taken, its job and the job's outcome. Kept in a small JSON file written
 * atomically (temp file, fsync, rename), so a crash leaves either the old or the new ledger.
 *
 * <p>An entry is {@link Outcome#IMPORTING} from the moment its job is queued until the job ends;
 * one still IMPORTING when the ledger is loaded belongs to a collector that died mid-import, and
 * the file is imported again.
 */
final class ImportLedger {
  enum Outcome {
    /** Job queued or running; not final (imported again after a restart). */
    IMPORTING,
    /** Every batch read and acknowledged by state (errors may still list skipped records). */
    DONE,
    /** The job ended FAILED (unreadable/corrupt file, or state never acknowledged); not retried. */
    FAILED,
    /** The import could not be started (e.g. the file became unreadable); not retried. */
    REJECTED;

    boolean isFinal() {
      return this != IMPORTING;
    }
  }

  /** One file. {@code mtime} in epoch milliseconds; counts and error as the job reported them. */
  record Entry(
      String name,
      String path,
      long size,
      long mtime,
      String job,
      String streamId,
      Outcome outcome,
      long records,
      long events,
      long errors,
      String firstError,
      long updatedAt) {}

  record Content(int version, List<Entry> files) {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;
  private final Map<String, Entry> entries = new TreeMap<>();

  ImportLedger(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** Reads the ledger file; a missing file is an empty ledger. */
  void load() throws IOException {
    entries.clear();
    if (!Files.exists(file)) {
      return;
    }
    Content c = JSON.readValue(file.toFile(), Content.class);
    if (c.files() != null) {
      for (Entry e : c.files()) {
        if (e != null && e.name() != null && e.outcome() != null) {
          entries.put(e.name(), e);
        }
      }
    }
  }

  Entry get(String name) {
    return entries.get(name);
  }

  Collection<Entry> entries() {
    return List.copyOf(entries.values());
  }

  void put(Entry e) {
    entries.put(e.name(), e);
  }

  /** Forgets final entries whose file is no longer in the directory (keeps the ledger small). */
  boolean retainPresent(Set<String> present) {
    return entries.values().removeIf(e -> e.outcome().isFinal() && !present.contains(e.name()));
  }

  /** Writes the ledger atomically: a temp file next to it, fsync, rename over the old one. */
  void save() throws IOException {
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
