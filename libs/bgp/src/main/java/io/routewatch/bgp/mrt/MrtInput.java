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
 * bytes rather than by file name. Decompression runs on a second thread ({@link AsyncInputStream});
 * for bzip2 files the Debian {@code lbzip2} tool is used when it is on the PATH (see {@link Lbzip2}).
 */
public final class MrtInput {
  /** Compression detected from the first bytes. */
  public enum Compression { NONE, GZIP, BZIP2 }

  private static final int BUFFER = 1 << 16;

  private MrtInput() {}

  public static Compression detect(byte[] head, int n) {
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return Compression.GZIP;
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') return Compression.BZIP2;
    return Compression.NONE;
  }

  /** Opens a file; bzip2 files go through lbzip2 on both cores when available. */
  public static InputStream open(Path file) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    }
    Compression c = detect(head, n);
    if (c == Compression.BZIP2 && Lbzip2.available()) {
      return Lbzip2.open(file);
    }
    return open(Files.newInputStream(file), file.getFileName().toString());
  }

  /** Wraps a stream of unknown compression. */
  public static InputStream open(InputStream raw, String name) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(4);
    byte[] head = new byte[4];
    int n = in.readNBytes(head, 0, 4);
    in.reset();
    return switch (detect(head, n)) {
      case GZIP -> new AsyncInputStream(new GZIPInputStream(in, BUFFER), name);
      case BZIP2 -> new AsyncInputStream(new BZip2InputStream(in, false), name);
      case NONE -> in;
    };
  }
}
