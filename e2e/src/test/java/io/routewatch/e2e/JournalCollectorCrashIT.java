package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.cli.Main;
import io.routewatch.proto.v1.GetPrefixRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.VantagePointRoute;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, acceptance 4: the collector killed with {@code kill -9} while a real ExaBGP peer is
 * sending its table. What the crash can lose is the group commit not yet written: the journal on
 * disk holds at least every record the collector had counted durable, and its files read to their
 * end (bgpdump and routewatch mrt dump, line for line). Restarted on the same journal directory,
 * the collector ends the crashed session in the journal ({@code .sessions}), the peer reconnects
 * and sends its table again, and state ends with exactly the peer's routes; importing the journal
 * files, which span the crash, into a fresh state gives the same route digest. The files are listed
 * (REST and {@code routewatch journal list}) with the records counted here.
 */
class JournalCollectorCrashIT {
  static final String PEER = "127.0.0.27";
  static final int N = 10_000;

  @Test
  void collectorKilledMidStreamResumesFromItsJournal() throws Exception {
    int bgpPort = Stack.freePort();
    try (Stack stack =
        new Stack(
            Map.of(
                "ROUTEWATCH_COLLECTOR_BGP_PORT",
                Integer.toString(bgpPort),
                "ROUTEWATCH_COLLECTOR_BMP_PORT",
                Integer.toString(Stack.freePort()),
                "ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS",
                "address=" + PEER + ";asn=65027;name=exabgp",
                "ROUTEWATCH_STATE_SNAPSHOT_ENABLED",
                "false"))) {
      Path journal = stack.logs.resolve("journal");
      Map<String, String> journalOn =
          Map.of(
              "ROUTEWATCH_COLLECTOR_JOURNAL_DIR",
              journal.toString(),
              "ROUTEWATCH_COLLECTOR_JOURNAL_INTERVAL",
              "1m");
      stack.startState();
      stack.startCollector(journalOn);
      Path dir = JournalSnapshotRestoreIT.exabgpDir("exabgp-crash", PEER, 65027, bgpPort);
      try (Daemon exa =
          Daemon.start(
              "exabgp",
              dir,
              JournalOutageIT.EXABGP_ENV,
              "exabgp",
              JournalSnapshotRestoreIT.conf(dir).toString())) {
        long t0 = System.nanoTime();
        LiveDaemonsIT.commands(dir, 1, JournalSnapshotRestoreIT.announce(PEER, 65027, 0, N, 65100));

        // 1. kill -9 the collector once a fifth of the table is journaled (mid-stream)
        double appended = 0;
        double durable = 0;
        long scraped = 0;
        double maxInFlight = 0;
        int samples = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          String m = Metrics.scrape(stack.collectorPort);
          scraped = System.nanoTime();
          appended = Metrics.sum(m, "routewatch_collector_journal_records");
          durable = Metrics.sum(m, "routewatch_collector_journal_durable_records");
          maxInFlight = Math.max(maxInFlight, appended - durable);
          samples++;
          if (appended >= N / 5) {
            break;
          }
          Thread.sleep(20);
        }
        double killMillis = (System.nanoTime() - scraped) / 1e6;
        stack.killCollector();
        assertTrue(appended >= N / 5, "a fifth of the table journaled: " + appended);
        assertTrue(appended < N, "killed mid-stream: " + appended + " records of " + N);

        // 2. the journal as the crash left it
        Path copy = stack.logs.resolve("journal-at-crash");
        Files.createDirectories(copy);
        long onDisk = 0;
        long torn = 0;
        List<Path> atCrash = new ArrayList<>();
        for (Path f : journalFiles(journal)) {
          Path c = Files.copy(f, copy.resolve(f.getFileName()));
          atCrash.add(c);
          long[] walk = walk(c);
          onDisk += walk[0];
          torn += walk[1];
        }
        System.out.printf(
            "collector kill -9 %.1f ms after a scrape: appended %.0f, durable %.0f (in flight"
                + " then %.0f records, at most %.0f in %d scrapes during the stream); on disk %d"
                + " whole records, %d torn bytes; lost at least %.0f records%n",
            killMillis,
            appended,
            durable,
            appended - durable,
            maxInFlight,
            samples,
            onDisk,
            torn,
            Math.max(0, appended - onDisk));
        assertTrue(
            onDisk >= durable,
            "every record counted durable is on disk: " + onDisk + " < " + durable);
        for (Path f : atCrash) {
          dumpParity(f);
        }

        // 3. restarted on the same journal: the peer reconnects and sends its table again
        long restart = System.nanoTime();
        stack.startCollector(journalOn);
        JournalOutageIT.await(
            stack,
            "state holds the peer's table after the collector's restart\n" + exa.log(),
            Duration.ofSeconds(90),
            () ->
                stack.stats(false).getRoutes() == N
                    && JournalOutageIT.metric(
                            stack, "routewatch_collector_journal_unacknowledged_bytes")
                        == 0);
        JournalOutageIT.awaitQuiet(stack);
        GetStatsResponse live = stack.stats(true);
        System.out.printf(
            "restarted: %d routes, digest %x, %.1f s after the restart%n",
            live.getRoutes(), live.getRouteDigest(), (System.nanoTime() - restart) / 1e9);
        assertEquals(N, live.getRoutes(), "routes after the collector's restart");
        assertEquals(List.of(), wrongRoutes(stack), "routes not as the peer sent them");

        // 4. the journal now: every file reads to its end; the crashed session ended in it
        List<Path> files = new ArrayList<>();
        Path after = stack.logs.resolve("journal-after");
        Files.createDirectories(after);
        for (Path f : journalFiles(journal)) {
          files.add(Files.copy(f, after.resolve(f.getFileName())));
        }
        long records = 0;
        List<String> states = new ArrayList<>();
        for (Path f : files) {
          long[] w = walk(f);
          assertEquals(0, w[1], f + ": torn bytes after the restart");
          records += w[0];
          states.addAll(
              dumpParity(f).stream().filter(l -> l.contains("|STATE|" + PEER + "|")).toList());
        }
        System.out.printf("journal after the restart: %d records; %s%n", records, states);
        assertTrue(
            states.stream().anyMatch(l -> l.endsWith("|6|1")),
            "the crashed session's end is in the journal: " + states);
        assertTrue(records > onDisk, "the restarted collector appended to the journal");

        // 5. the listing: REST and CLI agree with the files
        HttpResponse<String> rest =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:"
                                    + stack.collectorPort
                                    + "/api/v1/journal/files"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(200, rest.statusCode(), rest.body());
        Matcher rm = Pattern.compile("\"records\":(\\d+)").matcher(rest.body());
        long listed = 0;
        int listedFiles = 0;
        while (rm.find()) {
          listed += Long.parseLong(rm.group(1));
          listedFiles++;
        }
        assertEquals(files.size(), listedFiles, rest.body());
        assertEquals(records, listed, "records listed (REST): " + rest.body());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
          rc = Main.run("journal", "list", "--collector", "127.0.0.1:" + stack.collectorPort);
        } finally {
          System.setOut(old);
        }
        String table = buf.toString(StandardCharsets.UTF_8);
        System.out.print("routewatch journal list:\n" + table);
        assertEquals(0, rc, table);
        for (Path f : files) {
          assertTrue(table.contains(journal.resolve(f.getFileName()).toString()), table);
        }

        // 5. the journal spanning the crash, imported into a fresh state: the same table
        exa.close(); // no live session into the fresh state
        stack.stopCollector();
        stack.killState();
        stack.startState();
        stack.startCollector();
        assertEquals(0, stack.stats(false).getRoutes(), "fresh state is empty");
        for (Path f : files) {
          ImportJob job = stack.importFile(f, "routewatch", Duration.ofMinutes(2));
          assertEquals(ImportState.DONE, job.getState(), "import of " + f + ": " + job);
        }
        GetStatsResponse imported = stack.stats(true);
        System.out.printf(
            "imported journal (%d files, spanning the crash): %d routes, digest %x; %.1f s in"
                + " all%n",
            files.size(),
            imported.getRoutes(),
            imported.getRouteDigest(),
            (System.nanoTime() - t0) / 1e9);
        assertEquals(N, imported.getRoutes(), "routes of the imported journal");
        assertEquals(live.getRouteDigest(), imported.getRouteDigest(), "digest of the import");
      }
    }
  }

  static List<Path> journalFiles(Path journal) throws Exception {
    try (Stream<Path> s = Files.list(journal)) {
      return s.filter(p -> p.getFileName().toString().startsWith("updates.")).sorted().toList();
    }
  }

  /** Whole MRT records in {@code f} and the bytes after the last one (a torn record). */
  static long[] walk(Path f) throws Exception {
    byte[] b = Files.readAllBytes(f);
    long records = 0;
    int at = 0;
    while (at + 12 <= b.length) {
      long len = ByteBuffer.wrap(b, at + 8, 4).getInt() & 0xffffffffL;
      if (at + 12 + len > b.length) {
        break;
      }
      at += 12 + (int) len;
      records++;
    }
    return new long[] {records, b.length - at};
  }

  /** bgpdump -m and routewatch mrt dump agree line for line on {@code f}; returns the lines. */
  static List<String> dumpParity(Path f) throws Exception {
    List<String> ours = JournalOutageIT.ourDump(f);
    List<String> theirs =
        Daemon.run(Duration.ofSeconds(60), "bgpdump", "-m", f.toString())
            .lines()
            .filter(l -> l.startsWith("BGP4MP"))
            .toList();
    for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
      assertEquals(theirs.get(i), ours.get(i), f + " line " + (i + 1));
    }
    assertEquals(theirs.size(), ours.size(), f + ": lines");
    return ours;
  }

  /** Prefixes whose routes in state are not the one the peer sent; up to 10, and how many. */
  static List<String> wrongRoutes(Stack stack) {
    List<String> wrong = new ArrayList<>();
    int count = 0;
    for (int i = 0; i < N; i++) {
      List<VantagePointRoute> r =
          stack
              .state()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getPrefix(
                  GetPrefixRequest.newBuilder()
                      .setPrefix(JournalSnapshotRestoreIT.prefix(i))
                      .build())
              .getRoutesList();
      String want = PEER + " 65027 " + (65100 + i % 50);
      boolean ok =
          r.size() == 1 && (r.get(0).getPeerAddress() + " " + r.get(0).getAsPath()).equals(want);
      if (!ok && count++ < 10) {
        wrong.add(
            JournalSnapshotRestoreIT.prefix(i)
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
}
