package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.GetPrefixRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.VantagePointRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, acceptance 2: state restored from a snapshot taken while two sessions were up, one of
 * which went down while state was down. Two real ExaBGP peers feed the collector's journal; state
 * (snapshots every second) takes a snapshot holding both peers' routes and is killed with {@code
 * kill -9}; peer B is stopped (its session ends: a STATE_CHANGE in the journal) while peer A
 * announces more. State restarts from the snapshot, which still has B's routes; the collector
 * re-sends the journal from the snapshot's positions, the session's end included: B's routes are
 * gone, A's are all there as A sent them last, A's session never dropped, and importing the journal
 * files into a fresh state gives the same route digest.
 */
class JournalSnapshotRestoreIT {
  static final String A = "127.0.0.25";
  static final String B = "127.0.0.26";
  static final int N = 2000;
  static final int MORE = 500;

  @Test
  void sessionThatEndedDuringTheOutageLosesItsRoutesAfterTheRestore() throws Exception {
    int bgpPort = Stack.freePort();
    try (Stack stack =
        new Stack(
            Map.of(
                "ROUTEWATCH_COLLECTOR_BGP_PORT",
                Integer.toString(bgpPort),
                "ROUTEWATCH_COLLECTOR_BMP_PORT",
                Integer.toString(Stack.freePort()),
                "ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS",
                "address=" + A + ";asn=65025;name=exa-a,address=" + B + ";asn=65026;name=exa-b",
                "ROUTEWATCH_STATE_SNAPSHOT_INTERVAL",
                "1s"))) {
      Path journal = stack.logs.resolve("journal");
      stack.startState();
      stack.startCollector(
          Map.of(
              "ROUTEWATCH_COLLECTOR_JOURNAL_DIR",
              journal.toString(),
              "ROUTEWATCH_COLLECTOR_JOURNAL_INTERVAL",
              "1m"));
      Path dirA = exabgpDir("exabgp-journal-a", A, 65025, bgpPort);
      Path dirB = exabgpDir("exabgp-journal-b", B, 65026, bgpPort);
      try (Daemon exaA =
              Daemon.start(
                  "exabgp", dirA, JournalOutageIT.EXABGP_ENV, "exabgp", conf(dirA).toString());
          Daemon exaB =
              Daemon.start(
                  "exabgp", dirB, JournalOutageIT.EXABGP_ENV, "exabgp", conf(dirB).toString())) {
        long t0 = System.nanoTime();
        // 1. both sessions up: A announces N prefixes, B half of them (other paths) and N/2 of its
        //    own
        LiveDaemonsIT.commands(dirA, 1, announce(A, 65025, 0, N, 65100));
        List<String> b = new ArrayList<>(List.of(announce(B, 65026, 0, N / 2, 65400)));
        b.addAll(List.of(announce(B, 65026, 2 * N, N / 2, 65500)));
        LiveDaemonsIT.commands(dirB, 1, b.toArray(String[]::new));
        JournalOutageIT.await(
            stack,
            "both peers' routes in state\n" + exaA.log() + exaB.log(),
            Duration.ofSeconds(90),
            () -> stack.stats(false).getRoutes() == 2 * N);

        // 2. a snapshot that covers every batch state applied (nothing more is coming)
        long covered = -1;
        long sum = -2;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          sum =
              SnapshotRestartIT.positions(stack).values().stream().mapToLong(Long::longValue).sum();
          covered =
              (long) SnapshotRestartIT.metric(stack.statePort, "routewatch_state_snapshot_batches");
          if (covered == sum && sum > 0 && stack.stats(false).getRoutes() == 2 * N) {
            break;
          }
          Thread.sleep(200);
        }
        assertEquals(sum, covered, "a snapshot covers every batch applied");
        GetStatsResponse snapped = stack.stats(true);
        System.out.printf(
            "both peers up: %d routes, snapshot of %d batches, %.1f s%n",
            snapped.getRoutes(), covered, (System.nanoTime() - t0) / 1e9);

        // 3. kill -9 state; B goes down (ExaBGP stopped: NOTIFICATION, then the TCP close); A
        //    announces MORE new prefixes
        stack.killState();
        exaB.close();
        LiveDaemonsIT.commands(dirA, 2, announce(A, 65025, 3 * N, MORE, 65200));
        JournalOutageIT.await(
            stack,
            "B's session down at the collector",
            Duration.ofSeconds(30),
            () -> downs(stack, "exa-b") >= 1);
        Thread.sleep(3000); // A's announcements go into the journal meanwhile

        // 4. state restored from the snapshot (B's routes in it); the collector re-sends the
        //    journal from the snapshot's positions, B's session end included
        long restart = System.nanoTime();
        stack.startState();
        String loaded =
            stack
                .log("state")
                .lines()
                .filter(l -> l.contains("loaded snapshot"))
                .findFirst()
                .orElse("(none)");
        System.out.println("state: " + loaded);
        assertTrue(
            loaded.contains(" " + 2 * N + " routes, "),
            "state restored the snapshot with both peers' routes: " + loaded);
        int expected = N + MORE;
        JournalOutageIT.await(
            stack,
            "state holds A's routes only after the restore",
            Duration.ofSeconds(60),
            () ->
                stack.stats(false).getRoutes() == expected
                    && JournalOutageIT.metric(
                            stack, "routewatch_collector_journal_unacknowledged_bytes")
                        == 0);
        JournalOutageIT.awaitQuiet(stack);
        GetStatsResponse restored = stack.stats(true);
        System.out.printf(
            "restored from the snapshot and replayed: %d routes (expected %d), digest %x, %.1f s"
                + " after the restart%n",
            restored.getRoutes(),
            expected,
            restored.getRouteDigest(),
            (System.nanoTime() - restart) / 1e9);
        assertEquals(expected, restored.getRoutes(), "routes after the restore");
        assertEquals(List.of(), wrongRoutes(stack), "routes not as A sent them, or B's left");
        assertEquals(0, downs(stack, "exa-a"), "A's session drops");

        // 5. the journal imported into a fresh, empty state (no snapshot, no peer): the same table
        List<Path> files = new ArrayList<>();
        Path copy = stack.logs.resolve("journal-copy");
        Files.createDirectories(copy);
        try (Stream<Path> s = Files.list(journal)) {
          for (Path p : s.sorted().toList()) {
            if (p.getFileName().toString().startsWith("updates.")) {
              files.add(Files.copy(p, copy.resolve(p.getFileName())));
            }
          }
        }
        exaA.close(); // no live session into the fresh state: only the import
        stack.stopCollector();
        stack.killState();
        try (Stream<Path> s = Files.walk(stack.snapshotDir())) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        stack.startState();
        stack.startCollector();
        assertEquals(0, stack.stats(false).getRoutes(), "fresh state is empty");
        for (Path f : files) {
          ImportJob job = stack.importFile(f, "routewatch", Duration.ofMinutes(2));
          assertEquals(ImportState.DONE, job.getState(), "import of " + f + ": " + job);
        }
        GetStatsResponse imported = stack.stats(true);
        System.out.printf(
            "imported journal (%d files): %d routes, digest %x; %.1f s in all%n",
            files.size(),
            imported.getRoutes(),
            imported.getRouteDigest(),
            (System.nanoTime() - t0) / 1e9);
        assertEquals(expected, imported.getRoutes(), "routes of the imported journal");
        assertEquals(
            restored.getRouteDigest(), imported.getRouteDigest(), "digest of the imported journal");
      }
    }
  }

  static double downs(Stack stack, String peer) {
    try {
      return Metrics.sum(
          Metrics.scrape(stack.collectorPort),
          "routewatch_collector_bgp_session_downs_total",
          "peer=\"" + peer + "\"");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Path exabgpDir(String name, String local, long as, int port) throws Exception {
    Path dir = Daemon.workDir(name);
    Daemon.write(dir, "feed.py", LiveDaemonsIT.FEED_PY);
    Daemon.write(
        dir,
        "exabgp.conf",
        LiveDaemonsIT.exabgpConf(dir, local, as, "127.0.0.1", 65000, port, false)
            .replace("hold-time 9;", "hold-time 90;"));
    return dir;
  }

  static Path conf(Path dir) {
    return dir.resolve("exabgp.conf");
  }

  /**
   * Every prefix either peer announced whose routes in state are not: A's last path (one route,
   * from A) for A's prefixes, none for B's own. Up to 10 of them, and how many.
   */
  static List<String> wrongRoutes(Stack stack) {
    List<String> wrong = new ArrayList<>();
    int count = 0;
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      all.add(i);
    }
    for (int i = 2 * N; i < 2 * N + N / 2; i++) {
      all.add(i);
    }
    for (int i = 3 * N; i < 3 * N + MORE; i++) {
      all.add(i);
    }
    for (int i : all) {
      List<VantagePointRoute> r =
          stack
              .state()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getPrefix(GetPrefixRequest.newBuilder().setPrefix(prefix(i)).build())
              .getRoutesList();
      String want;
      if (i < N) {
        want = A + " 65025 " + (65100 + i % 50);
      } else if (i >= 3 * N) {
        want = A + " 65025 " + (65200 + (i - 3 * N) % 50);
      } else {
        want = null;
      }
      boolean ok =
          want == null
              ? r.isEmpty()
              : r.size() == 1
                  && (r.get(0).getPeerAddress() + " " + r.get(0).getAsPath()).equals(want);
      if (!ok && count++ < 10) {
        wrong.add(
            prefix(i)
                + " "
                + r.stream().map(v -> v.getPeerAddress() + " " + v.getAsPath()).toList()
                + " != "
                + want);
      }
    }
    if (count > 0) {
      wrong.add(count + " in all");
    }
    return wrong;
  }

  static String prefix(int i) {
    return "10." + (i / 256) + "." + (i % 256) + ".0/24";
  }

  static String[] announce(String local, long as, int from, int n, int second) {
    String hop = "192.0.2." + local.substring(local.lastIndexOf('.') + 1);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] =
          "announce route "
              + prefix(from + i)
              + " next-hop "
              + hop
              + " as-path [ "
              + as
              + " "
              + (second + i % 50)
              + " ]";
    }
    return out;
  }
}
