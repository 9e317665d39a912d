package io.routewatch.bgp.mrt;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a truncated bzip2 file decodable up to its last complete block, in one streaming pass. A
 * bzip2 stream is a sequence of blocks, each starting with the 48-bit magic 0x314159265359 followed
 * by the block CRC, and ends with 0x177245385090 plus the combined CRC (bit-aligned, not
 * byte-aligned). {@link #feed} copies the file block by block as {@link Bzip2Slicer} finds the
 * magics (so the consumer, lbzip2, works while the file is read); if the file ends inside a block,
 * that block is dropped and a fresh end marker is appended whose combined CRC is rebuilt from the
 * CRCs of the kept blocks (combined = rotl1(combined) ^ blockCrc). Memory: one compressed block.
 */
final class Bzip2Repair {
  private static final int HEADER_BITS = 32; // "BZh" + level digit

  private Bzip2Repair() {}

  /** Whether the file ends with an end-of-stream marker (checks the last 16 bytes only). */
  static boolean endsWithEos(Path file) throws IOException {
    long size = Files.size(file);
    if (size < 14) return false;
    byte[] tail = new byte[16];
    int n = (int) Math.min(16, size);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(size - n);
      raf.readFully(tail, 16 - n, n);
    }
    for (int pad = 0; pad < 8; pad++) {
      if (bits(tail, 16 * 8 - 80 - pad, 48) == Bzip2Slicer.EOS_MAGIC) return true;
    }
    return false;
  }

  /**
   * Streams the file to out, cutting a truncated last block and closing the stream with a valid end
   * marker. Returns the truncation message, or null when the stream ended properly.
   */
  static String feed(Path file, OutputStream out) throws IOException {
    try (Bzip2Slicer s = new Bzip2Slicer(Files.newInputStream(file))) {
      Bzip2Slicer.Slice sl = s.next();
      if (sl == null || sl.startBit() != HEADER_BITS) {
        throw new IOException("bzip2 stream without a block right after its header");
      }
      out.write(new byte[] {'B', 'Z', 'h', (byte) ('0' + s.blockSize() / 100_000)});
      int combined = 0;
      for (; sl != null; sl = s.next()) {
        boolean eos = bits(sl.data(), sl.bitOffset(), 48) == Bzip2Slicer.EOS_MAGIC;
        if (!sl.tail()) {
          // the byte holding the next magic's first bits is written with the next slice
          out.write(sl.data(), 0, (int) ((sl.endBit() >>> 3) - (sl.startBit() >>> 3)));
          combined =
              eos
                  ? 0
                  : Integer.rotateLeft(combined, 1)
                      ^ (int) bits(sl.data(), sl.bitOffset() + 48, 32);
        } else if (eos) {
          out.write(sl.data());
          return null;
        } else {
          writeEnd(out, sl.data()[0], sl.bitOffset(), combined);
          return s.truncatedMessage(sl.startBit());
        }
      }
      throw new IOException("bzip2 slicer ended without a tail slice"); // not reached
    }
  }

  /** The kept high bits of the cut byte, then the end-of-stream magic and combined CRC. */
  private static void writeEnd(OutputStream out, byte cutByte, int keptBits, int combinedCrc)
      throws IOException {
    byte[] end = new byte[11];
    end[0] = (byte) (keptBits == 0 ? 0 : cutByte & (0xff << (8 - keptBits)));
    putBits(end, keptBits, 48, Bzip2Slicer.EOS_MAGIC);
    putBits(end, keptBits + 48, 32, combinedCrc & 0xffffffffL);
    out.write(end, 0, (keptBits + 80 + 7) >>> 3);
  }

  static long bits(byte[] d, long start, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      long b = start + i;
      v = (v << 1) | ((d[(int) (b >>> 3)] >>> (7 - (b & 7))) & 1);
    }
    return v;
  }

  private static void putBits(byte[] d, long start, int n, long v) {
    for (int i = 0; i < n; i++) {
      long b = start + i;
      if (((v >>> (n - 1 - i)) & 1) != 0) d[(int) (b >>> 3)] |= (byte) (0x80 >>> (b & 7));
    }
  }
}
