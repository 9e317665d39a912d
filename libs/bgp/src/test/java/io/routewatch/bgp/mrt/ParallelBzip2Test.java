package io.routewatch.bgp.mrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.itadaki.bzip2.BZip2InputStream;
import org.itadaki.bzip2.BZip2OutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure-Java parallel bzip2 decoder and the one-pass truncation repair, against jbzip2's encoder
 * and serial decoder: multi-block streams (level 1 = 100 kB blocks), concatenated streams of
 * different levels, a stream cut inside a block, and a block glued back from two slices.
 */
class ParallelBzip2Test {
  /** Compressible but not trivial: MRT-like runs of text and numbers. */
  private static byte[] sample(int n, long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++)
      b[i] =
          (byte) (r.nextInt(6) == 0 ? r.nextInt(256) : "0123456789|.:ABCD".charAt(r.nextInt(17)));
    return b;
  }

  private static byte[] bzip2(byte[] data, int level) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BZip2OutputStream z = new BZip2OutputStream(out, level)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] readAll(InputStream in, ByteArrayOutputStream sink) throws IOException {
    byte[] b = new byte[8192];
    int n;
    while ((n = in.read(b)) > 0) sink.write(b, 0, n);
    return sink.toByteArray();
  }

  private static byte[] parallel(byte[] compressed) throws IOException {
    try (InputStream in = new ParallelBzip2InputStream(new ByteArrayInputStream(compressed), 2)) {
      return readAll(in, new ByteArrayOutputStream());
    }
  }

  @Test
  void multiBlockStreamDecodesLikeTheSerialDecoder() throws IOException {
    byte[] data = sample(1_050_000, 1);
    byte[] z = bzip2(data, 1);
    assertArrayEquals(data, parallel(z));
  }

  @Test
  void concatenatedStreamsOfDifferentLevels() throws IOException {
    byte[] a = sample(250_000, 2);
    byte[] b = sample(420_000, 3);
    ByteArrayOutputStream cat = new ByteArrayOutputStream();
    cat.write(bzip2(a, 1));
    cat.write(bzip2(b, 9));
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.write(a);
    want.write(b);
    assertArrayEquals(want.toByteArray(), parallel(cat.toByteArray()));
  }

  @Test
  void truncatedStreamYieldsCompleteBlocksThenNamesTheCut() throws IOException {
    byte[] data = sample(450_000, 4);
    byte[] z = bzip2(data, 1);
    byte[] cut = Arrays.copyOf(z, z.length - 3000); // inside the last (5th) block
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    IOException e;
    try (InputStream in = new ParallelBzip2InputStream(new ByteArrayInputStream(cut), 2)) {
      e = assertThrows(IOException.class, () -> readAll(in, got));
    }
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    byte[] prefix = got.toByteArray();
    assertTrue(prefix.length >= 4 * 90_000, "complete blocks delivered: " + prefix.length);
    assertArrayEquals(Arrays.copyOf(data, prefix.length), prefix);
  }

  @Test
  void repairFeedClosesATruncatedStreamValidly(@TempDir Path dir) throws IOException {
    byte[] data = sample(450_000, 5);
    byte[] z = bzip2(data, 1);
    Path f = dir.resolve("cut.bz2");
    Files.write(f, Arrays.copyOf(z, z.length - 3000));
    assertTrue(!Bzip2Repair.endsWithEos(f));
    ByteArrayOutputStream repaired = new ByteArrayOutputStream();
    String msg = Bzip2Repair.feed(f, repaired);
    assertTrue(msg != null && msg.contains("truncated"), msg);
    // the serial decoder checks every block CRC and the rebuilt combined CRC
    byte[] out =
        readAll(
            new BZip2InputStream(new ByteArrayInputStream(repaired.toByteArray()), false),
            new ByteArrayOutputStream());
    assertArrayEquals(Arrays.copyOf(data, out.length), out);
    assertTrue(out.length >= 4 * 90_000);

    Path whole = dir.resolve("whole.bz2");
    Files.write(whole, z);
    assertTrue(Bzip2Repair.endsWithEos(whole));
  }

  /**
   * Fuzzing found 347 bytes ("BZh4", one damaged block) on which jbzip2's block decoder produced
   * bytes without end: the parallel decoder ran 42 s and out of a 3 GB heap. A block decodes to at
   * most {@link Bzip2Slicer#maxDecoded} bytes; past that it is damaged, and the stream fails there.
   */
  @Test
  void aBlockThatDecodesWithoutEndIsCutAtTheMostABlockCanHold() throws Exception {
    byte[] in;
    try (InputStream r =
        getClass()
            .getResourceAsStream(
                "/io/routewatch/bgp/fuzz/MrtFuzzTestInputs/mrtStream/slow-unit-1b62c7592163d439a025b7dd322c818674f26106")) {
      in = r.readAllBytes();
    }
    assertEquals(45_900_255L, Bzip2Slicer.maxDecoded(900_000)); // 180,000 runs of 255
    IOException e =
        assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(30),
            () ->
                assertThrows(
                    IOException.class,
                    () -> {
                      try (InputStream p =
                          new ParallelBzip2InputStream(new ByteArrayInputStream(in), 2)) {
                        readAll(p, new ByteArrayOutputStream());
                      }
                    }));
    assertTrue(e.getMessage().contains("bzip2"), e.getMessage());
  }

  @Test
  void sliceSplitAtAFalseMagicIsGluedBack() throws IOException {
    byte[] data = sample(90_000, 6);
    Bzip2Slicer s = new Bzip2Slicer(new ByteArrayInputStream(bzip2(data, 1)));
    Bzip2Slicer.Slice block = s.next();
    // cut the block's bits in two at an odd bit, as a false magic inside the data would
    long mid = block.startBit() + 12_345;
    int midByte = (int) ((mid >>> 3) - (block.startBit() >>> 3));
    Bzip2Slicer.Slice a =
        new Bzip2Slicer.Slice(
            Arrays.copyOf(block.data(), midByte + 1),
            block.bitOffset(),
            block.startBit(),
            mid,
            false);
    Bzip2Slicer.Slice b =
        new Bzip2Slicer.Slice(
            Arrays.copyOfRange(block.data(), midByte, block.data().length),
            (int) (mid & 7),
            mid,
            block.endBit(),
            false);
    assertThrows(IOException.class, () -> Bzip2Slicer.decode(a, s.blockSize()));
    Bzip2Slicer.Decoded d = Bzip2Slicer.decode(Bzip2Slicer.merge(a, b), s.blockSize());
    assertEquals(data.length, d.length());
    assertArrayEquals(data, Arrays.copyOf(d.data(), d.length()));
  }
}
