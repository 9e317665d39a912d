package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.ListImportsRequest;
import io.routewatch.proto.v1.StateChangesGrpc;
import io.routewatch.proto.v1.SubscribeRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, acceptance 3: a RIS Live feed bootstrapped from a RIB dump of its collector. The
 * collector imports the dump (as collector {@code rrc00}) while the replayed RIS Live messages are
 * held, then applies them: state ends with the route digest of the dump imported first and the same
 * messages applied after it (a second stack doing exactly that by hand), and state reports no new
 * upstream for an origin/upstream pair the dump already held.
 *
 * <p>Data: RIS's {@code bview.20020722.2337.gz} (TABLE_DUMP, 115,521 entries; bgpdump's own test
 * file, a RIS dump whose collector the corpus does not name: it stands for rrc00 here) and 1,000
 * real RIS Live messages of 23 May 2019 (713 from rrc00). The corpus has no dump and live capture
 * of one collector at one time, so the live messages touch other peers than the dump's and none is
 * older than it: dropping messages older than the dump is shown by {@code BootstrapGateTest}.
 */
class RisLiveBootstrapIT {
  static final Path DUMP = Stack.data().resolve("mrt/ripe-bgpdump/bview.20020722.2337.gz");
  static final Path REFERENCE =
      Stack.data().resolve("mrt/ripe-bgpdump/bview.20020722.2337.gz.bgpdump-m.txt.gz");
  static final Path FRAMES = Stack.data().resolve("incidents/rislive/morrowc-rislive/1k-msgs");

