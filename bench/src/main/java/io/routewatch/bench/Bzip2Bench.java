package io.routewatch.bench;

import io.routewatch.bgp.mrt.MrtInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * bzip2 decompression of the truncated RIB (1 MiB → 15.3 MB) by each decoder: {@code LBZIP2}
 * (Debian lbzip2 -n 2 as a child process, with the truncation repair feeding it), {@code PARALLEL}
 * (pure Java, blocks decoded on all cores) and {@code SERIAL} (jbzip2 on one thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Bzip2Bench {
  @Param({"LBZIP2", "PARALLEL", "SERIAL"})
  public String decoder;

  @Param({"rib-bz2"})
  public String file;

  private Path path;

  /** Decompressed bytes per second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Bytes {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  @Setup(Level.Trial)
  public void find() {
    path = Corpus.file(file);
  }

  @Benchmark
  public long decompress(Bytes c) throws IOException {
    long n = 0;
    byte[] b = new byte[1 << 16];
    try (InputStream in = MrtInput.open(path, MrtInput.Bzip2Decoder.valueOf(decoder))) {
      int r;
      while ((r = in.read(b)) > 0) n += r;
    } catch (IOException truncated) {
      // the file is a truncated stream: every decoder ends with this after the last full block
    }
    c.bytes += n;
    return n;
  }
}
