package io.routewatch.bgp.mrt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.itadaki.bzip2.BZip2BitInputStream;
import org.itadaki.bzip2.BZip2BlockDecompressor;

/**
 * Cuts a bzip2 stream into independently decodable slices, one per block, without decoding it. Each
 * slice runs from one magic (block 0x314159265359 or end-of-stream 0x177245385090, any bit
 * alignment) to the next, so consecutive slices can be glued back together bit-exactly. Streams the
 * input through a window that holds only the open slice (a compressed block is at most ~1 MB at
 * level 9).
 *
 * <p>Finding a 48-bit pattern at any of 8 bit alignments costs one table look-up per byte: for each
 * alignment the first byte of the file that lies entirely inside the magic is fixed, so a byte that
 * is not one of those 16 values (8 alignments × 2 magics) cannot be such a byte, and only the few
 * candidate positions are compared in full.
 */
final class Bzip2Slicer implements AutoCloseable {
  static final long BLOCK_MAGIC = 0x314159265359L;
  static final long EOS_MAGIC = 0x177245385090L;
  private static final long[] MAGICS = {BLOCK_MAGIC, EOS_MAGIC};

  /** byte value → bit (2 × 8 + (8 − k) % 8) per (magic, offset of that byte's first bit in it). */
  private static final int[] CANDIDATES = new int[256];

  static {
    for (int m = 0; m < 2; m++) {
      for (int d = 0; d < 8; d++) {
        int v = (int) ((MAGICS[m] >>> (40 - d)) & 0xff);
        CANDIDATES[v] |= 1 << (m * 8 + d);
      }
    }
  }

  /** Compressed bits [startBit, startBit + bits); data[0] holds startBit's byte. */
  record Slice(byte[] data, int bitOffset, long startBit, long endBit, boolean tail) {}

  /** One decoded block (or an end-of-stream marker carrying the combined CRC). */
  record Decoded(byte[] data, int length, int crc, boolean endOfStream) {}

  private final InputStream in;
  private byte[] buf = new byte[1 << 20];

  /** Absolute byte offset of buf[0]. */
  private long base;

  private int len;
  private boolean eof;

  /** Next absolute byte to test. */
  private long scan;

  /** Bit position of the magic opening the current slice, −1 before the first. */
  private long open = -1;

  private int level;

  Bzip2Slicer(InputStream in) throws IOException {
    this.in = in;
    fill();
    if (len < 4
        || buf[0] != 'B'
        || buf[1] != 'Z'
        || buf[2] != 'h'
        || buf[3] < '1'
        || buf[3] > '9') {
      throw new IOException("not a bzip2 stream (no BZh1..9 header)");
    }
    level = buf[3] - '0';
    scan = 4;
  }

  /** Block size limit in bytes of the stream being cut (the largest level seen so far). */
  int blockSize() {
    return level * 100_000;
  }

  /** The next slice, or null at the end of the input. */
  Slice next() throws IOException {
    while (true) {
      long p = findMagic();
      if (p < 0) {
        if (open < 0) return null;
        Slice s = cut(open, (base + len) * 8, true);
        open = -1;
        return s;
      }
      if (open < 0) {
        open = p;
        continue;
      }
      Slice s = cut(open, p, false);
      if (magicAt(open) == EOS_MAGIC) readHeaderAfter(open);
      open = p;
      return s;
    }
  }

  /** A concatenated stream (pbzip2, cat a.bz2 b.bz2) may declare another level. */
  private void readHeaderAfter(long eosBit) {
    long h = (eosBit + 80 + 7) >>> 3;
    int i = (int) (h - base);
    if (i >= 0 && i + 4 <= len && buf[i] == 'B' && buf[i + 1] == 'Z' && buf[i + 2] == 'h') {
      int l = buf[i + 3] - '0';
      if (l >= 1 && l <= 9) level = Math.max(level, l);
    }
  }

  private long findMagic() throws IOException {
    while (true) {
      long limit = base + len - (eof ? 0 : 6);
      for (long j = scan; j < limit; j++) {
        int mask = CANDIDATES[buf[(int) (j - base)] & 0xff];
        if (mask == 0) continue;
        // smaller bit positions first: larger d means the magic started d bits before byte j
        for (int d = 7; d >= 0; d--) {
          for (int m = 0; m < 2; m++) {
            if ((mask & (1 << (m * 8 + d))) == 0) continue;
            long p = j * 8 - d;
            if (p <= open || p < base * 8 || p + 48 > (base + len) * 8) continue;
            if (bits48(p) == MAGICS[m]) {
              scan = j + 1;
              return p;
            }
          }
        }
      }
      scan = Math.max(scan, limit);
      if (eof) return -1;
      fill();
    }
  }

