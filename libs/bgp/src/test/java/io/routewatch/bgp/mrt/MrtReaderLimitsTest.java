package io.routewatch.bgp.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routewatch.bgp.TestData;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.error.DecodeProblem.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The reader's bound on the record length ({@link MrtReader#maxRecordBytes()}) and framing errors
 * that do not echo the bytes of a file that is not MRT.
 */
class MrtReaderLimitsTest {

  /**
   * A decompression bomb: a BGP4MP header declaring 2 GiB - 32 bytes, then 64 MiB of zeros: 65 KiB
   * of gzip. Without the bound the reader read all 64 MiB into a growing array (and, had the zeros
   * gone on, 2 GiB).
   */
  static byte[] bomb(long zeros) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      ByteBuffer h = ByteBuffer.allocate(12);
      h.putInt(1_000_000_000)
          .putShort((short) MrtType.BGP4MP)
          .putShort((short) MrtType.MESSAGE_AS4);
      h.putInt(Integer.MAX_VALUE - 32); // declared body length
      gz.write(h.array());
      byte[] block = new byte[1 << 20];
      for (long n = 0; n < zeros; n += block.length) gz.write(block);
    }
    return out.toByteArray();
  }

  @Test
  void aRecordBeyondTheLimitStopsBeforeAnythingIsRead() throws Exception {
    byte[] gz = bomb(64L << 20);
    assertTrue(gz.length < 1 << 20, "bomb is " + gz.length + " bytes");
    MrtReader r = MrtReader.open(new ByteArrayInputStream(gz), "bomb.gz", MrtReader.Mode.LENIENT);
    assertEquals(MrtReader.DEFAULT_MAX_RECORD_BYTES, r.maxRecordBytes());
    assertFalse(r.hasNext());
    assertEquals(12, r.offset(), "nothing read past the header");
    assertEquals(1, r.oversizedRecords());
    List<DecodeProblem> p = r.problems();
    assertEquals(1, p.size(), p.toString());
    assertEquals(1, p.get(0).recordNumber());
    assertEquals(0, p.get(0).byteOffset());
    assertEquals(Outcome.STOPPED, p.get(0).outcome());
    assertTrue(p.get(0).what().contains("beyond 16777216 bytes"), p.get(0).what());
    assertFalse(p.get(0).what().contains(Long.toString(Integer.MAX_VALUE - 32)), p.get(0).what());
  }

  @Test
  void strictModeThrowsTheLocatedError() throws Exception {
    MrtReader r =
        MrtReader.open(new ByteArrayInputStream(bomb(1 << 20)), "bomb.gz", MrtReader.Mode.STRICT);
    DecodeException e = assertThrows(DecodeException.class, r::hasNext);
    assertEquals(1, e.recordNumber());
    assertEquals(0, e.byteOffset());
    assertEquals(1, r.oversizedRecords());
  }

  /**
   * updates.20020722.2238.gz (RIPE, 1121 records, 72,979 bytes decompressed; measured with an
   * independent Python header walker): the first body over 64 bytes is record 10 (111 bytes, BGP4MP
   * MESSAGE) at byte 408, the longest is 883 bytes.
   */
  @Test
  void theLimitIsTheCallersChoice() throws Exception {
    assumeTrue(TestData.available());
    var file = TestData.mrt("ripe-bgpdump/updates.20020722.2238.gz");
    MrtReader small = MrtReader.open(Files.newInputStream(file), "f", MrtReader.Mode.LENIENT, 64);
    long n = 0;
    while (small.hasNext()) {
      small.next();
      n++;
    }
    assertEquals(9, n);
    assertEquals(1, small.oversizedRecords());
    assertEquals(10, small.problems().get(0).recordNumber());
    assertEquals(408, small.problems().get(0).byteOffset());

    MrtReader exact = MrtReader.open(Files.newInputStream(file), "f", MrtReader.Mode.LENIENT, 883);
    n = 0;
    while (exact.hasNext()) {
      exact.next();
      n++;
    }
    assertEquals(1121, n, exact.problems().toString());
    assertEquals(0, exact.oversizedRecords());
    assertEquals(72_979, exact.offset());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MrtReader(new ByteArrayInputStream(new byte[0]), "f", MrtReader.Mode.LENIENT, -1));
  }

  /** A text file: bytes 8-11 "0:ro" used to come back as "declared 808596024 body bytes". */
  @Test
  void aTextFileIsNotEchoed() throws Exception {
    byte[] passwd = "root:x:0:0:root:/root:/bin/bash\n".getBytes(StandardCharsets.US_ASCII);
    MrtReader r =
        MrtReader.open(new ByteArrayInputStream(passwd), "passwd", MrtReader.Mode.LENIENT);
    assertFalse(r.hasNext());
    String what = r.problems().get(0).what();
    assertTrue(what.startsWith("not an MRT record header"), what);
    assertFalse(what.contains("808596024"), what);
    assertFalse(what.contains(Integer.toString(0x3a78)), what); // bytes 4-5 ":x" as a type code
  }

  /**
   * A binary non-MRT file whose bytes 8-11 are a small length: the truncation is reported without
   * the declared length or the (undefined) type code; a framed record of an undefined type is
   * skipped without quoting its code.
   */
  @Test
  void undefinedTypesAndDeclaredLengthsAreNotQuoted() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(12 + 20);
    b.putInt(0x11223344).putShort((short) 0x4142).putShort((short) 0x4344).putInt(1000);
    MrtReader r = MrtReader.open(new ByteArrayInputStream(b.array()), "x", MrtReader.Mode.LENIENT);
    assertFalse(r.hasNext());
    String what = r.problems().get(0).what();
    assertEquals(
        "truncated MRT record of an undefined type: the stream ended 20 bytes into its body (RFC 6396 §2)",
        what);

    ByteBuffer whole = ByteBuffer.allocate(12 + 4);
    whole.putInt(0x11223344).putShort((short) 0x4142).putShort((short) 0x4344).putInt(4).putInt(7);
    MrtRouteReader rr =
        MrtRouteReader.open(new ByteArrayInputStream(whole.array()), "y", MrtReader.Mode.LENIENT);
    assertEquals(0, rr.readAll(rec -> {}));
    assertEquals(1, rr.records().skippedCount());
    String skipped = rr.problems().get(0).what();
    assertTrue(skipped.contains("an MRT type RFC 6396 does not define"), skipped);
    assertFalse(
        skipped.contains(Integer.toString(0x4142)) || skipped.contains(Integer.toString(0x4344)),
        skipped);
  }
}
