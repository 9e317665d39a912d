package io.routewatch.collector.mrt;

import io.routewatch.collector.CollectorConfig;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where an import through the API may read: under {@code routewatch.collector.mrt.import-dirs} or
 * the watch directory, compared after symlinks. The API takes a path from whoever can reach it; the
 * collector's own files (its environment, keys, {@code /etc}) are not MRT archives, and an import
 * of one must not be a way to probe or read them.
 *
 * <p>The allowed directories are resolved on every check (a directory created after the start
 * counts; one that does not exist holds nothing). A path that does not exist is reported as such
 * only when it lies (lexically) under an allowed directory: elsewhere the answer is the same
 * refusal as for a file that exists, so the API is no oracle for what exists outside.
 */
final class ImportDirs {
  static final String PROPERTY = "routewatch.collector.mrt.import-dirs";

  /** A path outside the allowed directories, or none allowed: HTTP 403 / PERMISSION_DENIED. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> allowed;

    Refused(String message, List<String> allowed) {
      super(message, null, false, false);
      this.allowed = List.copyOf(allowed);
    }

    List<String> allowed() {
      return allowed;
    }
  }

  private final List<String> configured;

  ImportDirs(CollectorConfig.Mrt mrt) {
    List<String> dirs = new ArrayList<>();
    mrt.importDirs().ifPresent(dirs::addAll);
    mrt.watchDir().ifPresent(dirs::add);
    this.configured =
        dirs.stream().filter(d -> d != null && !d.isBlank()).map(String::trim).toList();
  }

  /**
   * The real path of {@code path} when it lies under an allowed directory.
   *
   * @throws Refused when it does not (or when no directory is allowed)
   * @throws IllegalArgumentException when it is not a path, or does not exist under an allowed one
   */
  Path check(String path) {
    List<Path> real = new ArrayList<>();
    Set<Path> lexical = new LinkedHashSet<>();
    for (String d : configured) {
      Path dir = Paths.get(d).toAbsolutePath().normalize();
      lexical.add(dir);
      try {
        real.add(dir.toRealPath());
      } catch (IOException | InvalidPathException e) {
        // a directory that is not there (yet) holds nothing to import
      }
    }
    List<String> names = real.stream().map(Path::toString).distinct().toList();
    if (real.isEmpty()) {
      throw new Refused(
          "imports through the API are off: no import directory is configured (or none exists);"
              + " set "
              + PROPERTY
              + " (env ROUTEWATCH_COLLECTOR_MRT_IMPORT_DIRS) to the directories the collector may"
              + " import from"
              + (configured.isEmpty() ? "" : "; configured but missing: " + configured),
          names);
    }
    Path p;
    try {
      p = Paths.get(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a path: " + e.getReason());
    }
    Path realPath;
    try {
      realPath = p.toRealPath();
    } catch (IOException e) {
      Path abs = p.toAbsolutePath().normalize();
      if (under(abs, real) || under(abs, lexical)) {
        throw new IllegalArgumentException("not a readable file on the collector: " + abs);
      }
      throw outside(names);
    }
    if (!under(realPath, real)) {
      throw outside(names);
    }
    return realPath;
  }

  private static Refused outside(List<String> names) {
    return new Refused(
        "path is outside the import directories (after symlinks): the collector imports only from "
            + String.join(", ", names)
            + " ("
            + PROPERTY
            + " and the watch dir)",
        names);
  }

  /** Component-wise: /data2/x is not under /data. */
  private static boolean under(Path p, Iterable<Path> dirs) {
    for (Path d : dirs) {
      if (p.startsWith(d) && !p.equals(d)) {
        return true;
      }
    }
    return false;
  }
}
