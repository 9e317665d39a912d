package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.ListImportsResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 with the watched MRT directory ({@code routewatch.collector.mrt.watch-dir}) and the real
 * services: files dropped into the directory reach state exactly (bgpdump reference counts, read
 * through state's API), in name order; and a collector killed with {@code kill -9} (or stopped with
 * SIGTERM) in the middle of a watched import imports the file again after its restart under the
 * same file-derived stream id, so state ends with exactly the routes and counts of an uninterrupted
 * import (nothing lost, nothing applied twice), the ledger says DONE, and a further restart does
 * not import it again.
 */
@Tag("serial") // see e2e/pom.xml: asserts wall-clock timing
class WatchDirIT {
  static final Path RIPE = Stack.data().resolve("mrt/ripe-bgpdump");

  /** 577,737 announcements: big enough to be caught in the middle of its import. */
  static final Path BIG = RIPE.resolve("updates.et-header.2015.gz");

  static final Duration INTERVAL = Duration.ofMillis(200);
  static final Duration STABLE_FOR = Duration.ofSeconds(1);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /**
   * Three archives (a truncated RIB dump, two update files with session state changes and
   * withdrawals) arrive under partial names, the middle one written in pieces like a download; they
   * are not taken while partial, then renamed in reverse name order: state ends with exactly the
   * bgpdump reference counts of all three and the jobs ran in name order.
   */
  @Test
  void filesDroppedIntoTheWatchedDirectoryReachStateExactly(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("incoming"));
    Path ledger = tmp.resolve("ledger.json");
    List<Path> files =
        List.of(
            Stack.data().resolve("mrt/pyasn/rib.20080501.0644_firstMB.bz2"),
            RIPE.resolve("updates.20020722.2238.gz"),
            RIPE.resolve("updates.20100722.2015.gz"));
    List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
    assertEquals(
        names.stream().sorted().toList(), names, "test files must be listed in name order");
    long[] want = new long[4];
    for (Path f : files) {
      add(want, Reference.counts(f), 1);
    }
    assertTrue(
        want[0] > 0 && want[1] > 0 && want[2] > 0 && want[3] > 0, "every kind must be checked");

