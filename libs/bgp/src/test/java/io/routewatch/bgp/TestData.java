package io.routewatch.bgp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Locates the shared data corpus: system property {@code routewatch.data}, else {@code
 * ../../../shared/data} relative to the module directory (i.e. {@code <repo>/../shared/data}).
 */
public final class TestData {
  private TestData() {}

  public static Path root() {
    String p = System.getProperty("routewatch.data");
    if (p != null && !p.isBlank() && !p.contains("${")) {
      Path path = Path.of(p);
      if (Files.isDirectory(path)) return path.normalize();
    }
    return Path.of("../../../shared/data").toAbsolutePath().normalize();
  }

  public static Path mrt() {
    return root().resolve("mrt");
  }

  public static Path mrt(String relative) {
    return mrt().resolve(relative);
  }

  public static boolean available() {
    return Files.isDirectory(mrt());
  }

  /** Every MRT file that has a bgpdump reference next to it. */
  public static List<Path> mrtFilesWithReference() throws IOException {
    try (Stream<Path> s = Files.walk(mrt())) {
      return s.filter(Files::isRegularFile)
          .filter(f -> Files.exists(reference(f)))
          .filter(f -> !f.getFileName().toString().endsWith(".bgpdump-m.txt.gz"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  public static Path reference(Path mrtFile) {
    return mrtFile.resolveSibling(mrtFile.getFileName() + ".bgpdump-m.txt.gz");
  }
}
