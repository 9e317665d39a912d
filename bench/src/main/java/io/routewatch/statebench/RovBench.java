package io.routewatch.statebench;

import io.routewatch.bgp.mrt.MrtInput;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRouteReader;
import io.routewatch.bgp.mrt.RouteRecord;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.rpki.RovState;
import io.routewatch.state.rpki.VrpReader;
import io.routewatch.state.rpki.VrpTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
 * RFC 6811 validation throughput of {@link VrpTable#validate}: one operation validates every entry
 * of route-views2 rib.20140523 (first MiB, 270,005 entries decoded with libs/bgp) against a full
 * VRP set; routes/s comes out as an auxiliary counter. The route prefixes are state's {@code
 * route.Prefix}, as state holds them, so no conversion is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RovBench {
  @Param({"rpki-client-2025", "fort-2020"})
  public String vrps;

  private VrpTable table;
  private Prefix[] prefixes;
  private long[] origins;

  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counts {
    public long routes;

    @Setup(Level.Iteration)
    public void reset() {
      routes = 0;
    }
  }

  @Setup(Level.Trial)
  public void load() throws Exception {
    String rel =
        switch (vrps) {
          case "rpki-client-2025" ->
              "incidents/rpki/jeffsw-rpkilog/rpkiclient_summary_20250720T093135Z.json.bz2";
          case "fort-2020" -> "incidents/rpki/fort-rtrclient-20200217/roa.csv";
          default -> vrps;
        };
    try (InputStream in = MrtInput.open(RefLines.data().resolve(rel))) {
      table =
          VrpTable.of(VrpReader.read(in, rel, new VrpReader.Limits(256L << 20, 3_000_000)).vrps());
    }
    List<Prefix> p = new ArrayList<>();
    List<Long> o = new ArrayList<>();
    try (MrtRouteReader r =
        MrtRouteReader.open(
            RefLines.data().resolve("mrt/pyasn/rib.20140523.0600_firstMB.bz2"),
            MrtReader.Mode.LENIENT)) {
      for (RouteRecord rec : r) {
        if (rec.kind() == RouteRecord.Kind.RIB_ENTRY) {
          p.add(Prefix.of(rec.prefix().address(), rec.prefix().length()));
          long origin = rec.asPath() == null ? -1 : rec.asPath().originAs();
          o.add(origin < 0 ? VrpTable.ORIGIN_NONE : origin);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    prefixes = p.toArray(new Prefix[0]);
    origins = o.stream().mapToLong(Long::longValue).toArray();
  }

  /** Every RIB entry validated once. */
  @Benchmark
  public long validateRib(Counts c) {
    long sink = 0;
    for (int i = 0; i < prefixes.length; i++) {
      RovState s = table.validate(prefixes[i], origins[i]);
      sink += s.ordinal();
    }
    c.routes += prefixes.length;
    return sink;
  }
}
