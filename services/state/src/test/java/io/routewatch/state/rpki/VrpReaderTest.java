package io.routewatch.state.rpki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.rib.TestData;
import io.routewatch.state.route.Prefix;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each format from the real exports in ../shared/data/incidents/rpki (MANIFEST.md section 3). */
class VrpReaderTest {
  private static final VrpReader.Limits LIMITS = new VrpReader.Limits(256L << 20, 3_000_000);
  private static final String RPKI = "incidents/rpki/";

  private static VrpReader.Result file(String name) throws Exception {
    return VrpReader.read(TestData.file(RPKI + name), LIMITS);
  }

  private static VrpReader.Result text(String s, VrpReader.Limits limits) throws Exception {
    return VrpReader.read(
        new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), "test-input", limits);
  }

  private static VrpReader.Result text(String s) throws Exception {
    return text(s, LIMITS);
  }

  private static Vrp vrp(String prefix, int max, long asn) {
    return new Vrp(Prefix.parse(prefix), max, asn);
  }

  @Test
  void rpkiClient2021Excerpt() throws Exception {
    VrpReader.Result r = file("jeffsw-rpkilog/roa_test.rpkiclient2021_json");
    assertEquals("json", r.format());
    assertEquals(70, r.vrps().size());
    assertEquals(0, r.rejected(), r.problems().toString());
    assertEquals(vrp("1.0.0.0/24", 24, 13335), r.vrps().get(0));
    assertTrue(r.vrps().contains(vrp("1.1.1.0/24", 24, 13335)));
  }

  @Test
  void rpkiClient2023ExcerptSkipsAspas() throws Exception {
    VrpReader.Result r = file("jeffsw-rpkilog/roa_test.rpkiclient2023_json");
    assertEquals(379, r.vrps().size());
    assertEquals(0, r.rejected(), r.problems().toString());
    assertEquals("2c0f:ffd8::/32", r.vrps().get(378).prefix().toString());
  }

  @Test
  void routinatorJsonext() throws Exception {
    VrpReader.Result r = file("jeffsw-rpkilog/roa_test.routinator_jsonext");
    assertEquals(
        List.of(vrp("1.0.0.0/24", 24, 13335), vrp("2c0f:fff0::/32", 128, 37125)), r.vrps());
    assertEquals(0, r.rejected());
  }

  @Test
  void fortRtrclientExport() throws Exception {
    VrpReader.Result r = file("fort-rtrclient-20200217/roa.csv");
    assertEquals("rtrclient-csv", r.format());
    assertEquals(0, r.rejected(), r.problems().toString());
    assertEquals(130_043, r.vrps().size());
    assertEquals(111_359, r.vrps().stream().filter(v -> v.prefix().isIpv4()).count());
    assertEquals(154, r.vrps().stream().filter(v -> v.asn() == 0).count());
    assertEquals(vrp("1.120.0.0/13", 13, 1221), r.vrps().get(0));
    assertTrue(r.vrps().contains(vrp("104.16.0.0/20", 20, 13335)));
    // line 60969 "130.137.103.0, 24, 24, -6": rtrclient's signed print of AS4294967290
    assertTrue(r.vrps().contains(vrp("130.137.103.0/24", 24, 4_294_967_290L)));
    assertTrue(r.vrps().contains(vrp("185.168.163.0/24", 24, 4_214_120_002L)));
    VrpTable t = VrpTable.of(r.vrps());
    assertEquals(130_043, t.size()); // MANIFEST: all unique
    assertEquals(18_684, t.ipv6Size());
  }

  @Test
  void ripeArchiveCsvWithUriColumn() throws Exception {
    VrpReader.Result r = file("ripe-archive-afrinic-20220102/roas.csv");
    assertEquals("csv", r.format());
    assertEquals(0, r.rejected(), r.problems().toString());
    assertEquals(4_372, r.vrps().size());
    assertEquals(365, r.vrps().stream().filter(v -> !v.prefix().isIpv4()).count());
    assertEquals(23, r.vrps().stream().filter(v -> v.asn() == 0).count());
    Set<Long> asns = new HashSet<>();
    r.vrps().forEach(v -> asns.add(v.asn()));
    assertEquals(529, asns.size());
    assertEquals(vrp("2001:43f8::/48", 128, 0), r.vrps().get(0));
  }

  @Test
  void routinatorCsvHeader() throws Exception {
    VrpReader.Result r =
        text(
            "ASN,IP Prefix,Max Length,Trust Anchor\nAS13335,1.1.1.0/24,24,apnic\n"
                + "AS4200000000,2001:db8::/32,48,ripe\n");
    assertEquals(
        List.of(vrp("1.1.1.0/24", 24, 13335), vrp("2001:db8::/32", 48, 4_200_000_000L)), r.vrps());
  }

  @Test
  void badJsonRowsAreCountedAndSkipped() throws Exception {
    VrpReader.Result r =
        text(
            "{\"metadata\":{\"x\":[1,{\"y\":2}]},\"roas\":[\n"
                + "{\"asn\":13335,\"prefix\":\"1.1.1.0/24\",\"maxLength\":24},\n"
                + "{\"asn\":\"ASX\",\"prefix\":\"1.1.1.0/24\",\"maxLength\":24},\n"
                + "{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"maxLength\":23},\n"
                + "{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"maxLength\":33},\n"
                + "{\"asn\":1,\"prefix\":\"2001:db8::/32\",\"maxLength\":129},\n"
                + "{\"asn\":1,\"prefix\":\"1.1.1.300/24\",\"maxLength\":24},\n"
                + "{\"asn\":4294967296,\"prefix\":\"1.1.1.0/24\",\"maxLength\":24},\n"
                + "{\"prefix\":\"1.1.1.0/24\",\"maxLength\":24},\n"
                + "[1,2],\n"
                + "{\"asn\":\"AS2\",\"prefix\":\"2.0.0.0/8\",\"maxLength\":\"9\",\"source\":[{\"a\":1}]}\n"
                + "]}");
    assertEquals(List.of(vrp("1.1.1.0/24", 24, 13335), vrp("2.0.0.0/8", 9, 2)), r.vrps());
    assertEquals(8, r.rejected());
    List<String> p = r.problems();
    assertEquals("test-input: roas[1] (line 3): bad ASN 'ASX'", p.get(0));
    assertTrue(
        p.get(1).startsWith("test-input: roas[2] (line 4): maxLength 23 outside 24..32"), p.get(1));
    assertTrue(p.get(2).contains("roas[3]") && p.get(2).contains("maxLength 33"), p.get(2));
    assertTrue(
        p.get(3).contains("roas[4]") && p.get(3).contains("maxLength 129 outside 32..128"),
        p.get(3));
    assertTrue(p.get(4).contains("roas[5]") && p.get(4).contains("bad prefix"), p.get(4));
    assertTrue(p.get(5).contains("roas[6]") && p.get(5).contains("bad ASN"), p.get(5));
    assertEquals("test-input: roas[7] (line 9): missing asn", p.get(6));
    assertTrue(p.get(7).contains("roas[8]") && p.get(7).contains("not an object"), p.get(7));
  }

  @Test
  void badCsvRowsAreCountedWithTheirLine() throws Exception {
    VrpReader.Result r =
        text(
            "1.1.1.0, 24, 24, 13335\n\n10.0.0.0, 8, 7, 1\nfoo, 8, 8, 1\n10.0.0.0, 8, 8\n"
                + "10.0.0.0, 8, 8, AS64500\n10.0.0.0, 8, 8, -2147483649\n \n");
    assertEquals(List.of(vrp("1.1.1.0/24", 24, 13335), vrp("10.0.0.0/8", 8, 64500)), r.vrps());
    assertEquals(4, r.rejected());
    assertTrue(r.problems().get(3).startsWith("test-input: line 7: bad ASN"), r.problems().get(3));
    assertTrue(
        r.problems().get(0).startsWith("test-input: line 3: maxLength 7"), r.problems().get(0));
    assertTrue(
        r.problems().get(1).startsWith("test-input: line 4: bad prefix"), r.problems().get(1));
    assertTrue(r.problems().get(2).startsWith("test-input: line 5: 3 fields"), r.problems().get(2));
  }

  @Test
  void fatalErrorsNameTheSource() {
    VrpFormatException e =
        assertThrows(VrpFormatException.class, () -> text("{\"roas\":[{\"asn\":1,\n\"prefix\":"));
    assertTrue(e.getMessage().startsWith("test-input: "), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    e = assertThrows(VrpFormatException.class, () -> text("{\"metadata\":{}}"));
    assertEquals("test-input: no \"roas\" array", e.getMessage());
    e = assertThrows(VrpFormatException.class, () -> text("hello,world\n"));
    assertTrue(e.getMessage().startsWith("test-input: line 1: neither JSON"), e.getMessage());
    e = assertThrows(VrpFormatException.class, () -> text("  \n"));
    assertTrue(e.getMessage().startsWith("test-input: "), e.getMessage());
  }

  @Test
  void sizeAndCountCaps() {
    String three = "1.0.0.0, 8, 8, 1\n2.0.0.0, 8, 8, 1\n3.0.0.0, 8, 8, 1\n";
    VrpFormatException e =
        assertThrows(VrpFormatException.class, () -> text(three, new VrpReader.Limits(1 << 20, 2)));
    assertEquals("test-input: line 3: more than 2 VRPs", e.getMessage());
    Exception big = assertThrows(Exception.class, () -> text(three, new VrpReader.Limits(20, 100)));
    assertTrue(big.getMessage().contains("larger than 20 bytes"), big.getMessage());
  }

  @Test
  void leavesTheCallersStreamOpen() throws Exception {
    boolean[] closed = {false};
    ByteArrayInputStream in =
        new ByteArrayInputStream(
            "{\"roas\":[{\"asn\":1,\"prefix\":\"1.0.0.0/8\",\"maxLength\":8}]}"
                .getBytes(StandardCharsets.UTF_8)) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    assertEquals(1, VrpReader.read(in, "test-input", LIMITS).vrps().size());
    assertEquals(false, closed[0]);
  }

  @Test
  void gzipFileByName() throws Exception {
    Path tmp = java.nio.file.Files.createTempFile("vrps", ".csv.gz");
    try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(tmp))) {
      out.write("ASN,IP Prefix,Max Length\n13335,1.1.1.0/24,24\n".getBytes(StandardCharsets.UTF_8));
    }
    try {
      assertEquals(List.of(vrp("1.1.1.0/24", 24, 13335)), VrpReader.read(tmp, LIMITS).vrps());
    } finally {
      java.nio.file.Files.delete(tmp);
    }
  }
}