    try (Stack stack = new Stack(env(dir, ledger))) {
      stack.startState();
      stack.startCollector();
      GetStatsResponse before = stack.stats(false);

      // Partial names first (the middle file in pieces): never taken, even when they stop changing.
      List<Path> reversed = new ArrayList<>(files);
      Collections.reverse(reversed);
      for (Path f : reversed) {
        Path part = dir.resolve(f.getFileName() + ".part");
        if (f.equals(files.get(1))) {
          writeInPieces(f, part, 4, Duration.ofMillis(150));
        } else {
          Files.copy(f, part);
        }
      }
      Thread.sleep(STABLE_FOR.plus(INTERVAL.multipliedBy(5)).toMillis());
      assertEquals(List.of(), jobs(stack), "files under .part names were taken");

      // Final names, the last in name order first: still imported in name order.
      for (Path f : reversed) {
        Files.move(
            dir.resolve(f.getFileName() + ".part"),
            dir.resolve(f.getFileName().toString()),
            StandardCopyOption.ATOMIC_MOVE);
      }

      await(
          "all three files imported and state holding their reference counts",
          Duration.ofMinutes(4),
          stack,
          () -> {
            List<ImportJob> js = jobs(stack);
            return js.size() == files.size()
                && js.stream().allMatch(j -> j.getState() == ImportState.DONE)
                && Arrays.equals(delta(before, stack.stats(false)), want);
          });

      GetStatsResponse after = stack.stats(false);
      long[] got = delta(before, after);
      assertEquals(want[0], got[0], "announcements at state");
      assertEquals(want[1], got[1], "withdrawals at state");
      assertEquals(want[2], got[2], "RIB entries at state");
      assertEquals(want[3], got[3], "state changes at state");

      List<ImportJob> js = jobs(stack);
      assertEquals(
          names,
          js.stream().map(j -> Path.of(j.getPath()).getFileName().toString()).toList(),
          "jobs in the order they were started (GET /api/v1/imports) must be in name order");
      for (ImportJob j : js) {
        assertEquals(ImportState.DONE, j.getState(), j.toString());
        assertTrue(
            j.getStreamId().contains("/watch/"),
            "watched job without a file-derived stream id: " + j);
      }
      await(
          "the ledger recording every file DONE",
          Duration.ofSeconds(30),
          stack,
          () -> names.stream().allMatch(n -> "DONE".equals(outcome(ledger, n))));
    }
  }

  /**
   * State after an uninterrupted watched import of {@link #BIG} into a fresh stack (once per run).
   */
  private static GetStatsResponse clean;

  /**
   * {@code kill -9} of the collector in the middle of a watched import; after the restart the file
   * is imported again and state ends exactly as after an uninterrupted import into a fresh stack.
   */
  @Test
  void collectorKilledMidImportReimportsTheFileExactlyOnce(@TempDir Path tmp) throws Exception {
    interruptedImportEndsAsTheCleanOne(tmp, true);
  }

  /**
   * The same with a clean stop (SIGTERM) of the collector: the running job is interrupted, stays
   * IMPORTING, and nothing it had not read from the file reaches state.
   */
  @Test
  void collectorStoppedMidImportReimportsTheFileExactlyOnce(@TempDir Path tmp) throws Exception {
    interruptedImportEndsAsTheCleanOne(tmp, false);
  }

  private static synchronized GetStatsResponse clean(Path tmp) throws Exception {
    if (clean != null) {
      return clean;
    }
    String name = BIG.getFileName().toString();
    Reference.Counts ref = Reference.counts(BIG);
    Path dir = Files.createDirectory(tmp.resolve("clean"));
    Path ledger = tmp.resolve("clean.imports.json");
    try (Stack stack = new Stack(env(dir, ledger))) {
      stack.startState();
      stack.startCollector();
      Files.copy(BIG, dir.resolve(name));
      await(
          "the uninterrupted import DONE in the ledger",
          Duration.ofMinutes(5),
          stack,
          () -> "DONE".equals(outcome(ledger, name)));
      GetStatsResponse c = stack.stats(true);
      assertEquals(ref.announcements(), c.getAnnouncements(), "announcements (bgpdump reference)");
      assertEquals(ref.withdrawals(), c.getWithdrawals(), "withdrawals (bgpdump reference)");
      assertEquals(ref.ribEntries(), c.getRibEntries(), "RIB entries (bgpdump reference)");
      assertEquals(ref.stateChanges(), c.getStateChanges(), "state changes (bgpdump reference)");
      assertTrue(
          c.getEventsApplied() > 500_000,
          "uninterrupted import applied only " + c.getEventsApplied());
      clean = c;
      return c;
    }
  }

  private static void interruptedImportEndsAsTheCleanOne(Path tmp, boolean kill9) throws Exception {
    String name = BIG.getFileName().toString();
    // 1. Uninterrupted: a fresh stack imports the file from its watched directory.
    GetStatsResponse clean = clean(tmp);
    long total = clean.getEventsApplied();

    // 2. Interrupted: stop the collector once state acknowledged >= 10 % and < 90 % was read.
    Path dir = Files.createDirectory(tmp.resolve("incoming"));
    Path ledger = tmp.resolve("incoming.imports.json");
    try (Stack stack = new Stack(env(dir, ledger))) {
      stack.startState();
      stack.startCollector();
      Files.copy(BIG, dir.resolve(name));
      ImportJob atKill = null;
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (atKill == null) {
        List<ImportJob> js = jobs(stack);
        if (!js.isEmpty()) {
          ImportJob j = js.get(0);
          if (j.getState() == ImportState.DONE
              || j.getState() == ImportState.FAILED
              || j.getEvents() > total * 9 / 10) {
            fail("the import went past 90 % before the collector could be stopped: " + j);
          }
          if (j.getEventsAcknowledged() >= total / 10) {
            if (kill9) {
              stack.killCollector();
            } else {
              stack.stopCollector();
            }
            atKill = j;
          }
        }
        if (atKill == null) {
          assertTrue(
              System.nanoTime() < deadline,
              "watched import did not progress: " + js + "\n" + tail(stack));
          Thread.sleep(20);
        }
      }
      String streamId = atKill.getStreamId();
      // What state applied before the stop (its queue drained): a real part of the file, not all.
      long applied = settledEventsApplied(stack);
      assertTrue(
          applied >= total / 10 && applied < total,
          "collector stopped at "
              + atKill.getEvents()
              + " events read, state applied "
              + applied
              + " of "
              + total);
      JsonObject entry = ledgerEntry(ledger, name);
      assertEquals("IMPORTING", str(entry, "outcome"), "ledger after the stop: " + entry);
      assertEquals(streamId, str(entry, "streamId"), "ledger after the stop: " + entry);
      assertEquals(0, duplicates(stack), "duplicate batches before the restart");

      // Restart with the same directory and ledger: the file is imported again, same stream id.
      stack.startCollector();
      await(
          "the re-import DONE in the ledger",
          Duration.ofMinutes(5),
          stack,
          () -> "DONE".equals(outcome(ledger, name)));
      List<ImportJob> js = jobs(stack);
      assertEquals(1, js.size(), "jobs after the restart: " + js);
      assertEquals(ImportState.DONE, js.get(0).getState(), js.get(0).toString());
      assertEquals(
          streamId, js.get(0).getStreamId(), "re-import must use the file-derived stream id");
      JsonObject done = ledgerEntry(ledger, name);
      assertEquals(streamId, str(done, "streamId"), "ledger: " + done);
      assertEquals(js.get(0).getId(), str(done, "job"), "ledger: " + done);
      assertTrue(
          duplicates(stack) > 0,
          "state skipped no batch: the re-import cannot have been deduplicated");

      GetStatsResponse interrupted = stack.stats(true);
      assertEquals(clean.getEventsApplied(), interrupted.getEventsApplied(), "events applied");
      assertEquals(clean.getBatchesApplied(), interrupted.getBatchesApplied(), "batches applied");
      assertEquals(clean.getAnnouncements(), interrupted.getAnnouncements(), "announcements");
      assertEquals(clean.getWithdrawals(), interrupted.getWithdrawals(), "withdrawals");
      assertEquals(clean.getRibEntries(), interrupted.getRibEntries(), "RIB entries");
      assertEquals(clean.getStateChanges(), interrupted.getStateChanges(), "state changes");
      assertEquals(clean.getRoutes(), interrupted.getRoutes(), "routes");
      assertEquals(clean.getPrefixes(), interrupted.getPrefixes(), "prefixes");
      assertEquals(clean.getVantagePoints(), interrupted.getVantagePoints(), "vantage points");
      assertEquals(clean.getRouteDigest(), interrupted.getRouteDigest(), "route digest");

      // 3. Another crash and start: the DONE file is not imported again. A new file dropped in
      // meanwhile is, which shows the watcher did scan past the DONE one.
      stack.killCollector();
      Path extra = RIPE.resolve("updates.20100722.2015.gz");
      String extraName = "updates.zz-after." + extra.getFileName(); // sorts after the big file
      Files.copy(extra, dir.resolve(extraName));
      GetStatsResponse before = stack.stats(false);
      stack.startCollector();
      await(
          "the new file DONE in the ledger",
          Duration.ofMinutes(2),
          stack,
          () -> "DONE".equals(outcome(ledger, extraName)));
      List<ImportJob> third = jobs(stack);
      assertEquals(
          List.of(extraName),
          third.stream().map(j -> Path.of(j.getPath()).getFileName().toString()).toList(),
          "jobs after the third start: " + third);
      assertEquals(done, ledgerEntry(ledger, name), "the DONE entry of " + name + " was rewritten");
      long[] got = delta(before, stack.stats(false));
      long[] want = add(new long[4], Reference.counts(extra), 1);
      assertTrue(
          Arrays.equals(want, got),
          "third start: state changed by "
              + Arrays.toString(got)
              + ", the new file alone is "
              + Arrays.toString(want));
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static Map<String, String> env(Path dir, Path ledger) {
    Map<String, String> env = new HashMap<>();
    env.put("ROUTEWATCH_COLLECTOR_MRT_WATCH_DIR", dir.toString());
    env.put("ROUTEWATCH_COLLECTOR_MRT_LEDGER", ledger.toString());
    env.put("ROUTEWATCH_COLLECTOR_MRT_WATCH_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("ROUTEWATCH_COLLECTOR_MRT_STABLE_FOR", STABLE_FOR.toMillis() + "ms");
    // Not needed here; their fixed default ports may be taken by another test on the machine.
    env.put("ROUTEWATCH_COLLECTOR_BGP_ENABLED", "false");
    env.put("ROUTEWATCH_COLLECTOR_BMP_ENABLED", "false");
    return env;
  }

  /** {@code GET /api/v1/imports} on the collector, in the order the jobs were started. */
  /** The collector's import jobs, through its REST API (also used by ArchiveImportIT). */
  static List<ImportJob> jobs(Stack stack) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + stack.collectorPort + "/api/v1/imports"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), "GET /api/v1/imports: " + r.body());
    ListImportsResponse.Builder b = ListImportsResponse.newBuilder();
    JsonFormat.parser().merge(r.body(), b);
    return b.getJobsList();
  }

  /** The ledger entry of {@code name}, or null (no ledger yet, or no entry). */
  private static JsonObject ledgerEntry(Path ledger, String name) throws IOException {
    if (!Files.exists(ledger)) {
      return null;
    }
    JsonObject root = JsonParser.parseString(Files.readString(ledger)).getAsJsonObject();
    for (JsonElement e : root.getAsJsonArray("files")) {
      JsonObject o = e.getAsJsonObject();
      if (name.equals(str(o, "name"))) {
        return o;
      }
    }
    return null;
  }

  private static String outcome(Path ledger, String name) {
    JsonObject e;
    try {
      e = ledgerEntry(ledger, name);
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return e == null ? null : str(e, "outcome");
  }

  private static String str(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /** announcements, withdrawals, RIB entries, state changes: {@code after - before}. */
  private static long[] delta(GetStatsResponse before, GetStatsResponse after) {
    return new long[] {
      after.getAnnouncements() - before.getAnnouncements(),
      after.getWithdrawals() - before.getWithdrawals(),
      after.getRibEntries() - before.getRibEntries(),
      after.getStateChanges() - before.getStateChanges()
    };
  }

  private static long[] add(long[] to, Reference.Counts c, int times) {
    to[0] += times * c.announcements();
    to[1] += times * c.withdrawals();
    to[2] += times * c.ribEntries();
    to[3] += times * c.stateChanges();
    return to;
  }

  /** State's events_applied once it stopped moving (its queue drained after the collector died). */
  private static long settledEventsApplied(Stack stack) throws InterruptedException {
    long last = -1;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      long now = stack.stats(false).getEventsApplied();
      if (now == last) {
        return now;
      }
      last = now;
      Thread.sleep(1000);
    }
    throw new IllegalStateException(
        "state's events_applied still moving 30 s after the collector died: " + last);
  }

  private static double duplicates(Stack stack) throws IOException, InterruptedException {
    return Metrics.sum(Metrics.scrape(stack.statePort), "routewatch_state_batches_duplicate_total");
  }

  /** A download: the file appears and grows in {@code pieces} writes {@code pause} apart. */
  private static void writeInPieces(Path src, Path dst, int pieces, Duration pause)
      throws Exception {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(src)) {
      bytes = in.readAllBytes();
    }
    try (OutputStream out = Files.newOutputStream(dst)) {
      int step = (bytes.length + pieces - 1) / pieces;
      for (int off = 0; off < bytes.length; off += step) {
        out.write(bytes, off, Math.min(step, bytes.length - off));
        out.flush();
        Thread.sleep(pause.toMillis());
      }
    }
  }

  /** Polls {@code cond} every 200 ms; fails with the jobs, state and collector log tail. */
  static void await(String what, Duration timeout, Stack stack, Callable<Boolean> cond)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!cond.call()) {
      if (System.nanoTime() > deadline) {
        fail(
            "not reached within "
                + timeout
                + ": "
                + what
                + "\njobs: "
                + jobs(stack)
                + "\nstate: "
                + stack.stats(false)
                + "\n"
                + tail(stack));
      }
      Thread.sleep(200);
    }
  }

  static String tail(Stack stack) {
    String log = stack.log("collector");
    return "collector log (tail):\n" + log.substring(Math.max(0, log.length() - 4000));
  }
}
