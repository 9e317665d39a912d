package io.routewatch.bgp.mrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routewatch.bgp.TestData;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.text.MrtDump;
import io.routewatch.bgp.wire.ByteReader;
import io.routewatch.bgp.wire.ByteWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MrtWriter} against the oracle: every BGP4MP message and state change of the corpus's
 * update files (the first {@value #SAMPLE} records of each), written again as {@code BGP4MP_ET},
 * reads back in bgpdump 1.6 ({@code bgpdump -m}) exactly as the original does apart from the type
 * and the microseconds, and our {@link MrtDump} of the rewritten file equals bgpdump's.
 */
class MrtWriterTest {
  static final int SAMPLE = 3000;

  @TempDir Path tmp;

  static final Bgp4mpEndpoints V4 =
      new Bgp4mpEndpoints(
          4_200_000_000L, 65000, 0, new byte[] {(byte) 198, 51, 100, 1}, new byte[] {10, 0, 0, 1});

  /** A KEEPALIVE: the smallest message. */
  static byte[] keepalive() {
    byte[] m = new byte[19];
    java.util.Arrays.fill(m, 0, 16, (byte) 0xff);
    m[17] = 19;
    m[18] = 4;
    return m;
  }

  @Test
  void recordLayoutFollowsRfc6396AndRfc8050() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MrtWriter w = new MrtWriter(out);
    w.message(1_445_565_678_509_481L, V4, true, false, keepalive(), 0, 19);
    w.stateChange(1_445_565_678_511_408L, V4, 1, 2);
    byte[] b = out.toByteArray();
    ByteReader r = new ByteReader(b);
    assertEquals(1_445_565_678L, r.u32L());
    assertEquals(MrtType.BGP4MP_ET, r.u16());
    assertEquals(MrtType.MESSAGE_AS4, r.u16());
    assertEquals(
        4 + 4 + 4 + 2 + 2 + 4 + 4 + 19, r.u32L(), "length counts microseconds, not header");
    assertEquals(509_481, r.u32L());
    assertEquals(4_200_000_000L, r.u32L());
    assertEquals(65000, r.u32L());
    assertEquals(0, r.u16());
    assertEquals(1, r.u16(), "AFI");
    assertArrayEquals(new byte[] {(byte) 198, 51, 100, 1}, r.bytes(4));
    assertArrayEquals(new byte[] {10, 0, 0, 1}, r.bytes(4));
    assertArrayEquals(keepalive(), r.bytes(19));
    assertEquals(1_445_565_678L, r.u32L());
    assertEquals(MrtType.BGP4MP_ET, r.u16());
    assertEquals(MrtType.STATE_CHANGE_AS4, r.u16());
    assertEquals(4 + 4 + 4 + 2 + 2 + 4 + 4 + 4, r.u32L());
    r.bytes(4 + 4 + 4 + 2 + 2 + 8);
    assertEquals(1, r.u16());
    assertEquals(2, r.u16());
    assertEquals(0, r.remaining());
    assertEquals(2, w.records());
    assertEquals(b.length, w.bytes());
  }

  @Test
  void twoByteSessionsGetTheTwoByteSubtypeAndAsTrans() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new MrtWriter(out).message(0, V4, false, true, keepalive(), 0, 19);
    ByteReader r = new ByteReader(out.toByteArray());
    r.bytes(4 + 2);
    assertEquals(MrtType.MESSAGE_ADDPATH, r.u16());
    r.bytes(4 + 4);
    assertEquals(23456, r.u16(), "AS above 65535 as AS_TRANS");
    assertEquals(65000, r.u16());
  }

  @Test
  void refusedRecordsLeaveTheStreamAsItWas() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MrtWriter w = new MrtWriter(out);
    byte[] big = new byte[MrtWriter.MAX_MESSAGE + 1];
    assertThrows(
        IllegalArgumentException.class, () -> w.message(0, V4, true, false, big, 0, big.length));
    assertThrows(
        IllegalArgumentException.class, () -> w.message(0, V4, true, false, keepalive(), 0, 18));
    assertThrows(
        IndexOutOfBoundsException.class, () -> w.message(0, V4, true, false, keepalive(), 1, 19));
    assertThrows(IllegalArgumentException.class, () -> w.stateChange(0, V4, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> w.stateChange(-1, V4, 1, 2));
    assertThrows(
        IllegalArgumentException.class, () -> w.stateChange(0x1_0000_0000L * 1_000_000, V4, 1, 2));
    assertEquals(0, out.size());
    assertEquals(0, w.records());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Bgp4mpEndpoints(1, 2, 0, new byte[4], new byte[16]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Bgp4mpEndpoints(1, 2, 0, new byte[5], new byte[5]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Bgp4mpEndpoints(1L << 32, 2, 0, new byte[4], new byte[4]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Bgp4mpEndpoints(1, 2, 70_000, new byte[4], new byte[4]));
  }

  @TestFactory
  Stream<DynamicTest> everyUpdateFileRewrittenReadsTheSameInBgpdump() throws IOException {
    assumeTrue(TestData.available(), "shared data not found at " + TestData.mrt());
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : TestData.mrtFilesWithReference()) {
      tests.add(
          DynamicTest.dynamicTest(
              TestData.mrt().relativize(f).toString(), () -> rewriteAndCompare(f)));
    }
    return tests.stream();
  }

  void rewriteAndCompare(Path file) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "rewrite-");
    Path original = dir.resolve("original.mrt");
    Path rewritten = dir.resolve("rewritten.mrt");
    int messages = 0, states = 0;
    try (MrtReader in = MrtReader.open(file, MrtReader.Mode.LENIENT);
        OutputStream orig = Files.newOutputStream(original);
        OutputStream re = Files.newOutputStream(rewritten)) {
      MrtWriter w = new MrtWriter(re);
      int seen = 0;
      for (MrtRecord rec : in) {
        if (++seen > SAMPLE) {
          break;
        }
        if (!MrtType.isBgp4mp(rec.type())) {
          continue;
        }
        long micros = rec.timestamp() * 1_000_000 + rec.microseconds();
        int st = rec.subtype();
        if (MrtType.isBgp4mpMessage(st) && !MrtType.bgp4mpLocal(st)) {
          Bgp4mpMessage m;
          try {
            m = Bgp4mpMessage.of(rec);
          } catch (DecodeException e) {
            continue; // an AFI the writer has no address size for: nothing to carry
          }
          if (m.msgLength() < MrtWriter.MIN_MESSAGE) {
            continue;
          }
          w.message(
              micros,
              new Bgp4mpEndpoints(m.peerAs(), m.localAs(), m.ifIndex(), m.peerIp(), m.localIp()),
              m.as4(),
              m.addPath(),
              m.raw(),
              m.msgOffset(),
              m.msgLength());
          messages++;
        } else if (st == MrtType.STATE_CHANGE_AS4
            || (st == MrtType.STATE_CHANGE && rec.body().length >= 2 + 2 + 2 + 2 + 8 + 4)) {
          ByteReader b = new ByteReader(rec.body());
          boolean as4 = st == MrtType.STATE_CHANGE_AS4;
          long peerAs = as4 ? b.u32L() : b.u16();
          long localAs = as4 ? b.u32L() : b.u16();
          int ifIndex = b.u16();
          int afi = b.u16();
          if (afi != 1 && afi != 2) {
            continue;
          }
          int n = afi == 1 ? 4 : 16;
          Bgp4mpEndpoints e = new Bgp4mpEndpoints(peerAs, localAs, ifIndex, b.bytes(n), b.bytes(n));
          int from = b.u16();
          int to = b.u16();
          if (from < 1 || from > 6 || to < 1 || to > 6) {
            continue;
          }
          w.stateChange(micros, e, from, to);
          states++;
        } else {
          continue;
        }
        writeRaw(orig, rec);
      }
    }
    if (messages + states == 0) {
      return; // a RIB file: nothing of BGP4MP to rewrite
    }
    // the oracle reads the rewritten records as it reads the originals
    List<String> after = bgpdump(rewritten);
    assertSameApartFromTypeAndTime(file + " bgpdump", bgpdump(original), after);
    // and so do we
    List<String> ours = new ArrayList<>();
    int problems = ourDump(rewritten, ours);
    List<String> theirs = new ArrayList<>();
    assertEquals(ourDump(original, theirs), problems, file + ": records our reader reports");
    assertSameApartFromTypeAndTime(file + " MrtDump", theirs, ours);
    System.out.printf(
        "MRT-WRITE %-60s messages=%d states=%d lines=%d%n",
        TestData.mrt().relativize(file), messages, states, ours.size());
  }

  /**
   * Line for line equal, except that the rewritten line says BGP4MP_ET (or BGP4MP_ET_AP) where the
   * original said BGP4MP (BGP4MP_AP) and its time has the microseconds (".000000" when the original
   * had none).
   */
  static void assertSameApartFromTypeAndTime(String what, List<String> before, List<String> after) {
    assertEquals(before.size(), after.size(), what + ": lines");
    for (int i = 0; i < before.size(); i++) {
      String[] b = before.get(i).split("\\|", 3);
      String[] a = after.get(i).split("\\|", 3);
      String type = b[0].startsWith("BGP4MP_ET") ? b[0] : b[0].replace("BGP4MP", "BGP4MP_ET");
      assertEquals(type, a[0], what + " line " + (i + 1));
      String seconds = b[1].contains(".") ? b[1] : b[1] + ".000000";
      assertEquals(seconds, a[1], what + " line " + (i + 1) + " time");
      assertEquals(b[2], a[2], what + " line " + (i + 1));
    }
  }

  /** Our bgpdump -m text of {@code mrt} into {@code lines}; returns the problems reported. */
  static int ourDump(Path mrt, List<String> lines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MrtDump.Result result = MrtDump.dump(mrt, out);
    lines.addAll(new String(out.toByteArray(), StandardCharsets.ISO_8859_1).lines().toList());
    return result.problems().size();
  }

  /** The record as it was in the file: common header (+ microseconds for _ET) and body. */
  static void writeRaw(OutputStream out, MrtRecord rec) throws IOException {
    boolean et = rec.type() == MrtType.BGP4MP_ET;
    ByteWriter w = new ByteWriter(rec.body().length + 16);
    w.u32((int) rec.timestamp()).u16(rec.type()).u16(rec.subtype());
    w.u32(rec.body().length + (et ? 4 : 0));
    if (et) {
      w.u32(rec.microseconds());
    }
    w.bytes(rec.body());
    w.writeTo(out);
  }

  static List<String> bgpdump(Path mrt) throws Exception {
    Path out = mrt.resolveSibling(mrt.getFileName() + ".txt");
    Process p =
        new ProcessBuilder("bgpdump", "-m", "-O", out.toString(), mrt.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bgpdump did not finish on " + mrt);
    assertEquals(0, p.exitValue(), "bgpdump exit on " + mrt);
    return Files.readAllLines(out, StandardCharsets.ISO_8859_1);
  }
}