  @Test
  void stateEqualsTheDumpThenTheLiveMessages() throws Exception {
    List<String> frames =
        Files.readAllLines(FRAMES, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
    long dumpEntries;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(REFERENCE)), StandardCharsets.UTF_8))) {
      dumpEntries = r.lines().count();
    }
    Set<Long> dumpPairs = originUpstreamPairs();

    // 1. bootstrapped: one start, the collector does the rest
    String bootDigest;
    GetStatsResponse boot;
    long addedForDumpPairs;
    long added;
    try (LoopbackWebSocket ris = new LoopbackWebSocket(frames);
        Stack stack = new Stack(Map.of())) {
      stack.startState();
      stack.startCollector(
          Map.of(
              "ROUTEWATCH_COLLECTOR_RIS_LIVE_URL",
              "ws://127.0.0.1:" + ris.port() + "/v1/ws/",
              "ROUTEWATCH_COLLECTOR_RIS_LIVE_HOST",
              "rrc00",
              "ROUTEWATCH_COLLECTOR_RIS_LIVE_BOOTSTRAP_RIB",
              DUMP.toString()));
      ImportJob job = awaitBootstrapImport(stack);
      assertEquals(ImportState.DONE, job.getState(), job.toString());
      awaitQuiet(stack, frames.size());
      boot = stack.stats(true);
      bootDigest = Long.toHexString(boot.getRouteDigest());
      String m = Metrics.scrape(stack.collectorPort);
      assertEquals(1, Metrics.sum(m, "routewatch_collector_rislive_bootstrap_open"), 0.1);
      assertEquals(0, Metrics.sum(m, "routewatch_collector_rislive_bootstrap_skipped_total"), 0.1);
      List<Change> changes = journal(stack, boot.getLastChangeSequence());
      added = changes.stream().filter(c -> c.getKind() == ChangeKind.UPSTREAM_ADDED).count();
      addedForDumpPairs =
          changes.stream()
              .filter(c -> c.getKind() == ChangeKind.UPSTREAM_ADDED)
              .filter(c -> dumpPairs.contains(pair(c.getAsn(), c.getUpstream())))
              .count();
      String log = stack.log("collector");
      assertTrue(log.contains("RIS Live bootstrap done"), "bootstrap finished in the log");
      log.lines().filter(l -> l.contains("RIS Live bootstrap")).forEach(System.out::println);
    }

    // 2. by hand: the dump imported first, then a collector with the live feed alone
    String refDigest;
    GetStatsResponse ref;
    try (LoopbackWebSocket ris = new LoopbackWebSocket(frames);
        Stack stack = new Stack(Map.of())) {
      stack.startState();
      stack.startCollector();
      ImportJob job = stack.importFile(DUMP, "rrc00", Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, job.getState());
      stack.stopCollector();
      stack.startCollector(
          Map.of(
              "ROUTEWATCH_COLLECTOR_RIS_LIVE_URL",
              "ws://127.0.0.1:" + ris.port() + "/v1/ws/",
              "ROUTEWATCH_COLLECTOR_RIS_LIVE_HOST",
              "rrc00"));
      awaitQuiet(stack, frames.size());
      ref = stack.stats(true);
      refDigest = Long.toHexString(ref.getRouteDigest());
    }
    System.out.printf(
        "bootstrap: %d RIB entries (bgpdump: %d), %d events, %d routes, %d VPs, digest %s;"
            + " by hand: %d events, %d routes, %d VPs, digest %s; UPSTREAM_ADDED %d, %d of them"
            + " for a pair the dump held (%d pairs)%n",
        boot.getRibEntries(),
        dumpEntries,
        boot.getEventsApplied(),
        boot.getRoutes(),
        boot.getVantagePoints(),
        bootDigest,
        ref.getEventsApplied(),
        ref.getRoutes(),
        ref.getVantagePoints(),
        refDigest,
        added,
        addedForDumpPairs,
        dumpPairs.size());
    assertEquals(dumpEntries, boot.getRibEntries(), "every dump entry applied once");
    assertEquals(ref.getRoutes(), boot.getRoutes());
    assertEquals(ref.getVantagePoints(), boot.getVantagePoints());
    assertEquals(refDigest, bootDigest, "state equals dump + updates");
    assertEquals(0, addedForDumpPairs, "no new upstream for what the dump already held");
  }

  /**
   * {@code bootstrap-rib=archive}: the collector finds the newest dump of rrc00 on a mirror laid
   * out like RIS (an older dump and an update file before the newest dump are there too), imports
   * it, then the update files since it, then the held live messages. State equals a second stack
   * fed by hand with the same dump, the same two update files in order, and the live feed.
   */
  @Test
  void archiveBootstrapTakesTheNewestDumpThenTheUpdatesSince(@TempDir Path tmp) throws Exception {
    List<String> frames =
        Files.readAllLines(FRAMES, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
    Path older = Stack.data().resolve("mrt/ripe-bgpdump/bview.64k_stream_overflow.gz");
    Path before = Stack.data().resolve("mrt/ripe-bgpdump/updates.20070211.0141.gz");
    List<Path> since =
        List.of(
            Stack.data().resolve("mrt/ripe-bgpdump/updates.20071015.1505.gz"),
            Stack.data().resolve("mrt/ripe-bgpdump/updates.20100722.2015.gz"));
    long now = System.currentTimeMillis() / 1000;
    long dumpAt = Math.floorDiv(now - 1200, 28800) * 28800; // an 8-hour bview, 20 min old at least
    String boot;
    GetStatsResponse bs;
    try (ArchiveMirror m = new ArchiveMirror();
        LoopbackWebSocket ris = new LoopbackWebSocket(frames);
        Stack stack = new Stack(Map.of())) {
      m.put(risPath("bview", dumpAt - 28800), older);
      m.put(risPath("updates", dumpAt - 300), before);
      m.put(risPath("bview", dumpAt), DUMP);
      m.put(risPath("updates", dumpAt), since.get(0));
      m.put(risPath("updates", dumpAt + 300), since.get(1));
      stack.startState();
      Map<String, String> env =
          new java.util.HashMap<>(ArchiveImportIT.env(m, tmp.resolve("cache")));
      env.put("ROUTEWATCH_COLLECTOR_RIS_LIVE_URL", "ws://127.0.0.1:" + ris.port() + "/v1/ws/");
      env.put("ROUTEWATCH_COLLECTOR_RIS_LIVE_HOST", "rrc00");
      env.put("ROUTEWATCH_COLLECTOR_RIS_LIVE_BOOTSTRAP_RIB", "archive");
      stack.startCollector(env);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!stack.log("collector").contains("RIS Live bootstrap done")) {
        assertTrue(System.nanoTime() < deadline, "the archive bootstrap did not end in 5 min");
        Thread.sleep(200);
      }
      awaitQuiet(stack, frames.size());
      bs = stack.stats(true);
      boot = Long.toHexString(bs.getRouteDigest());
      String log = stack.log("collector");
      log.lines().filter(l -> l.contains("RIS Live bootstrap")).forEach(System.out::println);
      assertTrue(log.contains("bview." + stamp(dumpAt)), "the newest dump was taken");
      List<ImportJob> jobs =
          stack
              .imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listImports(ListImportsRequest.getDefaultInstance())
              .getJobsList();
      assertEquals(2, jobs.size(), "the dump and one range of update files: " + jobs);
      for (ImportJob j : jobs) {
        assertEquals(ImportState.DONE, j.getState(), j.toString());
      }
      String metrics = Metrics.scrape(stack.collectorPort);
      assertEquals(
          0, Metrics.sum(metrics, "routewatch_collector_rislive_bootstrap_failures_total"), 0.1);
    }
    String ref;
    GetStatsResponse rs;
    try (LoopbackWebSocket ris = new LoopbackWebSocket(frames);
        Stack stack = new Stack(Map.of())) {
      stack.startState();
      stack.startCollector();
      for (Path f : List.of(DUMP, since.get(0), since.get(1))) {
        ImportJob job = stack.importFile(f, "rrc00", Duration.ofMinutes(5));
        assertEquals(ImportState.DONE, job.getState(), f + ": " + job);
      }
      stack.stopCollector();
      stack.startCollector(
          Map.of(
              "ROUTEWATCH_COLLECTOR_RIS_LIVE_URL",
              "ws://127.0.0.1:" + ris.port() + "/v1/ws/",
              "ROUTEWATCH_COLLECTOR_RIS_LIVE_HOST",
              "rrc00"));
      awaitQuiet(stack, frames.size());
      rs = stack.stats(true);
      ref = Long.toHexString(rs.getRouteDigest());
    }
    System.out.printf(
        "archive bootstrap: %d events, %d routes, digest %s; by hand: %d events, %d routes,"
            + " digest %s%n",
        bs.getEventsApplied(), bs.getRoutes(), boot, rs.getEventsApplied(), rs.getRoutes(), ref);
    assertEquals(rs.getEventsApplied(), bs.getEventsApplied(), "events applied");
    assertEquals(ref, boot, "state equals the newest dump + the updates since + live");
  }

  static String stamp(long epochSecond) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd.HHmm")
        .format(java.time.LocalDateTime.ofEpochSecond(epochSecond, 0, java.time.ZoneOffset.UTC));
  }

  /** Where RIS keeps a file of rrc00: {@code /rrc00/2026.12/bview.20261207.0800.gz}. */
  static String risPath(String kind, long epochSecond) {
    String month =
        java.time.format.DateTimeFormatter.ofPattern("yyyy.MM")
            .format(
                java.time.LocalDateTime.ofEpochSecond(epochSecond, 0, java.time.ZoneOffset.UTC));
    return "/rrc00/" + month + "/" + kind + "." + stamp(epochSecond) + ".gz";
  }

  /** The bootstrap's import job, once it ended (bounded: 5 minutes). */
  static ImportJob awaitBootstrapImport(Stack stack) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      List<ImportJob> jobs =
          stack
              .imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listImports(ListImportsRequest.getDefaultInstance())
              .getJobsList();
      for (ImportJob j : jobs) {
        if (j.getPath().endsWith(DUMP.getFileName().toString())
            && (j.getState() == ImportState.DONE
                || j.getState() == ImportState.FAILED
                || j.getState() == ImportState.CANCELLED)) {
          return j;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the bootstrap import did not end within 5 minutes");
  }

  /** Until state applied at least the live messages' worth and nothing new for 2 s (bounded). */
  static void awaitQuiet(Stack stack, int frames) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    long last = -1;
    int still = 0;
    while (System.nanoTime() < deadline && still < 2) {
      long now = stack.stats(false).getEventsApplied();
      still = now == last && now > frames ? still + 1 : 0;
      last = now;
      Thread.sleep(1000);
    }
    assertTrue(still >= 2, "state did not settle within 3 minutes");
  }

  /** Every change state journaled, up to {@code last} (bounded: 60 s). */
  static List<Change> journal(Stack stack, long last) {
    List<Change> out = new java.util.ArrayList<>();
    if (last == 0) {
      return out;
    }
    try {
      Iterator<Change> it =
          StateChangesGrpc.newBlockingStub(stack.channel(stack.statePort))
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .subscribe(
                  SubscribeRequest.newBuilder()
                      .setFromSequence(0)
                      .setSubscriber("bootstrap-it")
                      .build());
      while (it.hasNext()) {
        Change c = it.next();
        if (c.getKind() != ChangeKind.HEARTBEAT) {
          out.add(c);
        }
        if (c.getSequence() >= last) {
          break;
        }
      }
    } catch (StatusRuntimeException e) {
      throw new AssertionError("journal not read up to " + last + ": " + e.getStatus(), e);
    }
    return out;
  }

  /** (origin, upstream) of every dump path with at least two ASes, from bgpdump's decode. */
  static Set<Long> originUpstreamPairs() throws Exception {
    Set<Long> pairs = new HashSet<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(REFERENCE)), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split("\\|", -1);
        if (f.length < 7) {
          continue;
        }
        String[] path = f[6].trim().split(" ");
        if (path.length < 2 || path[path.length - 1].startsWith("{")) {
          continue;
        }
        try {
          long origin = Long.parseLong(path[path.length - 1]);
          for (int i = path.length - 2; i >= 0; i--) {
            long upstream = Long.parseLong(path[i]);
            if (upstream != origin) { // past the origin's own prepends
              pairs.add(pair(origin, upstream));
              break;
            }
          }
        } catch (NumberFormatException e) {
          // an AS_SET element: no single upstream
        }
      }
    }
    return pairs;
  }

  static long pair(long origin, long upstream) {
    return origin << 32 | upstream;
  }
}
