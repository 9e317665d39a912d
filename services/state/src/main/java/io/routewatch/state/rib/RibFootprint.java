package io.routewatch.state.rib;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Memory and speed measurement for a benchmark module (no main): replays the RIB entries of a
 * bgpdump {@code -m} reference file (TABLE_DUMP2 "B" lines) as {@code copies} synthetic copies of
 * each peer (different peer addresses, same routes), so 20 copies of the 270k-entry route-views
 * file give 5.4 M routes from 940 VPs. Input lines are parsed before timing starts, so the figure
 * is engine work only. Heap is measured after GC, before and after the build.
 */
public final class RibFootprint {
  /**
   * @param routes routes held after the build
   * @param heapBytes heap growth caused by the engine (after GC)
   * @param bytesPerRoute {@code heapBytes / routes}
   * @param updatesPerSecond announcements applied per second (one thread)
   */
  public record Result(
      long routes,
      long heapBytes,
      double bytesPerRoute,
      double updatesPerSecond,
      EngineStats stats) {}

  private record Entry(int peer, Prefix prefix, AsPath path, RouteAttributes attrs) {}

  private RibFootprint() {}

  public static Result measure(Path bgpdumpGz, int copies, EngineConfig config) throws IOException {
    List<String> peers = new ArrayList<>();
    List<Entry> entries = read(bgpdumpGz, peers);
    long base = usedHeapAfterGc();
    RoutingEngine engine = new RoutingEngine(config, CountryRegistry.empty(), ChangeListener.NONE);
    int[][] vp = new int[copies][peers.size()];
    for (int c = 0; c < copies; c++) {
      for (int p = 0; p < peers.size(); p++) {
        String[] f = peers.get(p).split("\\|");
        byte[] addr = Prefix.parse(f[0] + (f[0].contains(":") ? "/128" : "/32")).address();
        addr[addr.length - 1] ^= (byte) c; // a distinct peer address per copy
        addr[0] ^= (byte) (c >>> 8);
        vp[c][p] = engine.vantagePoint("copy" + c, addr, (int) Long.parseLong(f[1]), 0);
      }
    }
    long t0 = System.nanoTime();
    engine.batch(
        () -> {
          for (int c = 0; c < copies; c++) {
            for (int p = 0; p < peers.size(); p++) {
              engine.ribDumpBegin(vp[c][p], 1L);
            }
            for (Entry e : entries) {
              engine.announce(vp[c][e.peer], e.prefix, 0, e.path, e.attrs, 1L);
            }
            for (int p = 0; p < peers.size(); p++) {
              engine.ribDumpEnd(vp[c][p], 1L);
            }
          }
        });
    long nanos = System.nanoTime() - t0;
    long applied = (long) entries.size() * copies;
    long heap = usedHeapAfterGc() - base;
    EngineStats stats = engine.stats();
    // Keep the engine reachable until after the measurement.
    if (stats.routes() < 0 || engine.stats() == null) {
      throw new IllegalStateException();
    }
    return new Result(
        stats.routes(), heap, (double) heap / stats.routes(), applied / (nanos / 1e9), stats);
  }

  /** Parses TABLE_DUMP2 B lines; equal paths/attributes share objects as a decoder would not. */
  private static List<Entry> read(Path file, List<String> peers) throws IOException {
    Map<String, Integer> peerIds = new HashMap<>();
    List<Entry> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.ISO_8859_1))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\\|", -1);
        if (f.length < 12 || !f[2].equals("B")) {
          continue;
        }
        Integer peer =
            peerIds.computeIfAbsent(
                f[3] + "|" + f[4],
                k -> {
                  peers.add(k);
                  return peers.size() - 1;
                });
        byte[] nh =
            f[8].isEmpty()
                ? null
                : Prefix.parse(f[8] + (f[8].contains(":") ? "/128" : "/32")).address();
        out.add(
            new Entry(
                peer,
                Prefix.parse(f[5]),
                AsPath.parse(f[6]),
                new RouteAttributes(
                    RouteAttributes.parseOrigin(f[7]),
                    nh,
                    f[10].isEmpty() ? RouteAttributes.ABSENT : Long.parseLong(f[10]),
                    f[9].isEmpty() ? RouteAttributes.ABSENT : Long.parseLong(f[9]),
                    false,
                    communities(f[11]))));
      }
    }
    return out;
  }

  static int[] communities(String s) {
    if (s.isBlank()) {
      return null;
    }
    String[] parts = s.trim().split(" ");
    int[] c = new int[parts.length];
    int n = 0;
    for (String p : parts) {
      int colon = p.indexOf(':');
      if (colon > 0) {
        c[n++] =
            (Integer.parseInt(p.substring(0, colon)) << 16)
                | Integer.parseInt(p.substring(colon + 1));
      }
    }
    return java.util.Arrays.copyOf(c, n);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
