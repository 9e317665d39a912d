package io.routewatch.bench;

import io.routewatch.bgp.mrt.MrtInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark files, found under the shared corpus ({@code -Droutewatch.data} or
 * $ROUTEWATCH_DATA).
 */
final class Corpus {
  /** Short names used as JMH parameters → path under the corpus. */
  static Path file(String name) {
    String rel =
        switch (name) {
          case "et-header" -> "mrt/ripe-bgpdump/updates.et-header.2015.gz";
          case "rib-bz2" -> "mrt/pyasn/rib.20140523.0600_firstMB.bz2";
          default -> name; // any other path under the corpus
        };
    Path p = root().resolve(rel);
    if (!Files.isRegularFile(p)) throw new IllegalStateException("benchmark file missing: " + p);
    return p;
  }

  static Path root() {
    String d = System.getProperty("routewatch.data");
    if (d == null) d = System.getenv("ROUTEWATCH_DATA");
    if (d == null) d = "../shared/data"; // from the repository root
    return Path.of(d);
  }

  /**
   * The decompressed MRT bytes of a file, up to its last complete record. The truncated RIB ends
   * with an IOException naming the truncation: everything before it is kept.
   */
  static byte[] decompressed(Path file) {
    try (InputStream in = MrtInput.open(file)) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 24);
      byte[] b = new byte[1 << 16];
      try {
        int n;
        while ((n = in.read(b)) > 0) out.write(b, 0, n);
      } catch (IOException truncated) {
        // keep what came before
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Corpus() {}
}
