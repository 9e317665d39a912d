package io.routewatch.bgp.mrt;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bzip2 on two cores through the Debian {@code lbzip2} tool ({@code lbzip2 -dc -n 2}).
 *
 * <p>lbzip2 drops the already-decoded blocks that are still in flight when it meets a damaged
 * block, so a truncated file (e.g. the "first MiB" RIB samples) would lose records that plain
 * bzip2 still yields. When the file does not end with an end-of-stream marker we therefore cut it
 * at the last block start and append a valid end-of-stream marker (see {@link Bzip2Repair}); the
 * stream then decodes cleanly and the cut is reported by {@link #problem} as a truncation.
 */
final class Lbzip2 {
  private static final String TOOL = find();

  private Lbzip2() {}

  private static String find() {
    if (Boolean.getBoolean("routewatch.bgp.noLbzip2")) return null;
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "lbzip2");
      if (Files.isExecutable(p)) return p.toString();
    }
    return null;
  }

  static boolean available() {
    return TOOL != null;
  }

  static InputStream open(Path file) throws IOException {
    Bzip2Repair.Plan plan = Bzip2Repair.planIfTruncated(file);
    ProcessBuilder pb = plan == null
        ? new ProcessBuilder(TOOL, "-dc", "-n", "2", file.toString())
        : new ProcessBuilder(TOOL, "-dc", "-n", "2");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    if (plan != null) {
      Thread writer = new Thread(() -> {
        try (OutputStream os = p.getOutputStream()) {
          Bzip2Repair.write(file, plan, os);
        } catch (IOException ignored) {
          // the reader side reports the exit status
        }
      }, "lbzip2-feed");
      writer.setDaemon(true);
      writer.start();
    } else {
      p.getOutputStream().close();
    }
    return new ProcessStream(p, plan == null ? null : plan.message());
  }

  /** lbzip2's stdout; at EOF, a non-zero exit or a repaired truncation becomes an IOException. */
  private static final class ProcessStream extends InputStream {
    private final Process process;
    private final InputStream out;
    private String pending;
    private boolean reported;

    ProcessStream(Process process, String truncation) {
      this.process = process;
      this.out = process.getInputStream();
      this.pending = truncation;
    }

    private int atEof() throws IOException {
      if (reported) return -1;
      reported = true;
      int rc;
      try {
        rc = process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for lbzip2", e);
      }
      if (pending != null) throw new IOException(pending);
      if (rc != 0) throw new IOException("lbzip2 exited with status " + rc + " (damaged bzip2 stream)");
      return -1;
    }

    @Override
    public int read() throws IOException {
      int b = out.read();
      return b >= 0 ? b : atEof();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = out.read(b, off, len);
      return n >= 0 ? n : atEof();
    }

    @Override
    public void close() throws IOException {
      out.close();
      process.destroy();
    }
  }
}