  private long magicAt(long p) {
    return bits48(p);
  }

  private long bits48(long p) {
    int i = (int) ((p >>> 3) - base);
    long v = 0;
    for (int k = 0; k < 7 && i + k < len; k++) v = (v << 8) | (buf[i + k] & 0xff);
    int have = Math.min(7, len - i);
    long bitsHave = have * 8L;
    long shift = bitsHave - (p & 7) - 48;
    return shift < 0 ? -1 : (v >>> shift) & ((1L << 48) - 1);
  }

  private Slice cut(long from, long to, boolean tail) {
    int a = (int) ((from >>> 3) - base);
    int b = (int) (((to + 7) >>> 3) - base);
    return new Slice(Arrays.copyOfRange(buf, a, b), (int) (from & 7), from, to, tail);
  }

  /** Drops bytes before the open slice (or before the scan point) and reads more. */
  private void fill() throws IOException {
    long keep = Math.max(base, Math.min(open >= 0 ? open >>> 3 : Long.MAX_VALUE, scan - 1));
    int drop = (int) (keep - base);
    if (drop > 0) {
      System.arraycopy(buf, drop, buf, 0, len - drop);
      len -= drop;
      base = keep;
    }
    if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
    int n = in.readNBytes(buf, len, buf.length - len);
    len += n;
    if (len < buf.length) eof = true;
  }

  String truncatedMessage(long lastBlockBit) {
    long total = base + len;
    if (lastBlockBit < 0) {
      return "bzip2 stream truncated: no end-of-stream marker after the last complete block ("
          + total
          + " bytes read)";
    }
    return "bzip2 stream truncated (no end-of-stream marker): last block at compressed bit "
        + lastBlockBit
        + " is incomplete ("
        + (total - (lastBlockBit >>> 3))
        + " bytes) and was dropped";
  }

  /** Glues b (which starts where a ends) onto a. */
  static Slice merge(Slice a, Slice b) {
    int skip = (b.startBit & 7) != 0 ? 1 : 0; // the byte shared by a's end and b's start
    byte[] d = Arrays.copyOf(a.data, a.data.length + b.data.length - skip);
    System.arraycopy(b.data, skip, d, a.data.length, b.data.length - skip);
    return new Slice(d, a.bitOffset, a.startBit, b.endBit, b.tail);
  }

  /**
   * The most bytes one block can decode to: at most {@code blockSize} bytes before the initial
   * run-length encoding, where 4 equal bytes and a count byte (0..251) stand for a run of up to
   * 255.
   */
  static long maxDecoded(int blockSize) {
    return (long) blockSize / 5 * 255 + 255;
  }

  /** Decodes one slice on any thread; jbzip2 checks the block CRC. */
  static Decoded decode(Slice s, int blockSize) throws IOException {
    BZip2BitInputStream bits = new BZip2BitInputStream(new ByteArrayInputStream(s.data));
    if (s.bitOffset > 0) bits.readBits(s.bitOffset);
    long magic = ((long) bits.readBits(24) << 24) | bits.readBits(24);
    if (magic == EOS_MAGIC) return new Decoded(null, 0, bits.readInteger(), true);
    if (magic != BLOCK_MAGIC) throw new IOException("no bzip2 block magic at bit " + s.startBit);
    BZip2BlockDecompressor block;
    try {
      block = new BZip2BlockDecompressor(bits, blockSize);
    } catch (RuntimeException e) { // garbage tables can index out of bounds
      throw new IOException("damaged bzip2 block at bit " + s.startBit + ": " + e, e);
    }
    long limit = maxDecoded(blockSize);
    byte[] out = new byte[blockSize + (blockSize >>> 3)];
    int n = 0;
    while (true) {
      if (n == out.length) {
        if (n > limit) {
          // jbzip2 keeps producing bytes from some damaged tables; the CRC check comes only at the
          // end, so without this bound one bad block of a few hundred bytes ran out of heap
          throw new IOException(
              "damaged bzip2 block at bit "
                  + s.startBit
                  + ": decodes to more than "
                  + limit
                  + " bytes, the most a block of "
                  + blockSize
                  + " can hold");
        }
        out = Arrays.copyOf(out, (int) Math.min(limit + 1, out.length * 2L));
      }
      int r = block.read(out, n, out.length - n);
      if (r < 0) break;
      n += r;
    }
    return new Decoded(out, n, block.checkCRC(), false);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
