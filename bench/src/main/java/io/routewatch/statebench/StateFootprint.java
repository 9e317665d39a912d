package io.routewatch.statebench;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.rib.ChangeListener;
import io.routewatch.state.rib.EngineConfig;
import io.routewatch.state.rib.EngineStats;
import io.routewatch.state.rib.RibImage;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.snapshot.IngestImage;
import io.routewatch.state.snapshot.Snapshot;
import io.routewatch.state.snapshot.SnapshotFiles;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Heap per route and restart figures for bench/state.sh; one measurement per JVM, printed as {@code
 * key=value} lines.
 *
 * <ul>
 *   <li>{@code heap copies20}: up to 20 copies (until ≥ 5 M routes: 19) of the pyasn rib.20140523
 *       RIB (270,005 routes, 35 peers), each copy as distinct VPs with the same paths: interning
 *       shares everything (flattering).
 *   <li>{@code heap mix}: rounds of three distinct RIBs (rib.20140523, rib.20080501,
 *       bview.20020722: 524,817 routes from 115 peers) until ≥ 5 M routes; each round's VPs are
 *       other peers: their own AS is prepended to every path and their own next hop is set, as
 *       distinct real peers' routes differ, so paths and attribute sets are shared only within a
 *       round.
 *   <li>{@code snapshot DIR}: builds the mix, captures (writer pause), writes a snapshot file.
 *   <li>{@code restore DIR}: a fresh engine loads the newest snapshot; time from JVM start to done.
 * </ul>
 */
