package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, acceptance 1 and 4, with the real services against a loopback mirror of ../shared/data
 * laid out like the public archives (built at test time, nothing copied): a range import takes
 * exactly the files in range, merged by time across collectors, and state's counts equal the sum of
 * their bgpdump references; a collector killed with {@code kill -9} mid-import imports the range
 * again at its restart (ledger) without a duplicate; a mirror that drops connections, truncates or
 * lies about sizes is retried/resumed and reported, never imported half.
 */
@Tag("serial") // kills and restarts the collector; timing-sensitive
class ArchiveImportIT {
  static final Path YT = Stack.data().resolve("incidents/mrt/youtube-2008-routeviews-cs3640");
  static final Path RRC06 =
      Stack.data().resolve("mrt/libbgpstream/ris.rrc06.updates.1427846400.gz");
  static final Path JINX =
      Stack.data().resolve("mrt/libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2");
  static final Path RRC03 =
      Stack.data()
          .resolve("mrt/bgpkit-ris/rrc03/2010.02/updates.20100227.1600.first-796-records.gz");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** The mirror: RIS and RouteViews under one base, as the public archives lay them out. */
  static ArchiveMirror mirror() throws IOException {
    ArchiveMirror m = new ArchiveMirror();
    m.put("/rrc03/2010.02/updates.20100227.1600.gz", RRC03);
    m.put("/rrc06/2015.04/updates.20150401.0000.gz", RRC06);
    m.put("/route-views.jinx/bgpdata/2015.04/UPDATES/updates.20150401.0000.bz2", JINX);
    try (Stream<Path> s = Files.list(YT)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".bz2")).sorted().toList()) {
        m.put("/bgpdata/2008.02/UPDATES/" + p.getFileName(), p);
      }
    }
    return m;
  }

  static Map<String, String> env(ArchiveMirror m, Path cache) {
    Map<String, String> env = new HashMap<>();
    env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_RIS_BASE_URL", m.base());
    env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_ROUTEVIEWS_BASE_URL", m.base());
    env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_CACHE_DIR", cache.toString());
    env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_ATTEMPTS", "3");
    env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_RETRY_BACKOFF", "50ms");
    env.put("ROUTEWATCH_COLLECTOR_BGP_ENABLED", "false");
    env.put("ROUTEWATCH_COLLECTOR_BMP_ENABLED", "false");
    return env;
  }

  /**
   * Acceptance 1 and 4: rrc06 and route-views.jinx at the same time, merged; the mirror drops the
   * first connection mid-body, serves a truncated body, lies about a length and answers 503; the
   * import ends DONE with exactly the two files' reference counts and the failures counted. A file
   * truncated on every attempt fails its import, naming the URL, and nothing of it reaches state.
   */
  @Test
  void rangeImportMergesCollectorsAndSurvivesABadMirror(@TempDir Path tmp) throws Exception {
    try (ArchiveMirror m = mirror();
        Stack stack = new Stack(env(m, tmp.resolve("cache")))) {
      stack.startState();
      stack.startCollector();

      // listing: exactly the files covering the range, in time order (route-views2's minutes are
      // irregular: 1824 covers 18:30, 1924 is the last that starts before 19:30)
      assertEquals(
          List.of(
              "updates.20080224.1824.bz2",
              "updates.20080224.1839.bz2",
              "updates.20080224.1854.bz2",
              "updates.20080224.1909.bz2",
              "updates.20080224.1924.bz2"),
          names(list(stack, "route-views2,rrc03", "2008-02-24T18:30:00Z", "2008-02-24T19:30:00Z")));
      JsonArray both =
          list(stack, "rrc06,route-views.jinx", "2015-04-01T00:00:00Z", "2015-04-01T00:05:00Z");
      assertEquals(List.of("updates.20150401.0000.gz", "updates.20150401.0000.bz2"), names(both));

      m.fail(
          "/rrc06/2015.04/updates.20150401.0000.gz",
          ArchiveMirror.Fault.DROP_MID_BODY,
          ArchiveMirror.Fault.UNAVAILABLE);
      m.fail(
          "/route-views.jinx/bgpdata/2015.04/UPDATES/updates.20150401.0000.bz2",
          ArchiveMirror.Fault.TRUNCATED,
          ArchiveMirror.Fault.LENGTH_TOO_LONG);
      GetStatsResponse before = stack.stats(false);
      ImportJob job =
          start(stack, "rrc06,route-views.jinx", "2015-04-01T00:00:00Z", "2015-04-01T00:05:00Z");
      ImportJob done = awaitEnd(stack, job.getId(), Duration.ofMinutes(3));
      assertEquals(ImportState.DONE, done.getState(), done.toString());
      long[] want = add(add(new long[4], Reference.counts(RRC06)), Reference.counts(JINX));
      WatchDirIT.await(
          "state holding the two files' reference counts",
          Duration.ofMinutes(1),
          stack,
          () -> Arrays.equals(want, delta(before, stack.stats(false))));
      assertEquals(
          want[0] + want[1] + want[3],
          done.getEvents(),
          "events read: announcements, withdrawals, states");
      String metrics = Metrics.scrape(stack.collectorPort);
      assertTrue(
          Metrics.sum(metrics, "routewatch_collector_archive_failures_total") >= 3,
          "failures counted: " + grep(metrics, "archive"));
      assertEquals(
          2, Metrics.sum(metrics, "routewatch_collector_archive_files_fetched_total"), "files");
      assertTrue(
          Metrics.sum(metrics, "routewatch_collector_archive_bytes_fetched_total")
              >= Files.size(RRC06) + Files.size(JINX));

      // the same request again: the cache serves it, state skips every batch (same stream id)
      GetStatsResponse mid = stack.stats(false);
      ImportJob again =
          awaitEnd(
              stack,
              start(stack, "rrc06,route-views.jinx", "2015-04-01T00:00:00Z", "2015-04-01T00:05:00Z")
                  .getId(),
              Duration.ofMinutes(2));
      assertEquals(ImportState.DONE, again.getState(), again.toString());
      assertEquals(job.getStreamId(), again.getStreamId());
      Thread.sleep(1000);
      assertTrue(Arrays.equals(new long[4], delta(mid, stack.stats(false))), "applied twice");
      assertEquals(
          2,
          Metrics.sum(
              Metrics.scrape(stack.collectorPort),
              "routewatch_collector_archive_cache_hits_total"));

      // a file truncated on every attempt: FAILED, the URL named, nothing of it at state
      String p3 = "/rrc03/2010.02/updates.20100227.1600.gz";
      m.fail(
          p3,
          ArchiveMirror.Fault.TRUNCATED,
          ArchiveMirror.Fault.TRUNCATED,
          ArchiveMirror.Fault.TRUNCATED);
      GetStatsResponse pre = stack.stats(false);
      ImportJob bad =
          awaitEnd(
              stack,
              start(stack, "rrc03", "2010-02-27T16:00:00Z", "2010-02-27T16:05:00Z").getId(),
              Duration.ofMinutes(2));
      assertEquals(ImportState.FAILED, bad.getState(), bad.toString());
      assertTrue(bad.getErrorsList().toString().contains(p3), bad.getErrorsList().toString());
      assertTrue(
          bad.getErrorsList().toString().contains("integrity"), bad.getErrorsList().toString());
      Thread.sleep(1000);
      assertTrue(Arrays.equals(new long[4], delta(pre, stack.stats(false))), "half imported");
      assertTrue(
          Files.notExists(tmp.resolve("cache/rrc03/updates.20100227.1600.gz")), "half cached");

      // the CLI over gRPC: archive list, then import a range ([18:30, 18:45): 1824 and 1839)
      String at = "127.0.0.1:" + stack.collectorPort;
      String[] range = {"--from", "2008-02-24T18:30:00Z", "--until", "2008-02-24T18:45:00Z"};
      assertEquals(
          0,
          io.routewatch.cli.Main.run(
              "archive",
              "list",
              "--collectors",
              "route-views2",
              range[0],
              range[1],
              range[2],
              range[3],
              "--collector",
              at));
      GetStatsResponse cliBefore = stack.stats(false);
      assertEquals(
          0,
          io.routewatch.cli.Main.run(
              "import",
              "--collectors",
              "route-views2",
              range[0],
              range[1],
              range[2],
              range[3],
              "--collector",
              at,
              "--no-progress"));
      long[] two =
          add(
              add(new long[4], Reference.counts(YT.resolve("updates.20080224.1824.bz2"))),
              Reference.counts(YT.resolve("updates.20080224.1839.bz2")));
      WatchDirIT.await(
          "state holding 1824 and 1839's reference counts",
          Duration.ofMinutes(1),
          stack,
          () -> Arrays.equals(two, delta(cliBefore, stack.stats(false))));
    }
  }

  /**
   * Acceptance 1: all twelve route-views2 files of the YouTube hijack evening, the collector killed
   * with {@code kill -9} once state acknowledged a tenth; at its restart the ledger imports the
   * range again under the same stream id and state ends with exactly the sum of the bgpdump
   * references (nothing lost, nothing applied twice).
   */
  @Test
  void collectorKilledMidRangeImportCompletesWithoutADuplicate(@TempDir Path tmp) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(YT)) {
      files = s.filter(p -> p.toString().endsWith(".bz2")).sorted().toList();
    }
    assertEquals(12, files.size());
    long[] want = new long[4];
    for (Path f : files) {
      add(want, Reference.counts(f));
    }
    long total = want[0] + want[1];
    Path cache = tmp.resolve("cache");
    try (ArchiveMirror m = mirror();
        Stack stack = new Stack(env(m, cache))) {
      stack.startState();
      stack.startCollector();
      GetStatsResponse before = stack.stats(false);
      ImportJob job = start(stack, "route-views2", "2008-02-24T18:00:00Z", "2008-02-24T22:00:00Z");
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (true) {
        ImportJob j = get(stack, job.getId());
        if (j.getState() == ImportState.DONE || j.getEvents() > total * 9 / 10) {
          fail("the import went past 90 % before the collector could be killed: " + j);
        }
        if (j.getEventsAcknowledged() >= total / 10) {
          stack.killCollector();
          break;
        }
        assertTrue(System.nanoTime() < deadline, "range import did not progress: " + j);
        Thread.sleep(20);
      }
      Path ledger = cache.resolve("imports.json");
      assertEquals("IMPORTING", outcome(ledger, job.getStreamId()));
      stack.startCollector();
      WatchDirIT.await(
          "the resumed range import DONE in the ledger",
          Duration.ofMinutes(5),
          stack,
          () -> "DONE".equals(outcome(ledger, job.getStreamId())));
      WatchDirIT.await(
          "state holding the twelve files' reference counts",
          Duration.ofMinutes(1),
          stack,
          () -> Arrays.equals(want, delta(before, stack.stats(false))));
      List<ImportJob> js = WatchDirIT.jobs(stack);
      assertEquals(1, js.size(), js.toString());
      assertEquals(job.getStreamId(), js.get(0).getStreamId());
      assertTrue(
          Metrics.sum(Metrics.scrape(stack.statePort), "routewatch_state_batches_duplicate_total")
              > 0,
          "state skipped no batch: the resumed import cannot have been deduplicated");
      Thread.sleep(1000);
      long[] got = delta(before, stack.stats(false));
      assertTrue(Arrays.equals(want, got), Arrays.toString(want) + " != " + Arrays.toString(got));
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static String base(Stack stack) {
    return "http://127.0.0.1:" + stack.collectorPort;
  }

  private static JsonArray list(Stack stack, String collectors, String from, String until)
      throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base(stack)
                            + "/api/v1/archive/files?collector="
                            + collectors
                            + "&from="
                            + from
                            + "&until="
                            + until))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("files");
  }

  private static List<String> names(JsonArray files) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : files) {
      out.add(e.getAsJsonObject().get("name").getAsString());
    }
    return out;
  }

  private static ImportJob start(Stack stack, String collectors, String from, String until)
      throws Exception {
    String body =
        "{\"collectors\": [\""
            + String.join("\",\"", collectors.split(","))
            + "\"], \"from\": \""
            + from
            + "\", \"until\": \""
            + until
            + "\", \"type\": \"updates\"}";
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base(stack) + "/api/v1/archive/imports"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    ImportJob.Builder b = ImportJob.newBuilder();
    JsonFormat.parser().merge(r.body(), b);
    return b.build();
  }

  private static ImportJob get(Stack stack, String id) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base(stack) + "/api/v1/imports/" + id))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    ImportJob.Builder b = ImportJob.newBuilder();
    JsonFormat.parser().merge(r.body(), b);
    return b.build();
  }

  private static ImportJob awaitEnd(Stack stack, String id, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      ImportJob j = get(stack, id);
      if (j.getState() == ImportState.DONE
          || j.getState() == ImportState.FAILED
          || j.getState() == ImportState.CANCELLED) {
        return j;
      }
      if (System.nanoTime() > deadline) {
        fail(
            "import "
                + id
                + " not ended within "
                + timeout
                + ": "
                + j
                + "\n"
                + WatchDirIT.tail(stack));
      }
      Thread.sleep(100);
    }
  }

  private static String outcome(Path ledger, String streamId) {
    try {
      if (!Files.exists(ledger)) {
        return null;
      }
      JsonObject root = JsonParser.parseString(Files.readString(ledger)).getAsJsonObject();
      for (JsonElement e : root.getAsJsonArray("imports")) {
        JsonObject o = e.getAsJsonObject();
        if (streamId.equals(o.get("streamId").getAsString())) {
          return o.get("outcome").getAsString();
        }
      }
      return null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long[] delta(GetStatsResponse before, GetStatsResponse after) {
    return new long[] {
      after.getAnnouncements() - before.getAnnouncements(),
      after.getWithdrawals() - before.getWithdrawals(),
      after.getRibEntries() - before.getRibEntries(),
      after.getStateChanges() - before.getStateChanges()
    };
  }

  private static long[] add(long[] to, Reference.Counts c) {
    to[0] += c.announcements();
    to[1] += c.withdrawals();
    to[2] += c.ribEntries();
    to[3] += c.stateChanges();
    return to;
  }

  private static String grep(String text, String word) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.contains(word)) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }
}
