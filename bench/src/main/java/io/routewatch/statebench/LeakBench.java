package io.routewatch.statebench;

import io.routewatch.state.leak.AsRelationships;
import io.routewatch.state.leak.AsRelationshipsReader;
import io.routewatch.state.leak.ValleyFree;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the route-leak check costs the engine (issue 19 acceptance 4: the ROV and leak checks add
 * less than 15 % to the engine's events/s). {@code updateStream} is {@link EngineBench}'s: the
 * 41,212 events of ripe-bgpdump/updates.20160811.1600 (40 peers) on new VPs over the route-views2
 * RIB of pyasn/rib.20140523, in batches of 2,048, 16 times on one new engine per operation (single
 * shot; the score is time per event, the {@code cpuNanos} counter the benchmark thread's CPU time).
 * {@code leaks}:
 *
 * <ul>
 *   <li>{@code off}: no relationships and nothing watched (the engine as before: no check);
 *   <li>{@code off-all-watched}: no relationships, everything watched ({@code 0.0.0.0/0}, {@code
 *       ::/0}): the change detector reports every prefix that appears or goes; the baseline of
 *       {@code caida-2016-all-watched}, which differs from it by the leak check alone;
 *   <li>{@code caida-2016-none-watched}: CAIDA serial-1 2016-11-01 (239,064 links) and a watched
 *       space (192.0.2.0/24) that no route touches: every best-path move pays the watched-space
 *       test (a trie walk), the check never runs (only watched routes' paths are judged);
 *   <li>{@code caida-2016-all-watched}: the same links and a watched space of {@code 0.0.0.0/0} and
 *       {@code ::/0}, which covers every prefix: every leak found is tracked and reported. With
 *       CAIDA's 2016 inferences 10,013 of the stream's 39,256 announcements (25 %) carry a valley,
 *       so this adds thousands of change reports per operation (the worst case; a real watch list
 *       reports only its own routes).
 *   <li>{@code off-asns-watched}: no relationships, {@link #WATCHED_ASNS} ASes watched (every
 *       {@link #ASN_STRIDE}th distinct origin of the RIB and the stream, by number; an operator's
 *       list of networks rather than the whole table): the neighbour tracker follows their
 *       upstreams and downstreams, the change detector their upstreams; the baseline of the next;
 *   <li>{@code caida-2016-asns-watched}: the same ASes and the CAIDA links: every path through a
 *       watched AS is checked, its leaking routes tracked and reported.
 * </ul>
 *
 * <p>The engine of the previous operation is garbage when the next one is built: the untimed set-up
 * collects it ({@code System.gc()}), so no operation pays for collecting another's engine.
 *
 * <p>{@code checkPaths} times {@link ValleyFree#check} alone over the distinct paths of the RIB and
 * the update stream (ops/s = paths/s): the engine runs it once per interned path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g", "-XX:+UseParallelGC"})
public class LeakBench {
  static final String CAIDA_2016 = "incidents/as-rel/bgpkit-valley-free/20161101.as-rel.txt.bz2";

  @Param({
    "off",
    "off-all-watched",
    "caida-2016-none-watched",
    "caida-2016-all-watched",
    "off-asns-watched",
    "caida-2016-asns-watched"
  })
  public String leaks;

  RefLines base;
  RefLines stream;
  AsRelationships rels;
  int[][] paths;
  RoutingEngine engine;
  int[] watchedAsns;

  /** The ASes of the {@code -asns-watched} configurations: how many, every how manyth origin. */
  static final int WATCHED_ASNS = 1_000;

  static final int ASN_STRIDE = 4;

  @Setup(Level.Trial)
  public void read() throws IOException {
    base = RefLines.read("mrt/pyasn/rib.20140523.0600_firstMB.bz2.bgpdump-m.txt.gz");
    stream = RefLines.read("mrt/ripe-bgpdump/updates.20160811.1600.gz.bgpdump-m.txt.gz");
    if (stream.events.size() != EngineBench.STREAM_EVENTS) {
      throw new IllegalStateException("unexpected corpus: " + stream.events.size());
    }
    rels =
        AsRelationshipsReader.read(RefLines.data().resolve(CAIDA_2016), 4_000_000).relationships();
    Set<AsPath> distinct = new LinkedHashSet<>();
    for (RefLines r : List.of(base, stream)) {
      for (RefLines.Event e : r.events) {
        if (e.path() != null) {
          distinct.add(e.path());
        }
      }
    }
    paths = distinct.stream().map(AsPath::encoding).toArray(int[][]::new);
    java.util.TreeSet<Long> origins = new java.util.TreeSet<>();
    for (RefLines.Event e : concat(base.events, stream.events)) {
      if (e.path() != null) {
        String[] hops = e.path().toString().split(" ");
        String last = hops[hops.length - 1];
        if (!last.isEmpty() && Character.isDigit(last.charAt(0))) {
          origins.add(Long.parseLong(last));
        }
      }
    }
    watchedAsns = new int[Math.min(WATCHED_ASNS, (origins.size() + ASN_STRIDE - 1) / ASN_STRIDE)];
    int i = 0;
    int n = 0;
    for (long a : origins) {
      if (i++ % ASN_STRIDE == 0 && n < watchedAsns.length) {
        watchedAsns[n++] = (int) a;
      }
    }
    if (watchedAsns.length < WATCHED_ASNS / 2) {
      throw new IllegalStateException("only " + watchedAsns.length + " origins to watch");
    }
  }

  private static List<RefLines.Event> concat(List<RefLines.Event> a, List<RefLines.Event> b) {
    List<RefLines.Event> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Stream copies one operation applies to a new engine. Each copy adds 40 VPs and their routes,
   * and the first copies on a new engine cost the most (new prefixes and paths to intern and
   * judge): an engine that lived a whole iteration grew with the configuration's speed, so
   * per-event figures of a fast and a slow configuration were taken on different RIB sizes and copy
   * mixes. One operation is now a fixed amount of work: a new engine (not timed) and 16 copies.
   */
  static final int COPIES = 16;

  /** A new engine for each operation (JMH leaves it out of the time; so does the CPU counter). */
  @Setup(Level.Invocation)
  public void engine() throws IOException {
    build();
  }

  private void build() throws IOException {
    engine = EngineBench.newEngine(base);
    if (leaks.startsWith("caida-2016")) {
      engine.relationships(rels);
    }
    if (leaks.endsWith("-none-watched")) {
      engine.watch(WatchedSpace.of(List.of(Prefix.parse("192.0.2.0/24")), new int[0]));
    } else if (leaks.endsWith("-all-watched")) {
      engine.watch(
          WatchedSpace.of(List.of(Prefix.parse("0.0.0.0/0"), Prefix.parse("::/0")), new int[0]));
    } else if (leaks.endsWith("-asns-watched")) {
      engine.watch(WatchedSpace.of(List.of(), watchedAsns));
    }
    System.gc(); // the previous operation's engine: collected here, not in the next timed run
  }

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * CPU time of the benchmark thread and events applied, summed over an iteration: on a machine
   * shared with other builds the wall-clock ops/s swings with the load, the thread's CPU time per
   * event much less (it leaves out time the thread waited for a core; the GC threads' time too).
   */
  @org.openjdk.jmh.annotations.AuxCounters(org.openjdk.jmh.annotations.AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Cpu {
    public long cpuNanos;
    public long events;

    @Setup(Level.Iteration)
    public void reset() {
      cpuNanos = 0;
      events = 0;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(COPIES * EngineBench.STREAM_EVENTS)
  public void updateStream(Blackhole bh, Cpu cpu) {
    long t0 = CPU.getCurrentThreadCpuTime();
    for (int c = 0; c < COPIES; c++) {
      applyCopy(c);
    }
    bh.consume(engine);
    cpu.cpuNanos += CPU.getCurrentThreadCpuTime() - t0;
    cpu.events += COPIES * EngineBench.STREAM_EVENTS;
  }

  /** The stream once more, on 40 new VPs (copy {@code c}: their addresses and names differ). */
  private void applyCopy(int c) {
    int[] vps = new int[stream.peers.size()];
    for (int i = 0; i < vps.length; i++) {
      String[] p = stream.peers.get(i).split("\\|");
      byte[] a = RefLines.address(p[0]);
      a[a.length - 1] ^= (byte) c;
      a[a.length - 2] ^= (byte) (c >>> 8);
      vps[i] = engine.vantagePoint("rrc00-" + c, a, (int) Long.parseLong(p[1]), 0);
    }
    List<RefLines.Event> ev = stream.events;
    for (int i = 0; i < ev.size(); i += EngineBench.BATCH) {
      int from = i;
      engine.batch(
          () -> {
            for (int k = from; k < Math.min(from + EngineBench.BATCH, ev.size()); k++) {
              RefLines.Event e = ev.get(k);
              if (e.path() != null) {
                engine.announce(vps[e.peer()], e.prefix(), 0, e.path(), e.attrs(), e.tsMicros());
              } else {
                engine.withdraw(vps[e.peer()], e.prefix(), 0, e.tsMicros());
              }
            }
          });
    }
  }

  /** The valley-free check alone, every distinct path once. */
  @Benchmark
  public long checkPaths(PathCount n) {
    long sink = 0;
    for (int[] p : paths) {
      sink += ValleyFree.check(p, rels);
    }
    n.paths += paths.length;
    return sink;
  }

  /** Paths checked (an auxiliary counter: paths/s). */
  @org.openjdk.jmh.annotations.AuxCounters(org.openjdk.jmh.annotations.AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class PathCount {
    public long paths;

    @Setup(Level.Iteration)
    public void reset() {
      paths = 0;
    }
  }
}
