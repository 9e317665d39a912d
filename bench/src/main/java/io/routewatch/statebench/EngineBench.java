package io.routewatch.statebench;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.rib.ChangeListener;
import io.routewatch.state.rib.EngineConfig;
import io.routewatch.state.rib.RoutingEngine;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Route events applied per second by the routing engine on one thread (issue 5 acceptance 4: ≥
 * 1,000,000/s for updates). The engine first holds the route-views2 RIB of pyasn/rib.20140523
 * (270,005 routes, 35 VPs) with the country registry, so shares, visibility and the AS graph are
 * the size a real table gives them; events are applied in batches of 2,048 under one lock
 * acquisition, as the ingest writer does. Throughput is reported per operation (one event): JMH's
 * ops/s is events/s.
 *
 * <ul>
 *   <li>{@code announceWithdraw}: the 577,737 announcements of ripe-bgpdump/updates.et-header.2015
 *       (one peer loading a full table, real prefixes and paths, in file order) on a new VP, then
 *       the withdrawal of each in the same order; the engine ends where it started, so every
 *       invocation does the same work (no duplicate-announcement shortcut).
 *   <li>{@code updateStream}: ripe-bgpdump/updates.20160811.1600 (40 peers, 39,256 A and 1,956 W in
 *       file order, re-announcements and path changes included) onto a fresh set of VPs each
 *       invocation.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g", "-XX:+UseParallelGC"})
public class EngineBench {
  static final int BATCH = 2048;
  static final int ET_EVENTS = 2 * 577_737;
  static final int STREAM_EVENTS = 39_256 + 1_956;

  RefLines base;
  RefLines et;
  RefLines stream;
  RoutingEngine engine;
  int etVp;
  int copy;

  @Setup(Level.Trial)
  public void read() throws IOException {
    base = RefLines.read("mrt/pyasn/rib.20140523.0600_firstMB.bz2.bgpdump-m.txt.gz");
    et = RefLines.read("mrt/ripe-bgpdump/updates.et-header.2015.gz.bgpdump-m.txt.gz");
    stream = RefLines.read("mrt/ripe-bgpdump/updates.20160811.1600.gz.bgpdump-m.txt.gz");
    // bgpdump -m: 577,737 A + 3 W; 39,256 A + 1,956 W. A different corpus would change the op
    // count.
    if (et.events.size() != ET_EVENTS / 2 + 3 || stream.events.size() != STREAM_EVENTS) {
      throw new IllegalStateException(
          "unexpected corpus: " + et.events.size() + ", " + stream.events.size());
    }
  }

  /** A fresh engine holding the base RIB (per iteration, so updateStream's VPs do not pile up). */
  @Setup(Level.Iteration)
  public void engine() throws IOException {
    engine = newEngine(base);
    etVp =
        engine.vantagePoint("rrc-et", new byte[] {(byte) 206, (byte) 220, (byte) 231, 55}, 3856, 0);
    copy = 0;
  }

  static RoutingEngine newEngine(RefLines rib) throws IOException {
    CountryRegistry countries = CountryRegistry.loadDirectory(RefLines.data().resolve("registry"));
    RoutingEngine e =
        new RoutingEngine(
            EngineConfig.defaults().withFullFeed(5000, 1000), countries, ChangeListener.NONE);
    int[] vps = new int[rib.peers.size()];
    for (int i = 0; i < vps.length; i++) {
      String[] p = rib.peers.get(i).split("\\|");
      vps[i] =
          e.vantagePoint("route-views2", RefLines.address(p[0]), (int) Long.parseLong(p[1]), 0);
      e.ribDumpBegin(vps[i], 1_400_824_800_000_000L);
    }
    e.batch(
        () -> {
          for (RefLines.Event ev : rib.events) {
            e.announce(vps[ev.peer()], ev.prefix(), 0, ev.path(), ev.attrs(), ev.tsMicros());
          }
        });
    for (int vp : vps) {
      e.ribDumpEnd(vp, 1_400_824_800_000_001L);
    }
    return e;
  }

  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(ET_EVENTS)
  public void announceWithdraw(Blackhole bh) {
    List<RefLines.Event> ev = et.events;
    int vp = etVp;
    for (int i = 0; i < ev.size(); i += BATCH) {
      int from = i;
      engine.batch(
          () -> {
            for (int k = from; k < Math.min(from + BATCH, ev.size()); k++) {
              RefLines.Event e = ev.get(k);
              if (e.path() != null) {
                engine.announce(vp, e.prefix(), 0, e.path(), e.attrs(), e.tsMicros());
              }
            }
          });
    }
    for (int i = 0; i < ev.size(); i += BATCH) {
      int from = i;
      engine.batch(
          () -> {
            for (int k = from; k < Math.min(from + BATCH, ev.size()); k++) {
              RefLines.Event e = ev.get(k);
              engine.withdraw(vp, e.prefix(), 0, e.tsMicros() + 1);
            }
          });
    }
    bh.consume(engine);
  }

  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(STREAM_EVENTS)
  public void updateStream(Blackhole bh) {
    int c = copy++;
    int[] vps = new int[stream.peers.size()];
    for (int i = 0; i < vps.length; i++) {
      String[] p = stream.peers.get(i).split("\\|");
      byte[] a = RefLines.address(p[0]);
      a[a.length - 1] ^= (byte) c;
      a[a.length - 2] ^= (byte) (c >>> 8);
      vps[i] = engine.vantagePoint("rrc00-" + c, a, (int) Long.parseLong(p[1]), 0);
    }
    List<RefLines.Event> ev = stream.events;
    for (int i = 0; i < ev.size(); i += BATCH) {
      int from = i;
      engine.batch(
          () -> {
            for (int k = from; k < Math.min(from + BATCH, ev.size()); k++) {
              RefLines.Event e = ev.get(k);
              if (e.path() != null) {
                engine.announce(vps[e.peer()], e.prefix(), 0, e.path(), e.attrs(), e.tsMicros());
              } else {
                engine.withdraw(vps[e.peer()], e.prefix(), 0, e.tsMicros());
              }
            }
          });
    }
    bh.consume(engine);
  }
}