public final class StateFootprint {
  static final String[] MIX = {
    "mrt/pyasn/rib.20140523.0600_firstMB.bz2.bgpdump-m.txt.gz",
    "mrt/pyasn/rib.20080501.0644_firstMB.bz2.bgpdump-m.txt.gz",
    "mrt/ripe-bgpdump/bview.20020722.2337.gz.bgpdump-m.txt.gz"
  };
  static final long TARGET = 5_000_000L;

  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    switch (args[0]) {
      case "heap" -> heap(args[1]);
      case "snapshot" -> snapshot(Path.of(args[1]));
      case "restore" -> restore(Path.of(args[1]), jvmStart);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static RoutingEngine newEngine() throws Exception {
    CountryRegistry countries = CountryRegistry.loadDirectory(RefLines.data().resolve("registry"));
    return new RoutingEngine(
        EngineConfig.defaults().withFullFeed(5000, 1000), countries, ChangeListener.NONE);
  }

  static void heap(String mode) throws Exception {
    List<RefLines> ribs =
        mode.equals("copies20")
            ? List.of(RefLines.read(MIX[0]))
            : List.of(RefLines.read(MIX[0]), RefLines.read(MIX[1]), RefLines.read(MIX[2]));
    long before = usedAfterGc();
    RoutingEngine e = newEngine();
    long t0 = System.nanoTime();
    long applied =
        mode.equals("copies20")
            ? build(e, ribs, 20, false)
            : build(e, ribs, Integer.MAX_VALUE, true);
    double secs = (System.nanoTime() - t0) / 1e9;
    long heap = usedAfterGc() - before;
    EngineStats s = e.stats();
    System.out.printf(
        "mode=%s%nroutes=%d%nvps=%d%npaths=%d%nattrs=%d%nheap_bytes=%d%nbytes_per_route=%.1f%nbuild_events_per_s=%.0f%n",
        mode,
        s.routes(),
        s.vantagePoints(),
        s.asPaths(),
        s.attributeSets(),
        heap,
        (double) heap / s.routes(),
        applied / secs);
  }

  /** Replays the RIBs round after round as new VPs; returns RIB entries applied. */
  static long build(RoutingEngine e, List<RefLines> ribs, int rounds, boolean perturb) {
    long applied = 0;
    for (int round = 0; round < rounds && e.stats().routes() < TARGET; round++) {
      for (int r = 0; r < ribs.size(); r++) {
        RefLines rib = ribs.get(r);
        int[] vps = new int[rib.peers.size()];
        int[] ownAs = new int[vps.length];
        for (int i = 0; i < vps.length; i++) {
          String[] p = rib.peers.get(i).split("\\|");
          byte[] a = RefLines.address(p[0]);
          a[a.length - 1] ^= (byte) round;
          a[0] ^= (byte) (round * 16 + r);
          ownAs[i] =
              (int) (4_200_000_000L + round * 1000L + r * 100L + i); // private-use 4-byte ASNs
          vps[i] =
              e.vantagePoint(
                  "round" + round + "-rib" + r,
                  a,
                  perturb ? ownAs[i] : (int) Long.parseLong(p[1]),
                  0);
          e.ribDumpBegin(vps[i], 1_000_000L);
        }
        Map<Key, AsPath> paths = new HashMap<>();
        Map<Key, RouteAttributes> attrs = new HashMap<>();
        final int rnd = round;
        e.batch(
            () -> {
              for (RefLines.Event ev : rib.events) {
                AsPath path = ev.path();
                RouteAttributes at = ev.attrs();
                if (perturb) {
                  // This round's peer: its AS in front, its own next hop (shared within the peer
                  // only).
                  path =
                      paths.computeIfAbsent(
                          new Key(ev.peer(), path), k -> prepend(ownAs[ev.peer()], ev.path()));
                  RouteAttributes a0 = at;
                  at =
                      attrs.computeIfAbsent(
                          new Key(ev.peer(), at),
                          k ->
                              new RouteAttributes(
                                  a0.origin(),
                                  new byte[] {10, (byte) rnd, (byte) ev.peer(), 1},
                                  a0.med(),
                                  a0.localPref(),
                                  a0.atomicAggregate(),
                                  a0.communities()));
                }
                e.announce(vps[ev.peer()], ev.prefix(), 0, path, at, 1_000_001L);
              }
            });
        for (int vp : vps) {
          e.ribDumpEnd(vp, 1_000_002L);
        }
        applied += rib.events.size();
      }
    }
    return applied;
  }

  private record Key(int peer, Object value) {}

  static AsPath prepend(int asn, AsPath p) {
    int[] enc = p.encoding();
    if (enc.length >= 2 && enc[0] == AsPath.AS_SEQUENCE) {
      int[][] segs = splitSegments(enc);
      int[] first = new int[segs[0].length + 1];
      first[0] = asn;
      System.arraycopy(segs[0], 0, first, 1, segs[0].length);
      segs[0] = first;
      return AsPath.of(types(enc), segs);
    }
    return p;
  }

  private static int[][] splitSegments(int[] enc) {
    java.util.List<int[]> out = new java.util.ArrayList<>();
    for (int o = 0; o < enc.length; o += enc[o + 1] + 2) {
      out.add(java.util.Arrays.copyOfRange(enc, o + 2, o + 2 + enc[o + 1]));
    }
    return out.toArray(int[][]::new);
  }

  private static int[] types(int[] enc) {
    java.util.List<Integer> t = new java.util.ArrayList<>();
    for (int o = 0; o < enc.length; o += enc[o + 1] + 2) {
      t.add(enc[o]);
    }
    return t.stream().mapToInt(Integer::intValue).toArray();
  }

  static void snapshot(Path dir) throws Exception {
    List<RefLines> ribs =
        List.of(RefLines.read(MIX[0]), RefLines.read(MIX[1]), RefLines.read(MIX[2]));
    RoutingEngine e = newEngine();
    build(e, ribs, Integer.MAX_VALUE, true);
    long digest = e.routeDigest();
    // Capture twice: the first includes JIT warm-up of the copy loops, the second is steady state.
    long[] pauses = new long[3];
    RibImage img = null;
    for (int i = 0; i < pauses.length; i++) {
      img = null;
      System.gc();
      long t0 = System.nanoTime();
      img = e.capture();
      pauses[i] = System.nanoTime() - t0;
    }
    long t1 = System.nanoTime();
    Files.createDirectories(dir);
    Path f =
        new SnapshotFiles(dir)
            .write(new Snapshot(System.currentTimeMillis(), IngestImage.EMPTY, img));
    double write = (System.nanoTime() - t1) / 1e9;
    System.out.printf(
        "routes=%d%ndigest=%d%npause_ms=%.1f,%.1f,%.1f%nwrite_s=%.2f%nsize_bytes=%d%n",
        e.stats().routes(),
        digest,
        pauses[0] / 1e6,
        pauses[1] / 1e6,
        pauses[2] / 1e6,
        write,
        Files.size(f));
  }

  static void restore(Path dir, long jvmStartMillis) throws Exception {
    long t0 = System.nanoTime();
    RoutingEngine e = newEngine();
    SnapshotFiles.Loaded l = new SnapshotFiles(dir).loadNewest(System.err::println).orElseThrow();
    long t1 = System.nanoTime();
    e.restore(l.snapshot().rib());
    long t2 = System.nanoTime();
    long readyMillis = System.currentTimeMillis();
    long digest = e.routeDigest();
    System.out.printf(
        "routes=%d%ndigest=%d%nread_decode_s=%.2f%nrestore_s=%.2f%nload_s=%.2f%njvm_start_to_ready_s=%.2f%nheap_bytes=%d%n",
        e.stats().routes(),
        digest,
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t2 - t0) / 1e9,
        (readyMillis - jvmStartMillis) / 1e3,
        usedAfterGc());
  }

  static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
