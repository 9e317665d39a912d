package io.routewatch.bgp.pcap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng (draft-ietf-opsawg-pcapng): Section Header, Interface Description, Enhanced / Simple /
 * obsolete Packet Blocks. Other blocks (name resolution, statistics, custom) are skipped. Each
 * section may switch byte order; each interface has its own link type and timestamp resolution.
 */
final class PcapngReader implements CaptureReader {
  static final int SHB_TYPE = 0x0A0D0D0A;
  private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  private static final int IDB = 1;
  private static final int OPB = 2;
  private static final int SPB = 3;
  private static final int EPB = 6;
  private static final int OPT_IF_TSRESOL = 9;
  private static final int OPT_IF_TSOFFSET = 14;

  private record Interface(
      int linkType, int snapLen, long unitsPerSecond, boolean pow2, long offsetSeconds) {}

  private final InputStream in;
  private boolean bigEndian;
  private final List<Interface> interfaces = new ArrayList<>();
  private long offset;
  private long frameNumber;

  PcapngReader(InputStream in, byte[] firstType) throws IOException {
    this.in = in;
    this.offset = 4;
    readSectionHeader(0);
  }

  @Override
  public CaptureFrame next() throws IOException {
    while (true) {
      long blockOffset = offset;
      byte[] typeBytes = readOrNull(4);
      if (typeBytes == null) {
        return null;
      }
      int typeBe = (int) StreamInput.u32(typeBytes, 0, true);
      if (typeBe == SHB_TYPE) {
        readSectionHeader(blockOffset);
        continue;
      }
      int type = (int) StreamInput.u32(typeBytes, 0, bigEndian);
      byte[] body = readBody(blockOffset);
      switch (type) {
        case IDB -> interfaces.add(parseInterface(body));
        case EPB -> {
          return enhancedPacket(body, blockOffset);
        }
        case SPB -> {
          return simplePacket(body, blockOffset);
        }
        case OPB -> {
          return obsoletePacket(body, blockOffset);
        }
        default -> {
          // draft-ietf-opsawg-pcapng §3.1: unknown block types are skipped using their length.
        }
      }
    }
  }

  private void readSectionHeader(long blockOffset) throws IOException {
    byte[] lenAndBom = readExact(8);
    int bom = (int) StreamInput.u32(lenAndBom, 4, true);
    if (bom == BYTE_ORDER_MAGIC) {
      bigEndian = true;
    } else if (bom == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
      bigEndian = false;
    } else {
      throw new CaptureException(
          "pcapng section header has a bad byte-order magic", blockOffset, frameNumber);
    }
    long total = StreamInput.u32(lenAndBom, 0, bigEndian);
    checkLength(total, 28, blockOffset);
    // Skip the rest (version, section length, options, trailing length): 12 bytes read so far.
    readExact((int) total - 12);
    // §4.1: interface ids are local to a section.
    interfaces.clear();
  }

  /** Reads length, body and trailing length of a non-SHB block whose type was already consumed. */
  private byte[] readBody(long blockOffset) throws IOException {
    long total = StreamInput.u32(readExact(4), 0, bigEndian);
    checkLength(total, 12, blockOffset);
    byte[] rest = readExact((int) total - 8);
    return java.util.Arrays.copyOf(rest, rest.length - 4);
  }

  private void checkLength(long total, int min, long blockOffset) throws CaptureException {
    // §3.1: block total length is a multiple of 4 and covers the 12 framing bytes.
    if (total < min || total > MAX_RECORD || (total & 3) != 0) {
      throw new CaptureException(
          "pcapng block length " + total + " is invalid", blockOffset, frameNumber);
    }
  }

  private Interface parseInterface(byte[] b) {
    int linkType = StreamInput.u16(b, 0, bigEndian);
    int snapLen = (int) StreamInput.u32(b, 4, bigEndian);
    long units = 1_000_000L;
    boolean pow2 = false;
    long tsOffset = 0;
    int p = 8;
    while (p + 4 <= b.length) {
      int code = StreamInput.u16(b, p, bigEndian);
      int len = StreamInput.u16(b, p + 2, bigEndian);
      if (code == 0 || p + 4 + len > b.length) {
        break;
      }
      if (code == OPT_IF_TSRESOL && len >= 1) {
        // §4.2 if_tsresol: MSB clear = negative power of 10, set = negative power of 2.
        int v = b[p + 4] & 0xff;
        pow2 = (v & 0x80) != 0;
        int exp = v & 0x7f;
        units = pow2 ? (exp >= 63 ? Long.MAX_VALUE : 1L << exp) : pow10(exp);
      } else if (code == OPT_IF_TSOFFSET && len >= 8) {
        long hi = StreamInput.u32(b, p + 4, bigEndian);
        long lo = StreamInput.u32(b, p + 8, bigEndian);
        tsOffset = bigEndian ? (hi << 32) | lo : (lo << 32) | hi;
      }
      p += 4 + ((len + 3) & ~3);
    }
    return new Interface(linkType, snapLen, units, pow2, tsOffset);
  }

