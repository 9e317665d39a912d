package io.routewatch.bench;

import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.text.MrtDump;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * The codec over a whole file per operation; records/s and routes/s come out as JMH auxiliary
 * counters. {@code decodeOnly} and {@code formatToNull} read the file decompressed in memory, so
 * they measure the codec alone; {@code decodeFromFile} adds decompression (default bzip2 decoder).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBench {
  @Param({"et-header", "rib-bz2"})
  public String file;

  private byte[] data;

  /** Per-second rates of what one operation went through. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counts {
    public long records;
    public long routes;

    @Setup(Level.Iteration)
    public void reset() {
      records = 0;
      routes = 0;
    }
  }

  @Setup(Level.Trial)
  public void load() {
    data = Corpus.decompressed(Corpus.file(file));
  }

  private MrtReader reader() {
    return new MrtReader(new ByteArrayInputStream(data), file, MrtReader.Mode.LENIENT);
  }

  /** Frame every record, decode every message / RIB entry with all attributes; no text. */
  @Benchmark
  public long decodeOnly(Counts c) {
    Decode d = new Decode();
    d.all(reader());
    c.records += d.records;
    c.routes += d.routes;
    return d.sink;
  }

  /** The bgpdump -m text to a null stream (routes = lines). */
  @Benchmark
  public long formatToNull(Counts c) throws IOException {
    MrtDump.Result r = MrtDump.dump(reader(), OutputStream.nullOutputStream());
    c.records += r.records();
    c.routes += r.lines();
    return r.lines();
  }

  /** decodeOnly, reading the compressed file (gzip on a second thread, bzip2 on all cores). */
  @Benchmark
  public long decodeFromFile(Counts c) throws IOException {
    Decode d = new Decode();
    try (MrtReader r = MrtReader.open(Corpus.file(file), MrtReader.Mode.LENIENT)) {
      d.all(r);
    }
    c.records += d.records;
    c.routes += d.routes;
    return d.sink;
  }
}
