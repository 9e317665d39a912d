package io.routewatch.bgp.mrt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.itadaki.bzip2.BZip2InputStream;

/**
 * Opens MRT input, plain or compressed, telling gzip (1f 8b) and bzip2 ("BZh") apart by their magic
 * bytes rather than by file name. gzip is inflated on a second thread ({@link AsyncInputStream});
 * bzip2 blocks are decoded on all cores ({@link ParallelBzip2InputStream}, or the Debian {@code
 * lbzip2} tool, see {@link Lbzip2}).
 */
public final class MrtInput {
  /** Compression detected from the first bytes. */
  public enum Compression {
    NONE,
    GZIP,
    BZIP2
  }

  private static final int BUFFER = 1 << 16;

  private MrtInput() {}

  public static Compression detect(byte[] head, int n) {
    // RFC 1952: magic 1f 8b and compression method 8 (deflate), the only one defined; anything
    // else is not a gzip stream we could open, so it is read as raw MRT (and its framing reported)
    if (n >= 3 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b && head[2] == 8)
      return Compression.GZIP;
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') return Compression.BZIP2;
    return Compression.NONE;
  }

  /**
   * How bzip2 is decoded: {@code lbzip2} (the Debian tool, {@code -n 2}, in a child process),
   * {@code parallel} (pure Java, blocks decoded on all cores, see {@link ParallelBzip2InputStream})
   * or {@code serial} (jbzip2 on one second thread). System property {@code routewatch.bgp.bzip2};
   * the default is lbzip2 when it is on the PATH, else parallel: lbzip2 needs a third of the CPU
   * time of jbzip2 in a fresh JVM, which decides on shared cores (docs/benchmarks.md). {@code
   * -Droutewatch.bgp.noLbzip2=true} still hides lbzip2.
   */
  public enum Bzip2Decoder {
    LBZIP2,
    PARALLEL,
    SERIAL
  }

  public static Bzip2Decoder bzip2Decoder() {
    Bzip2Decoder d =
        switch (System.getProperty("routewatch.bgp.bzip2", "lbzip2")) {
          case "serial" -> Bzip2Decoder.SERIAL;
          case "parallel" -> Bzip2Decoder.PARALLEL;
          default -> Bzip2Decoder.LBZIP2;
        };
    return d == Bzip2Decoder.LBZIP2 && !Lbzip2.available() ? Bzip2Decoder.PARALLEL : d;
  }

  /** Opens a file; bzip2 is decoded as {@link #bzip2Decoder()} says. */
  public static InputStream open(Path file) throws IOException {
    return open(file, bzip2Decoder());
  }

  /** Opens a file with the given bzip2 decoder (benchmarks compare them). */
  public static InputStream open(Path file, Bzip2Decoder bzip2) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    }
    Compression c = detect(head, n);
    if (c == Compression.BZIP2 && bzip2 == Bzip2Decoder.LBZIP2 && Lbzip2.available()) {
      return Lbzip2.open(file);
    }
    return open(Files.newInputStream(file), file.getFileName().toString(), bzip2);
  }

  /** Wraps a stream of unknown compression. */
  public static InputStream open(InputStream raw, String name) throws IOException {
    Bzip2Decoder d = bzip2Decoder();
    return open(raw, name, d == Bzip2Decoder.LBZIP2 ? Bzip2Decoder.PARALLEL : d);
  }

  private static InputStream open(InputStream raw, String name, Bzip2Decoder bzip2)
      throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(4);
    byte[] head = new byte[4];
    int n = in.readNBytes(head, 0, 4);
    in.reset();
    return switch (detect(head, n)) {
      case GZIP -> new AsyncInputStream(new OpenOnFirstRead("gzip", in, () -> gzip(in)), name);
      case BZIP2 ->
          bzip2 == Bzip2Decoder.SERIAL
              ? new AsyncInputStream(
                  new OpenOnFirstRead("bzip2", in, () -> new BZip2InputStream(in, false)), name)
              : new OpenOnFirstRead(
                  "bzip2",
                  in,
                  () ->
                      new ParallelBzip2InputStream(in, ParallelBzip2InputStream.defaultThreads()));
      case NONE -> in;
    };
  }

  private static InputStream gzip(InputStream in) throws IOException {
    try {
      return new GZIPInputStream(in, BUFFER);
    } catch (java.io.EOFException e) {
      throw new IOException("gzip header truncated (RFC 1952 2.3)", e);
    } catch (java.util.zip.ZipException e) {
      throw new IOException("bad gzip header: " + e.getMessage(), e);
    }
  }

  private interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * A decompressor opened on the first read: the gzip header (RFC 1952 2.3: flags, optional extra
   * field, name, comment, header CRC) and the bzip2 stream header are read by the decompressor's
   * constructor, so a short or malformed header would make the open throw. Opened here on the first
   * read, it fails that read, which the MRT reader reports where and what ("input stream failed:
   * ..." at offset 0) like any other broken input.
   */
  private static final class OpenOnFirstRead extends InputStream {
    private final String format;
    private final InputStream raw;
    private final Opener opener;
    private InputStream opened;
    private IOException failed;

    OpenOnFirstRead(String format, InputStream raw, Opener opener) {
      this.format = format;
      this.raw = raw;
      this.opener = opener;
    }

    private InputStream opened() throws IOException {
      if (failed != null) {
        throw failed;
      }
      if (opened == null) {
        try {
          opened = opener.open();
        } catch (IOException e) {
          failed = e;
          throw e;
        } catch (RuntimeException e) {
          failed = new IOException(format + " stream: " + e, e);
          throw failed;
        }
      }
      return opened;
    }

    @Override
    public int read() throws IOException {
      return opened().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return opened().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (opened != null) {
        opened.close();
      } else {
        raw.close();
      }
    }
  }
}
