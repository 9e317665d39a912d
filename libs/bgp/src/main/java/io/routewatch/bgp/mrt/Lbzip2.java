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
 * block, so a truncated file (e.g. the "first MiB" RIB samples) would lose records that plain bzip2
 * still yields. When the file does not end with an end-of-stream marker we therefore feed it
 * through {@link Bzip2Repair}, which cuts it at the last block start and appends a valid
 * end-of-stream marker while lbzip2 is already decoding; the cut is reported at EOF as an
 * IOException naming the truncation.
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
    if (Bzip2Repair.endsWithEos(file)) {
      ProcessBuilder pb = new ProcessBuilder(TOOL, "-dc", "-n", "2", file.toString());
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      return new ProcessStream(pb.start(), null);
    }
    // No end marker: feed the file through the repair, which drops the incomplete last block.
    ProcessBuilder pb = new ProcessBuilder(TOOL, "-dc", "-n", "2");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    Feeder feeder = new Feeder(file, p.getOutputStream());
    feeder.start();
    return new ProcessStream(p, feeder);
  }

  /** Streams the (repaired) file into lbzip2 while it decodes; remembers the truncation. */
  private static final class Feeder extends Thread {
    private final Path file;
    private final OutputStream os;
    private String truncation;
    private IOException failure;

    Feeder(Path file, OutputStream os) {
      super("lbzip2-feed");
      setDaemon(true);
      this.file = file;
      this.os = os;
    }

    @Override
    public void run() {
      try (os) {
        truncation = Bzip2Repair.feed(file, os);
      } catch (IOException e) {
        failure = e; // also seen by lbzip2 as a damaged stream
      }
    }

    /** After the join: the truncation or failure to report, else null. */
    String problem() throws IOException {
      try {
        join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for the lbzip2 feed", e);
      }
      if (failure != null && truncation == null)
        return "bzip2 input failed: " + failure.getMessage();
      return truncation;
    }
  }

  /** lbzip2's stdout; at EOF, a non-zero exit or a repaired truncation becomes an IOException. */
  private static final class ProcessStream extends InputStream {
    private final Process process;
    private final InputStream out;
    private final Feeder feeder;
    private boolean reported;

    ProcessStream(Process process, Feeder feeder) {
      this.process = process;
      this.out = process.getInputStream();
      this.feeder = feeder;
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
      String pending = feeder == null ? null : feeder.problem();
      if (pending != null) throw new IOException(pending);
      if (rc != 0)
        throw new IOException("lbzip2 exited with status " + rc + " (damaged bzip2 stream)");
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
