package io.routewatch.bgp.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routewatch.bgp.TestData;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden parity: for every MRT file in the shared corpus with a {@code .bgpdump-m.txt.gz} next to
 * it, our {@link MrtDump} output must equal bgpdump 1.6.2's line for line. New files are picked up
 * without code changes. Known differences are listed in {@link KnownDifferences} with the reason
 * (each argued with bytes in docs/codec.md).
 */
class BgpdumpParityTest {

  @TestFactory
  Stream<DynamicTest> everyFileMatchesBgpdump() throws IOException {
    assumeTrue(TestData.available(), "shared data not found at " + TestData.mrt());
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : TestData.mrtFilesWithReference()) {
      String rel = TestData.mrt().relativize(f).toString();
      tests.add(DynamicTest.dynamicTest(rel, () -> compare(f, rel)));
    }
    return tests.stream();
  }

  static void compare(Path file, String rel) throws IOException {
    KnownDifferences.Known known = KnownDifferences.FILES.get(rel);
    Path ref =
        known != null && known.reference() != null
            ? TestData.mrt(known.reference())
            : TestData.reference(file);
    List<String> expected = readGzLines(ref);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MrtDump.Result result = MrtDump.dump(file, out);
    List<String> actual =
        new String(out.toByteArray(), StandardCharsets.ISO_8859_1).lines().toList();
    int mismatches = 0;
    String first = null;
    int n = Math.max(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      String e = i < expected.size() ? expected.get(i) : "<missing>";
      String a = i < actual.size() ? actual.get(i) : "<missing>";
      if (!e.equals(a)) {
        mismatches++;
        if (first == null) first = "line " + (i + 1) + "\n  bgpdump: " + e + "\n  ours:    " + a;
      }
    }
    System.out.printf(
        "PARITY %-75s lines=%d ours=%d mismatches=%d problems=%d%s%n",
        rel,
        expected.size(),
        actual.size(),
        mismatches,
        result.problems().size(),
        first == null ? "" : "\n  first " + first);
    if (known != null && known.expectedMismatches() >= 0) {
      assertEquals(
          known.expectedMismatches(),
          mismatches,
          rel + ": " + known.reason() + (first == null ? "" : "; first " + first));
      if (known.ourLines() >= 0) assertEquals(known.ourLines(), actual.size(), rel + " line count");
      return;
    }
    if (mismatches > 0)
      fail(rel + ": " + mismatches + " of " + expected.size() + " lines differ; first " + first);
  }

  static List<String> readGzLines(Path p) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(p), 1 << 16), StandardCharsets.ISO_8859_1),
            1 << 16)) {
      String l;
      while ((l = r.readLine()) != null) lines.add(l);
    }
    return lines;
  }
}
