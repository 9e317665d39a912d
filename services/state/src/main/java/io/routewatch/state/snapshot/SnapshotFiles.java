package io.routewatch.state.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Snapshot files in one directory: {@code rib-<created millis>.snap}, newest = largest number. A
 * write goes to a {@code .tmp} file that is fsynced, atomically renamed and its directory fsynced,
 * so a crash at any point leaves either the old set or the old set plus one complete new file. A
 * file that fails to load is renamed {@code .corrupt} (kept for inspection) and the next older one
 * is tried.
 */
public final class SnapshotFiles {
  private static final String PREFIX = "rib-";
  private static final String SUFFIX = ".snap";

  private final Path dir;

  public SnapshotFiles(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** A loaded snapshot and where it came from. */
  public record Loaded(Snapshot snapshot, Path file, long bytes) {}

  /** Writes one snapshot; returns the file. */
  public Path write(Snapshot s) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(PREFIX + String.format("%013d", s.createdMillis()) + SUFFIX);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      SnapshotEncoder.write(s, ch);
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDir();
    return file;
  }

  private void syncDir() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // not every file system lets a directory be opened; the rename is still atomic
    }
  }

  /** Snapshot files, newest first. */
  public List<Path> list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
              })
          .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
          .toList();
    }
  }

  /**
   * The newest snapshot that decodes; each one that does not is reported, renamed {@code .corrupt}
   * and skipped. Leftover {@code .tmp} files (a crash mid-write) are deleted.
   */
  public Optional<Loaded> loadNewest(Consumer<String> report) throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
          report.accept("deleting partial snapshot " + p.getFileName() + " (crash during a write)");
          Files.deleteIfExists(p);
        }
      }
    }
    for (Path p : list()) {
      try {
        byte[] bytes = Files.readAllBytes(p);
        return Optional.of(
            new Loaded(SnapshotDecoder.read(bytes, p.getFileName().toString()), p, bytes.length));
      } catch (SnapshotException | IOException | OutOfMemoryError e) {
        report.accept("snapshot " + p + " unusable, ignored: " + e.getMessage());
        quarantine(p);
      }
    }
    return Optional.empty();
  }

  /** Renames a file that did not load, so it is neither retried nor counted as a kept snapshot. */
  public void quarantine(Path p) {
    try {
      Files.move(
          p, p.resolveSibling(p.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // read-only directory: it will be reported again next start, still never loaded
    }
  }

  /** Deletes all but the newest {@code keep} snapshots; returns how many were deleted. */
  public int prune(int keep) throws IOException {
    List<Path> all = new ArrayList<>(list());
    int n = 0;
    for (int i = Math.max(1, keep); i < all.size(); i++) {
      if (Files.deleteIfExists(all.get(i))) {
        n++;
      }
    }
    return n;
  }
}
