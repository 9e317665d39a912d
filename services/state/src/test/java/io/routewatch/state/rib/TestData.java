package io.routewatch.state.rib;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Locates the shared data corpus: system property {@code routewatch.data}, else ../shared/data. */
public final class TestData {
  private TestData() {}

  public static Path dir() {
    String p = System.getProperty("routewatch.data");
    if (p != null && !p.isBlank() && Files.isDirectory(Path.of(p))) {
      return Path.of(p);
    }
    // Surefire runs in services/state: the repo root is two levels up, shared/ beside it.
    Path here = Path.of("").toAbsolutePath();
    for (Path d = here; d != null; d = d.getParent()) {
      Path c = d.resolveSibling("shared").resolve("data");
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    throw new IllegalStateException("shared data not found; set -Droutewatch.data");
  }

  public static Path file(String relative) {
    return dir().resolve(relative);
  }

  /** Lines of a gzip text file. */
  public static List<String> gzLines(String relative) throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file(relative)), 1 << 16),
                StandardCharsets.ISO_8859_1))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.add(line);
      }
    }
    return out;
  }
}
