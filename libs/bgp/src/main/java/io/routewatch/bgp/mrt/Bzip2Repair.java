package io.routewatch.bgp.mrt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a truncated bzip2 file decodable up to its last complete block. A bzip2 stream is a
 * sequence of blocks, each starting with the 48-bit magic 0x314159265359 followed by the block
 * CRC, and ends with 0x177245385090 plus the combined CRC (bit-aligned, not byte-aligned). If no
 * end marker sits at the end of the file, the file is cut at the last block magic and a fresh end
 * marker is appended whose combined CRC is rebuilt from the CRCs of the kept blocks
 * (combined = rotl1(combined) ^ blockCrc). Everything streams: memory stays constant.
 */
final class Bzip2Repair {
  private static final long BLOCK_MAGIC = 0x314159265359L;
  private static final long EOS_MAGIC = 0x177245385090L;
  private static final long MASK48 = (1L << 48) - 1;

  /** Where to cut and what to append. */
  record Plan(long keepBits, int combinedCrc, long fileBytes) {
    String message() {
      return "bzip2 stream truncated (no end-of-stream marker): last block at compressed bit "
          + keepBits + " is incomplete (" + (fileBytes - (keepBits >>> 3)) + " bytes) and was dropped";
    }
  }

  private Bzip2Repair() {}

  /** null when the file ends with an end-of-stream marker or cannot be repaired this way. */
  static Plan planIfTruncated(Path file) throws IOException {
    long size = Files.size(file);
    if (size < 14) return null;
    byte[] tail = new byte[16];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(size - 16 < 0 ? 0 : size - 16);
      raf.readFully(tail, 0, (int) Math.min(16, size));
    }
    long tailBits = 16 * 8;
    for (int pad = 0; pad < 8; pad++) {
      if (bits(tail, tailBits - 80 - pad, 48) == EOS_MAGIC) return null;
    }
    long lastBlock = -1;
    int combined = 0;
    long reg = 0;
    long bytePos = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++, bytePos++) {
          reg = (reg << 8) | (buf[i] & 0xff);
          if (bytePos < 6) continue;
          // the 48-bit magics may start at any bit: test the 8 alignments ending in this byte
          for (int k = 7; k >= 0; k--) {
            long w = (reg >>> k) & MASK48;
            if (w == BLOCK_MAGIC) {
              long start = bytePos * 8 + 8 - k - 48;
              if (lastBlock >= 0) combined = Integer.rotateLeft(combined, 1) ^ crcAfter(file, lastBlock);
              lastBlock = start;
            } else if (w == EOS_MAGIC) {
              lastBlock = -1; // a complete stream ended; a concatenated one may follow
              combined = 0;
            }
          }
        }
      }
    }
    return lastBlock < 0 ? null : new Plan(lastBlock, combined, size);
  }

  private static int crcAfter(Path file, long magicBit) throws IOException {
    byte[] b = new byte[12];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(magicBit >>> 3);
      raf.read(b);
    }
    return (int) bits(b, (magicBit & 7) + 48, 32);
  }

  /** Streams the kept part of the file and a new end-of-stream marker to out. */
  static void write(Path file, Plan plan, OutputStream out) throws IOException {
    long fullBytes = plan.keepBits >>> 3;
    int partialBits = (int) (plan.keepBits & 7);
    int lastByte = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      long left = fullBytes;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) throw new IOException("file shrank while reading");
        out.write(buf, 0, n);
        left -= n;
      }
      if (partialBits != 0) lastByte = in.read() & (0xff << (8 - partialBits));
    }
    byte[] end = new byte[11];
    end[0] = (byte) lastByte;
    putBits(end, partialBits, 48, EOS_MAGIC);
    putBits(end, partialBits + 48, 32, plan.combinedCrc & 0xffffffffL);
    out.write(end, 0, (partialBits + 80 + 7) >>> 3);
  }

  private static long bits(byte[] d, long start, int n) {
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
