package io.routewatch.bgp.pcap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Classic libpcap file format (draft-ietf-opsawg-pcap): 24-byte file header, then 16-byte record
 * headers. Both byte orders, microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d) magic.
 */
final class PcapReader implements CaptureReader {
  private static final int MAGIC_USEC = 0xa1b2c3d4;
  private static final int MAGIC_NSEC = 0xa1b23c4d;

  private final InputStream in;
  private final boolean bigEndian;
  private final boolean nanos;
  private final int linkType;
  private long offset;
  private long frameNumber;

  static boolean isMagic(int be) {
    return be == MAGIC_USEC
        || be == MAGIC_NSEC
        || be == Integer.reverseBytes(MAGIC_USEC)
        || be == Integer.reverseBytes(MAGIC_NSEC);
  }

  PcapReader(InputStream in, int magicBigEndian) throws IOException {
    this.in = in;
    this.bigEndian = magicBigEndian == MAGIC_USEC || magicBigEndian == MAGIC_NSEC;
    this.nanos = magicBigEndian == MAGIC_NSEC || magicBigEndian == Integer.reverseBytes(MAGIC_NSEC);
    byte[] rest = read(20, "file header");
    if (rest == null) {
      throw new CaptureException("pcap file header truncated", 4, 0);
    }
    // draft-ietf-opsawg-pcap §4: LinkType in the low 28 bits of the last header word (FCS bits
    // above).
    this.linkType = (int) (StreamInput.u32(rest, 16, bigEndian) & 0x0fffffff);
    this.offset = 24;
  }

  @Override
  public CaptureFrame next() throws IOException {
    long recordOffset = offset;
    byte[] h = read(16, "record header");
    if (h == null) {
      return null;
    }
    long seconds = StreamInput.u32(h, 0, bigEndian);
    long fraction = StreamInput.u32(h, 4, bigEndian);
    long capLen = StreamInput.u32(h, 8, bigEndian);
    long origLen = StreamInput.u32(h, 12, bigEndian);
    if (capLen > MAX_RECORD) {
      throw new CaptureException(
          "pcap record captured length " + capLen + " exceeds " + MAX_RECORD,
          recordOffset,
          frameNumber);
    }
    byte[] data = read((int) capLen, "record data");
    if (data == null && capLen > 0) {
      throw new CaptureException("pcap record data missing", recordOffset, frameNumber);
    }
    offset += 16 + capLen;
    frameNumber++;
    long ts = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1_000L);
    return new CaptureFrame(
        frameNumber,
        ts,
        linkType,
        data == null ? new byte[0] : data,
        (int) Math.min(Integer.MAX_VALUE, origLen));
  }

  private byte[] read(int n, String what) throws IOException {
    if (n == 0) {
      return new byte[0];
    }
    try {
      return StreamInput.readFully(in, n);
    } catch (EOFException e) {
      throw new CaptureException("pcap " + what + " truncated", offset, frameNumber);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
