package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, acceptance 2: follow mode with the real services, a real Prometheus running the shipped
 * rules, and a loopback mirror laid out like RouteViews. The mirror serves the YouTube-evening
 * route-views2 files of ../shared/data under names of the last two hours (the names carry the time
 * follow mode goes by; nothing is copied), so the lag is measured against today's clock.
 *
 * <p>The collector starts with three files 90 to 60 minutes old: it imports them and is stale (lag
 * 45 min > 15 min interval + poll + 5 min grace), which Prometheus reports as {@code FeedStale}
 * {@code feed="archive:route-views2"}. A file added while it runs is seen by the next poll and
 * imported; the lag is then now minus the newest file's end and FeedStale resolves. A file
 * published late (older than the newest) is imported once. After a restart the ledger holds all
 * five and nothing is imported again; state's counts equal the sum of the five files' bgpdump
 * references throughout.
 */
class ArchiveFollowIT {
  static final Path YT = ArchiveImportIT.YT;

  /**
   * 2 s instead of the default 60 s so the test waits seconds, not minutes. An operator following a
   * local mirror (rsync'ed, listing is cheap) may poll this often too, to import each file as soon
   * as the mirror has it.
   */
  static final Duration POLL = Duration.ofSeconds(2);

  static final String FEED = "archive:route-views2";
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd.HHmm");
  static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  static String name(long epochSecond) {
    return "updates."
        + STAMP.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC))
        + ".bz2";
  }

  static void publish(ArchiveMirror m, long epochSecond, Path source) {
    String month = MONTH.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC));
    m.put("/bgpdata/" + month + "/UPDATES/" + name(epochSecond), source);
  }

  @Test
  void followsNewAndLateFilesOnceAndReportsItsLag(@TempDir Path tmp) throws Exception {
    List<Path> yt;
    try (Stream<Path> s = Files.list(YT)) {
      yt = s.filter(p -> p.toString().endsWith(".bz2")).sorted().limit(5).toList();
    }
    long[] want = new long[4];
    for (Path f : yt) {
      add(want, Reference.counts(f));
    }
    long began = System.nanoTime();
    long now = System.currentTimeMillis() / 1000;
    long t = now - Math.floorMod(now, 900); // the newest quarter hour
    Path cache = tmp.resolve("cache");
    Path ledger = cache.resolve("follow.json");
    try (ArchiveMirror m = new ArchiveMirror()) {
      publish(m, t - 5400, yt.get(0));
      publish(m, t - 4500, yt.get(1));
      publish(m, t - 3600, yt.get(2));
      Map<String, String> env = ArchiveImportIT.env(m, cache);
      env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_FOLLOW_COLLECTORS", "route-views2");
      env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_FOLLOW_POLL_INTERVAL", POLL.toMillis() + "ms");
      env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_FOLLOW_START", "2h");
      env.put("ROUTEWATCH_COLLECTOR_ARCHIVE_FOLLOW_STALE_GRACE", "5m");
      try (Stack stack = new Stack(env)) {
        stack.startState();
        GetStatsResponse before = stack.stats(false);
        stack.startCollector();
        long seenAfter;
        long importedAfter;
        double lagSeen;
        Prometheus prometheus =
            new Prometheus(
                stack.logs.resolve("prometheus"),
                stack.root.resolve("services/alert/src/main/resources/routewatch.rules.yml"),
                "routewatch-collector",
                stack.collectorPort);
        try (prometheus) {
          WatchDirIT.await(
              "the three files published before the start imported",
              Duration.ofMinutes(1),
              stack,
              () -> done(ledger).size() == 3);
          // newest imported: t-60 min, ending t-45 min: 45 min behind, stale
          WatchDirIT.await(
              "FeedStale " + FEED + " firing in Prometheus",
              Duration.ofSeconds(30),
              stack,
              () -> prometheus.firing("FeedStale", "feed", FEED));

          // a file published while the collector runs: seen by the next poll
          long published = System.currentTimeMillis();
          publish(m, t - 900, yt.get(3));
          WatchDirIT.await(
              "the file published while running imported",
              Duration.ofSeconds(30),
              stack,
              () -> done(ledger).contains(name(t - 900)));
          JsonObject entry = file(ledger, name(t - 900));
          long seen = entry.get("seenAtMillis").getAsLong();
          // seenAt is when the poll that listed it started: within one poll interval, plus 1 s
          // for the previous poll's own listing time and a loaded machine's scheduler (polls run
          // poll-interval apart from the end of one to the start of the next)
          assertTrue(
              seen <= published + POLL.toMillis() + 1000,
              "seen " + (seen - published) + " ms after it was published; poll " + POLL);
          WatchDirIT.await(
              "FeedStale " + FEED + " resolved in Prometheus",
              Duration.ofSeconds(30),
              stack,
              () -> !prometheus.firing("FeedStale", "feed", FEED));

          // the lag: now minus the newest file's end (t-15 min + its 15 min interval = t)
          long lo = System.currentTimeMillis() / 1000 - t;
          double lag =
              Metrics.sum(
                  Metrics.scrape(stack.collectorPort),
                  "routewatch_collector_archive_follow_lag_seconds",
                  "collector=\"route-views2\"");
          long hi = System.currentTimeMillis() / 1000 - t;
          assertTrue(lag >= lo && lag <= hi, "lag " + lag + " not in [" + lo + ", " + hi + "]");
          seenAfter = seen - published;
          importedAfter = entry.get("endedAtMillis").getAsLong() - published;
          lagSeen = lag;
        }

        // a file published late, between two imported ones: imported once
        publish(m, t - 1800, yt.get(4));
        WatchDirIT.await(
            "the late file imported",
            Duration.ofSeconds(30),
            stack,
            () -> done(ledger).contains(name(t - 1800)));
        WatchDirIT.await(
            "state holding the five files' reference counts",
            Duration.ofMinutes(1),
            stack,
            () -> Arrays.equals(want, delta(before, stack.stats(false))));
        String metrics = Metrics.scrape(stack.collectorPort);
        assertEquals(
            1, Metrics.sum(metrics, "routewatch_collector_archive_follow_late_files_total"));
        assertEquals(
            5,
            Metrics.sum(
                metrics,
                "routewatch_collector_archive_follow_files_total",
                "outcome=\"imported\""));
        List<ImportJob> jobs = WatchDirIT.jobs(stack);
        Set<String> streams = new HashSet<>();
        for (ImportJob j : jobs) {
          assertEquals(ImportState.DONE, j.getState(), j.toString());
          streams.add(j.getStreamId());
        }
        assertEquals(5, jobs.size(), jobs.toString());
        assertEquals(5, streams.size(), "one stream per file: " + streams);

        // a restart: the ledger holds the five files, nothing is imported again
        stack.stopCollector();
        stack.startCollector();
        Thread.sleep(3 * POLL.toMillis());
        JsonObject status = follow(stack);
        assertTrue(
            status.get("lastPoll") != null && !status.get("lastPoll").isJsonNull(),
            "polled since the restart: " + status);
        assertEquals(name(t - 900), status.get("newestFile").getAsString(), status.toString());
        assertEquals(List.of(), WatchDirIT.jobs(stack), "nothing imported after the restart");
        long[] got = delta(before, stack.stats(false));
        assertTrue(Arrays.equals(want, got), Arrays.toString(want) + " != " + Arrays.toString(got));
        System.out.printf(
            "ArchiveFollowIT: new file seen %d ms after it was published (poll %s), imported"
                + " after %d ms; lag %.0f s"
                + " (newest file ends %s); state counts %s = the 5 files' references; test ran"
                + " %d s%n",
            seenAfter,
            POLL,
            importedAfter,
            lagSeen,
            java.time.Instant.ofEpochSecond(t),
            Arrays.toString(got),
            (System.nanoTime() - began) / 1_000_000_000L);
      }
    }
  }

  /** Names of the files DONE in the follow ledger. */
  static Set<String> done(Path ledger) {
    Set<String> out = new HashSet<>();
    JsonObject files = files(ledger);
    if (files != null) {
      for (Map.Entry<String, JsonElement> e : files.entrySet()) {
        if ("DONE".equals(e.getValue().getAsJsonObject().get("outcome").getAsString())) {
          out.add(e.getKey());
        }
      }
    }
    return out;
  }

  static JsonObject file(Path ledger, String name) {
    return files(ledger).getAsJsonObject(name);
  }

  private static JsonObject files(Path ledger) {
    try {
      if (!Files.exists(ledger)) {
        return null;
      }
      JsonObject c =
          JsonParser.parseString(Files.readString(ledger))
              .getAsJsonObject()
              .getAsJsonObject("collectors")
              .getAsJsonObject("route-views2");
      return c == null ? null : c.getAsJsonObject("files");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject follow(Stack stack) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + stack.collectorPort + "/api/v1/archive/follow"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body())
        .getAsJsonObject()
        .getAsJsonArray("collectors")
        .get(0)
        .getAsJsonObject();
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
}
