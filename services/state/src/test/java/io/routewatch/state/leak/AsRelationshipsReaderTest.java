package io.routewatch.state.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.rib.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Reads the real as-rel files in ../shared/data/incidents/as-rel; the link counts are the ones
 * incidents/MANIFEST.md §4 gives (counted there with Python's split, independently of this code).
 */
class AsRelationshipsReaderTest {
  private static final String DIR = "incidents/as-rel/";
  private static final int MAX = 5_000_000;

  @Test
  void caidaSerial2Of2025() throws IOException {
    AsRelationshipsReader.Result r =
        AsRelationshipsReader.read(
            TestData.file(DIR + "caida-serial2-lddis666-embed/20250901.as-rel2.txt.bz2"), MAX);
    assertEquals(0, r.rejected(), () -> String.join("\n", r.problems()));
    AsRelationships rel = r.relationships();
    assertEquals(570_696, rel.size());
    assertEquals(161_166, rel.p2cLinks());
    assertEquals(409_530, rel.p2pLinks());
    // MANIFEST: 701|396531|-1 and 33154|396531|-1, the providers behind the 2019 Verizon/DQE leak
    assertEquals(AsRelationships.PROVIDER, rel.relation(701, 396531));
    assertEquals(AsRelationships.CUSTOMER, rel.relation(396531, 701));
    assertEquals(AsRelationships.PROVIDER, rel.relation(33154, 396531));
    assertEquals(AsRelationships.PEER, rel.relation(15169, 4713));
    assertEquals(AsRelationships.PEER, rel.relation(4713, 15169));
    assertEquals(AsRelationships.UNKNOWN, rel.relation(3491, 17557));
  }

  @Test
  void caidaSerial1Of2016AndPlain2015() throws IOException {
    AsRelationships y2016 =
        AsRelationshipsReader.read(
                TestData.file(DIR + "bgpkit-valley-free/20161101.as-rel.txt.bz2"), MAX)
            .relationships();
    assertEquals(239_064, y2016.size());
    assertEquals(110_479, y2016.p2cLinks());
    assertEquals(128_585, y2016.p2pLinks());
    AsRelationshipsReader.Result y2015 =
        AsRelationshipsReader.read(
            TestData.file(DIR + "thwindbell-as-relation/20150201.as-rel.txt"), MAX);
    assertEquals(0, y2015.rejected());
    assertEquals(97_864, y2015.relationships().p2cLinks());
    assertEquals(91_973, y2015.relationships().p2pLinks());
    assertEquals(AsRelationships.PROVIDER, y2015.relationships().relation(3356, 4788));
  }

  @Test
  void problinkWithSiblings() throws IOException {
    AsRelationshipsReader.Result r =
        AsRelationshipsReader.read(
            TestData.file(DIR + "problink-thalespaiva/20190101.problink.relat.txt"), MAX);
    assertEquals(0, r.rejected(), () -> String.join("\n", r.problems()));
    assertEquals(98_063, r.relationships().p2cLinks());
    // MANIFEST counts 161,042 p2p lines; 146 peerings are listed twice (a|b|0 and b|a|0: a Python
    // set of sorted pairs gives 160,896), and a pair is one link here
    assertEquals(160_896, r.relationships().p2pLinks());
    assertEquals(261_526, r.relationships().size());
    assertEquals(2_567, r.relationships().siblingLinks());
  }

  @Test
  void badLinesAreCountedWithFileAndLine() throws IOException {
    String text =
        "# comment\n"
            + "1|2|-1\n"
            + "\n"
            + "3|4\n"
            + "5|x|0\n"
            + "6|7|2\n"
            + "8|8|0\n"
            + "9|4294967296|0\n"
            + "10|11|0|bgp\n";
    AsRelationshipsReader.Result r =
        AsRelationshipsReader.read(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "t.txt", 100);
    assertEquals(5, r.rejected());
    assertEquals(2, r.relationships().size());
    assertTrue(r.problems().get(0).startsWith("t.txt:4: expected a|b|rel"), r.problems().get(0));
    assertTrue(r.problems().get(1).startsWith("t.txt:5: bad ASN"), r.problems().get(1));
    assertTrue(r.problems().get(2).startsWith("t.txt:6: relationship must be"));
    assertTrue(r.problems().get(3).startsWith("t.txt:7: AS8 related to itself"));
    assertTrue(r.problems().get(4).startsWith("t.txt:8: bad ASN"));
    assertEquals(AsRelationships.PEER, r.relationships().relation(11, 10));
  }

  @Test
  void tooManyLinksLoadsNothing() {
    String text = "1|2|-1\n1|3|-1\n1|4|-1\n";
    assertThrows(
        AsRelationshipsReader.TooManyLinks.class,
        () ->
            AsRelationshipsReader.read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "t", 2));
  }
}