  private static long pow10(int exp) {
    long v = 1;
    for (int i = 0; i < Math.min(exp, 18); i++) {
      v *= 10;
    }
    return v;
  }

  private CaptureFrame enhancedPacket(byte[] b, long blockOffset) throws CaptureException {
    if (b.length < 20) {
      throw new CaptureException(
          "pcapng enhanced packet block too short", blockOffset, frameNumber);
    }
    Interface itf = iface(StreamInput.u32(b, 0, bigEndian), blockOffset);
    long ts = (StreamInput.u32(b, 4, bigEndian) << 32) | StreamInput.u32(b, 8, bigEndian);
    long capLen = StreamInput.u32(b, 12, bigEndian);
    long origLen = StreamInput.u32(b, 16, bigEndian);
    if (capLen > b.length - 20) {
      throw new CaptureException(
          "pcapng packet data runs past its block", blockOffset, frameNumber);
    }
    byte[] data = java.util.Arrays.copyOfRange(b, 20, 20 + (int) capLen);
    return frame(itf, ts, data, origLen);
  }

  private CaptureFrame obsoletePacket(byte[] b, long blockOffset) throws CaptureException {
    if (b.length < 20) {
      throw new CaptureException("pcapng packet block too short", blockOffset, frameNumber);
    }
    Interface itf = iface(StreamInput.u16(b, 0, bigEndian), blockOffset);
    long ts = (StreamInput.u32(b, 4, bigEndian) << 32) | StreamInput.u32(b, 8, bigEndian);
    long capLen = StreamInput.u32(b, 12, bigEndian);
    long origLen = StreamInput.u32(b, 16, bigEndian);
    if (capLen > b.length - 20) {
      throw new CaptureException(
          "pcapng packet data runs past its block", blockOffset, frameNumber);
    }
    return frame(itf, ts, java.util.Arrays.copyOfRange(b, 20, 20 + (int) capLen), origLen);
  }

  private CaptureFrame simplePacket(byte[] b, long blockOffset) throws CaptureException {
    if (b.length < 4) {
      throw new CaptureException("pcapng simple packet block too short", blockOffset, frameNumber);
    }
    // §4.4: the SPB belongs to interface 0 and has no timestamp.
    Interface itf = iface(0, blockOffset);
    long origLen = StreamInput.u32(b, 0, bigEndian);
    long capLen = Math.min(origLen, b.length - 4);
    if (itf.snapLen() > 0) {
      capLen = Math.min(capLen, itf.snapLen());
    }
    byte[] data = java.util.Arrays.copyOfRange(b, 4, 4 + (int) capLen);
    frameNumber++;
    return new CaptureFrame(
        frameNumber, 0, itf.linkType(), data, (int) Math.min(Integer.MAX_VALUE, origLen));
  }

  private CaptureFrame frame(Interface itf, long ticks, byte[] data, long origLen) {
    frameNumber++;
    long secs = Long.divideUnsigned(ticks, itf.unitsPerSecond());
    long rem = Long.remainderUnsigned(ticks, itf.unitsPerSecond());
    long units = itf.unitsPerSecond();
    long nanos;
    if (units == 1_000_000_000L) {
      nanos = rem;
    } else if (!itf.pow2() && units < 1_000_000_000L) {
      nanos = rem * (1_000_000_000L / units);
    } else if (!itf.pow2()) {
      nanos = rem / (units / 1_000_000_000L);
    } else {
      nanos = (long) (rem * (1e9 / units));
    }
    long ts = (secs + itf.offsetSeconds()) * 1_000_000_000L + nanos;
    return new CaptureFrame(
        frameNumber, ts, itf.linkType(), data, (int) Math.min(Integer.MAX_VALUE, origLen));
  }

  private Interface iface(long id, long blockOffset) throws CaptureException {
    if (id < 0 || id >= interfaces.size()) {
      throw new CaptureException(
          "pcapng packet refers to unknown interface " + id, blockOffset, frameNumber);
    }
    return interfaces.get((int) id);
  }

  private byte[] readOrNull(int n) throws IOException {
    try {
      byte[] b = StreamInput.readFully(in, n);
      if (b != null) {
        offset += n;
      }
      return b;
    } catch (EOFException e) {
      throw new CaptureException("pcapng block truncated", offset, frameNumber);
    }
  }

  private byte[] readExact(int n) throws IOException {
    if (n == 0) {
      return new byte[0];
    }
    byte[] b = readOrNull(n);
    if (b == null) {
      throw new CaptureException("pcapng block truncated", offset, frameNumber);
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
