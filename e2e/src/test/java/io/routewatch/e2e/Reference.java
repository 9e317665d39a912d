package io.routewatch.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** bgpdump -m reference decodes (the independent oracle) stored next to each MRT file. */
final class Reference {
  static final String SUFFIX = ".bgpdump-m.txt.gz";

  /** Line counts by KIND (field 3): B, A, W, STATE. */
  record Counts(long ribEntries, long announcements, long withdrawals, long stateChanges) {}

  private Reference() {}

  static List<Path> mrtFilesWithReference(Path dataDir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dataDir.resolve("mrt"))) {
      s.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .filter(p -> !p.toString().contains("test_expect"))
          .map(p -> p.resolveSibling(p.getFileName().toString().replace(SUFFIX, "")))
          .filter(Files::exists)
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  static Counts counts(Path mrt) throws IOException {
    long[] c = new long[4];
    lines(
        mrt,
        fields -> {
          switch (fields[2]) {
            case "B" -> c[0]++;
            case "A" -> c[1]++;
            case "W" -> c[2]++;
            case "STATE" -> c[3]++;
            default -> {}
          }
        });
    return new Counts(c[0], c[1], c[2], c[3]);
  }

  static void lines(Path mrt, Consumer<String[]> each) throws IOException {
    Path ref = mrt.resolveSibling(mrt.getFileName() + SUFFIX);
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(ref), 1 << 16),
                StandardCharsets.ISO_8859_1))) {
      String line;
      while ((line = r.readLine()) != null) {
        each.accept(line.split("\\|", -1));
      }
    }
  }
}
