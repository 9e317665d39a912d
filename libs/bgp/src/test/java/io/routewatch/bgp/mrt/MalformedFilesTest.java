package io.routewatch.bgp.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routewatch.bgp.TestData;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.error.DecodeProblem.Outcome;
import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.text.MrtDump;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The damaged files of the corpus (MANIFEST "malformed / truncated input"): read leniently to the
 * last good record, with the exact number of skipped records and the reason; nothing escapes, no
 * hang. Strict mode throws the located error instead.
 */
class MalformedFilesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        // file; records framed; lines; skipped records; stopped?; reason fragment of the first
        // problem
        "bgpkit-ris/rrc00/2000.01/bview.20000111.0032.gz; 2; 1; 1; true; unknown MRT type 14458",
        "bgpkit-ris/rrc00/2000.03/updates.20000325.0345.gz; 6; 4; 2; true; NLRI prefix length 232 > 32",
        "bgpkit-ris/rrc01/2000.11/updates.20001104.0124.gz; 1286; 883; 0; false; ",
        "ripe-bgpdump/updates.nlri_mask_trailing_bits.gz; 1; 1; 0; false; ",
        "pyasn/rib.20080501.0644_firstMB.bz2; 139291; 139291; 0; true; truncated",
        "pyasn/rib.20140523.0600_firstMB.bz2; 9073; 270005; 0; true; truncated",
        "pyasn/bview.20140112.1600_3samples.bz2; 3; 0; 3; false; without a preceding PEER_INDEX_TABLE",
        "mrtparse-samples/openbgpd_rib_table-mp; 31; 0; 31; false; BGP4MP subtype (BGP4MP/2)",
      })
  void lenientReadsToLastGoodRecord(
      String file, long records, long lines, long skipped, boolean stopped, String reason) {
    assumeTrue(TestData.available());
    MrtDump.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () -> MrtDump.dump(TestData.mrt(file), OutputStream.nullOutputStream()));
    List<DecodeProblem> problems = r.problems();
    assertEquals(records, r.records(), file + " records " + problems);
    assertEquals(lines, r.lines(), file + " lines");
    assertEquals(
        skipped,
        problems.stream().filter(p -> p.outcome() == Outcome.SKIPPED_RECORD).count(),
        file + " skipped " + problems);
    assertEquals(
        stopped,
        problems.stream().anyMatch(p -> p.outcome() == Outcome.STOPPED),
        file + " stopped " + problems);
    if (reason != null)
      assertTrue(
          problems.get(0).what().contains(reason.trim())
              || problems.get(0).what().contains("truncated"),
          problems.get(0).toString());
    problems.forEach(
        p ->
            assertTrue(
                p.byteOffset() >= 0
                    && p.source().endsWith(file.substring(file.lastIndexOf('/') + 1)),
                p.toString()));
  }

  /** The typed decoder reports what bgpdump silently works around (zebra OPENs, truncated NLRI). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "bgpkit-ris/rrc01/2000.11/updates.20001104.0124.gz; 21",
        "ripe-bgpdump/updates.nlri_mask_trailing_bits.gz; 1",
      })
  void typedDecoderReportsDamage(String file, int errors) throws Exception {
    assumeTrue(TestData.available());
    int n = 0;
    try (MrtReader reader = MrtReader.open(TestData.mrt(file), MrtReader.Mode.LENIENT)) {
      for (MrtRecord rec : reader) {
        if (!MrtType.isBgp4mp(rec.type()) || !MrtType.isBgp4mpMessage(rec.subtype())) continue;
        try {
          BgpMessage m = Bgp4mpMessage.of(rec).message();
          assertTrue(m != null);
        } catch (DecodeException e) {
          n++;
          reader.report(rec, e, Outcome.SKIPPED_RECORD);
        }
      }
      assertEquals(errors, n, reader.problems().toString());
      assertEquals(errors, reader.skippedCount());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "bgpkit-ris/rrc00/2000.03/updates.20000325.0345.gz",
    "pyasn/rib.20140523.0600_firstMB.bz2"
  })
  void strictModeThrowsLocatedError(String file) {
    assumeTrue(TestData.available());
    DecodeException e =
        assertThrows(
            DecodeException.class,
            () -> {
              try (MrtReader reader = MrtReader.open(TestData.mrt(file), MrtReader.Mode.STRICT)) {
                MrtDump.dump(reader, OutputStream.nullOutputStream());
              }
            });
    assertTrue(e.recordNumber() > 0 && e.byteOffset() > 0, e.getMessage());
  }
}
