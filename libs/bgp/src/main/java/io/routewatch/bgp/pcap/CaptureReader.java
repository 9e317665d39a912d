package io.routewatch.bgp.pcap;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streaming reader of capture frames, for both the classic pcap format and pcapng. Frames come out
 * in file order; {@link #next()} returns {@code null} at a clean end of file.
 */
public interface CaptureReader extends Closeable {

  /** Largest record or block accepted; anything bigger is a corrupt length field. */
  int MAX_RECORD = 16 * 1024 * 1024;

  /** The next frame, or {@code null} at end of file. */
  CaptureFrame next() throws IOException;

  /** Opens a file, detecting pcap (any byte order, micro- or nanosecond) or pcapng by its magic. */
  static CaptureReader open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      return open(in);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Opens a stream, detecting the format by its first four bytes. The reader owns the stream. */
  static CaptureReader open(InputStream in) throws IOException {
    byte[] magic = StreamInput.readFully(in, 4);
    if (magic == null) {
      throw new CaptureException("empty capture file", 0, 0);
    }
    int be =
        ((magic[0] & 0xff) << 24)
            | ((magic[1] & 0xff) << 16)
            | ((magic[2] & 0xff) << 8)
            | (magic[3] & 0xff);
    if (be == PcapngReader.SHB_TYPE) {
      return new PcapngReader(in, magic);
    }
    if (PcapReader.isMagic(be)) {
      return new PcapReader(in, be);
    }
    throw new CaptureException(String.format("not a pcap or pcapng file (magic 0x%08x)", be), 0, 0);
  }
}
