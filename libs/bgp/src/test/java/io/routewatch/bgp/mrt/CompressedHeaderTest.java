package io.routewatch.bgp.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.error.DecodeProblem.Outcome;
import io.routewatch.bgp.text.MrtDump;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Input that starts like gzip (1f 8b 08) or bzip2 ("BZh") but whose header is short or malformed is
 * broken input like any other: the lenient reader reports it (offset 0, what) and reads nothing,
 * instead of the open throwing. Fuzzing found three: {@code 1f 8b 30 ...} (method not deflate: read
 * as raw MRT), {@code 1f 8b 08 60 00 40 00} (gzip header cut short) and {@code BZh} alone.
 */
class CompressedHeaderTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "1f8b0860004000, gzip header truncated", // the fuzz crasher: 7 of the 10 header bytes
    "1f8b08, gzip header truncated",
    "1f8b0804000000000000ff05, gzip header truncated", // FEXTRA of 5 bytes, stream ends in it
    "425a68, bzip2", // the fuzz crasher "BZh": no block size
    "425a6839, bzip2", // "BZh9" and nothing after
    "425a683931415926535900, bzip2", // a block header cut short
  })
  void aBrokenHeaderIsReportedNotThrown(String hex, String what) throws Exception {
    byte[] in = HexFormat.of().parseHex(hex);
    MrtDump.Result r =
        MrtDump.dump(new ByteArrayInputStream(in), "x.gz", OutputStream.nullOutputStream());
    List<DecodeProblem> problems = r.problems();
    assertEquals(0, r.records(), problems.toString());
    assertEquals(1, problems.size(), problems.toString());
    DecodeProblem p = problems.get(0);
    assertEquals(Outcome.STOPPED, p.outcome());
    assertEquals(0, p.byteOffset());
    assertTrue(p.what().contains(what), p.toString());
  }

  /**
   * The same from files: gzip inflated in-process; bzip2 by lbzip2 when installed, else in Java.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"1f8b0860004000", "425a68", "425a6839", "425a683931415926535900"})
  void aBrokenHeaderInAFileIsReportedNotThrown(String hex, @TempDir Path dir) throws Exception {
    Path f = Files.write(dir.resolve("broken.mrt"), HexFormat.of().parseHex(hex));
    MrtDump.Result r = MrtDump.dump(f, OutputStream.nullOutputStream());
    assertEquals(0, r.records(), r.problems().toString());
    assertTrue(
        r.problems().stream().anyMatch(p -> p.outcome() == Outcome.STOPPED),
        r.problems().toString());
  }

  @Test
  void aGoodHeaderThenCorruptDeflateDataIsReportedToo() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(new byte[4096]);
    }
    byte[] bytes = gz.toByteArray();
    byte[] cut = Arrays.copyOf(bytes, 14); // header + a few bytes of the deflate stream
    MrtDump.Result r =
        MrtDump.dump(new ByteArrayInputStream(cut), "y.gz", OutputStream.nullOutputStream());
    assertTrue(
        r.problems().stream().anyMatch(p -> p.outcome() == Outcome.STOPPED),
        r.problems().toString());
  }
}
