package io.routewatch.collector.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.collector.mrt.ImportJobRun;
import io.routewatch.collector.mrt.ImportJobs;
import io.routewatch.collector.mrt.TestJobs;
import io.routewatch.collector.publish.FakeState;
import io.routewatch.collector.publish.StateLink;
import io.routewatch.collector.publish.TestLinks;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.RouteEventBatch;
import io.smallrye.config.SmallRyeConfig;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follow mode (issue 20, acceptance 2) against the loopback mirror and a loopback state with
 * state's contiguity rules, driven poll by poll on a manual wall clock: new files are imported at
 * the next poll, a file published late (after newer ones) is imported once, a restarted follower
 * reads its ledger and imports nothing twice, a file whose import state acknowledged but the ledger
 * never recorded (a crash between the two) is sent again under the same stream id and state skips
 * every batch, and the lag is now minus the end of the newest file imported.
 */
class ArchiveFollowerTest {
  static final Path RRC03 = ArchiveFetchTest.RRC03;
  static final Path RRC06 = ArchiveFetchTest.RRC06;
  static final String DIR = "/rrc03/2010.02/";
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  final List<AutoCloseable> closing = new ArrayList<>();
  ArchiveMirror mirror;
  FakeState state;
  ImportJobs jobs;
  ArchiveIndex index;
  ArchiveFetcher fetcher;
  final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void setUp() throws Exception {
    mirror = new ArchiveMirror();
    closing.add(
        () -> {
          try {
            mirror.close();
          } catch (RuntimeException e) {
            // a test closed it already
          }
        });
    state = new FakeState("state");
    closing.add(state);
    SmallRyeConfig cfg = TestLinks.config(Map.of("routewatch.collector.publish.batch-size", "50"));
    StateLink link = TestLinks.unsharded(cfg, state.port(), closing);
    jobs = TestJobs.jobs(cfg, link, closing);
    HttpClient http = HttpClient.newHttpClient();
    index = new ArchiveIndex(http, f -> mirror.base(), Duration.ofSeconds(20));
    fetcher =
        new ArchiveFetcher(
            http,
            new ArchiveFetcher.Settings(
                tmp.resolve("cache"),
                1L << 30,
                2,
                2,
                Duration.ofMillis(10),
                Duration.ofSeconds(20)),
            new SimpleMeterRegistry());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  ArchiveFollower follower(SimpleMeterRegistry registry, String start) {
    return new ArchiveFollower(
        index,
        fetcher,
        jobs,
        tmp.resolve("follow.json"),
        new ArchiveFollower.Settings(
            List.of("rrc03"),
            Duration.ofSeconds(60),
            start,
            Duration.ofHours(6),
            24,
            Duration.ofMinutes(15),
            tmp.resolve("cache"),
            50),
        registry,
        clock::get);
  }

  void at(String stamp) {
    clock.set(ArchiveFetchTest.t(stamp) * 1000);
  }

  /** Polls once, then waits until nothing of the follower is importing. */
  void poll(ArchiveFollower f) throws InterruptedException {
    f.poll();
    TestLinks.await(
        "the follower's imports to end", WAIT, () -> f.status().get(0).importing() == 0);
  }

  List<ImportJobRun> followJobs() {
    return jobs.all().stream().filter(j -> j.merged() != null).toList();
  }

  /** Follow jobs by file name (each must appear once). */
  Map<String, ImportJobRun> byFile() {
    Map<String, ImportJobRun> out = new TreeMap<>();
    for (ImportJobRun j : followJobs()) {
      String name = j.merged().label().substring(j.merged().label().lastIndexOf(' ') + 1);
      assertNull(out.put(name + "#" + j.id(), j));
    }
    return out;
  }

  /** Events state applied per stream. */
  Map<String, Long> appliedEvents() {
    Map<String, Long> out = new TreeMap<>();
    for (RouteEventBatch b : state.applied()) {
      out.merge(b.getStreamId(), (long) b.getEventsCount(), Long::sum);
    }
    return out;
  }

  static double gauge(SimpleMeterRegistry r, String name) {
    return r.get(name).tag("collector", "rrc03").gauge().value();
  }

  static double counter(SimpleMeterRegistry r, String name, String... tags) {
    var c = r.find(name).tag("collector", "rrc03").tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void importsNewAndLateFilesOnceAndSurvivesARestart() throws Exception {
    // before "since" (16:20 - 1h = 15:20): never imported
    mirror.put(DIR + "updates.20100227.1500.gz", RRC06);
    mirror.put(DIR + "updates.20100227.1600.gz", RRC03);
    mirror.put(DIR + "updates.20100227.1610.gz", RRC06);
    at("20100227.1620");
    SimpleMeterRegistry r1 = new SimpleMeterRegistry();
    ArchiveFollower f = follower(r1, "1h");
    assertEquals(ArchiveFetchTest.t("20100227.1520"), f.status().get(0).since());
    poll(f);
    assertEquals(2, followJobs().size(), "1600 and 1610: " + byFile().keySet());
    for (ImportJobRun j : followJobs()) {
      assertEquals(ImportState.DONE, j.state(), j.toProto().toString());
    }
    // newest 1610 (the newest listed: covers 5 min) ends 16:15; now 16:20
    assertEquals(300, gauge(r1, "routewatch_collector_archive_follow_lag_seconds"));
    assertEquals(0, gauge(r1, "routewatch_collector_archive_follow_stale"));
    assertEquals("updates.20100227.1610.gz", f.status().get(0).newestFile());

    // polling again imports nothing
    poll(f);
    assertEquals(2, followJobs().size());

    // a new file: imported at the next poll
    mirror.put(DIR + "updates.20100227.1615.gz", RRC03);
    at("20100227.1622");
    poll(f);
    assertEquals(3, followJobs().size(), byFile().keySet().toString());
    assertEquals(120, gauge(r1, "routewatch_collector_archive_follow_lag_seconds")); // 16:20
    assertEquals(0, counter(r1, "routewatch_collector_archive_follow_late_files_total"));

    // a file published late, between 1600 and 1610: imported once, counted late
    mirror.put(DIR + "updates.20100227.1605.gz", RRC06);
    at("20100227.1624");
    poll(f);
    poll(f);
    assertEquals(4, followJobs().size(), byFile().keySet().toString());
    assertEquals(1, counter(r1, "routewatch_collector_archive_follow_late_files_total"));
    assertEquals(
        4, counter(r1, "routewatch_collector_archive_follow_files_total", "outcome", "imported"));
    assertEquals("updates.20100227.1615.gz", f.status().get(0).newestFile());
    assertEquals(240, gauge(r1, "routewatch_collector_archive_follow_lag_seconds"));

    // every batch of each file reached state once, one stream per file
    Map<String, Long> applied = appliedEvents();
    assertEquals(4, applied.size(), applied.toString());
    long events = followJobs().stream().mapToLong(j -> j.toProto().getEvents()).sum();
    assertEquals(events, applied.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(0, state.duplicates());
    assertEquals(0, state.gaps());
    for (ImportJobRun j : followJobs()) {
      assertTrue(j.streamId().startsWith("rrc03/follow/updates.20100227.16"), j.streamId());
    }

    // a restart: the ledger says what was imported; nothing is imported again
    f.stop();
    SimpleMeterRegistry r2 = new SimpleMeterRegistry();
    ArchiveFollower g = follower(r2, "1h");
    poll(g);
    poll(g);
    assertEquals(4, followJobs().size(), "a restart repeats nothing: " + byFile().keySet());
    assertEquals("updates.20100227.1615.gz", g.status().get(0).newestFile());
    assertEquals(240, gauge(r2, "routewatch_collector_archive_follow_lag_seconds"));

    // a crash after state acknowledged 1615 but before the ledger recorded it: imported again
    // under the same stream id, state skips every batch
    ObjectMapper json = new ObjectMapper();
    Path ledger = tmp.resolve("follow.json");
    ObjectNode root = (ObjectNode) json.readTree(ledger.toFile());
    ((ObjectNode) root.path("collectors").path("rrc03").path("files"))
        .remove("updates.20100227.1615.gz");
    json.writeValue(ledger.toFile(), root);
    String stream1615 =
        followJobs().stream()
            .filter(j -> j.merged().label().endsWith("1615.gz"))
            .findFirst()
            .orElseThrow()
            .streamId();
    long held = state.position(stream1615);
    ArchiveFollower h = follower(new SimpleMeterRegistry(), "1h");
    poll(h);
    List<ImportJobRun> again =
        followJobs().stream().filter(j -> j.streamId().equals(stream1615)).toList();
    assertEquals(2, again.size());
    assertEquals(ImportState.DONE, again.get(1).state());
    assertEquals(held, state.position(stream1615));
    // the first duplicate's acknowledgement carries state's position, so the job can end while
    // its last batches are still on the wire: they arrive, and are skipped, after it
    TestLinks.await(
        "every batch of the repeat to reach state", WAIT, () -> state.duplicates() >= held);
    assertEquals(held, state.duplicates(), "every batch of the repeat was a duplicate");
    assertEquals(applied, appliedEvents(), "nothing applied twice");
    assertEquals(5, followJobs().size());
  }

  @Test
  void aBacklogWithoutProgressForTheStaleTimeIsStale() throws Exception {
    mirror.put(DIR + "updates.20100227.1600.gz", RRC03);
    ArchiveMirror.Fault[] down = new ArchiveMirror.Fault[64];
    java.util.Arrays.fill(down, ArchiveMirror.Fault.UNAVAILABLE);
    mirror.fail(DIR + "updates.20100227.1600.gz", down);
    at("20100227.1610");
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    ArchiveFollower f = follower(r, "1h");
    poll(f);
    assertEquals(0, followJobs().size());
    assertEquals(0, gauge(r, "routewatch_collector_archive_follow_stale"), "just started");
    at("20100227.1630"); // 20 min without an import: not yet beyond 5 + 1 + 15 min
    poll(f);
    assertEquals(0, gauge(r, "routewatch_collector_archive_follow_stale"));
    at("20100227.1632"); // 22 min: the download keeps failing, nothing imported
    poll(f);
    assertEquals(0, followJobs().size());
    assertEquals(1, gauge(r, "routewatch_collector_archive_follow_stale"));
  }

  @Test
  void aMissingFileIsRetriedAndAListingErrorNamesTheUrl() throws Exception {
    mirror.put(DIR + "updates.20100227.1600.gz", RRC03);
    mirror.fail(
        DIR + "updates.20100227.1600.gz",
        ArchiveMirror.Fault.UNAVAILABLE,
        ArchiveMirror.Fault.UNAVAILABLE);
    at("20100227.1610");
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    ArchiveFollower f = follower(r, "1h");
    poll(f);
    assertEquals(0, followJobs().size());
    assertEquals(
        1, counter(r, "routewatch_collector_archive_follow_errors_total", "reason", "download"));
    assertTrue(f.status().get(0).lastError().contains(mirror.base() + DIR), f.status().toString());
    // before anything was imported the lag runs from "since" (15:10); a backlog that the
    // follower has just started on is not stale, even when one download failed
    assertEquals(3600, gauge(r, "routewatch_collector_archive_follow_lag_seconds"));
    assertEquals(0, gauge(r, "routewatch_collector_archive_follow_stale"));
    poll(f);
    assertEquals(1, followJobs().size());
    assertEquals(ImportState.DONE, followJobs().get(0).state());
    assertEquals(0, gauge(r, "routewatch_collector_archive_follow_stale"));

    // the mirror goes away: the listing error names the URL, nothing breaks
    mirror.close();
    poll(f);
    assertTrue(f.status().get(0).lastError().contains(DIR), f.status().toString());
    assertEquals(
        1, counter(r, "routewatch_collector_archive_follow_errors_total", "reason", "listing"));
  }

  /**
   * Without state nothing is acknowledged: the job fails after the ack timeout, the file stays out
   * of the ledger and the next poll imports it again under the same stream id.
   */
  @Test
  void aFileStateDidNotAcknowledgeIsNotRecordedAndIsTriedAgain() throws Exception {
    int dead;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    SmallRyeConfig cfg =
        TestLinks.config(
            Map.of(
                "routewatch.collector.publish.batch-size", "50",
                // nothing is acknowledged: room for every batch, and jobs end after this
                "routewatch.collector.publish.window", "100000",
                "routewatch.collector.mrt.ack-timeout", "300ms"));
    jobs = TestJobs.jobs(cfg, TestLinks.unsharded(cfg, dead, closing), closing);
    mirror.put(DIR + "updates.20100227.1600.gz", RRC03);
    at("20100227.1610");
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    ArchiveFollower f = follower(r, "1h");
    poll(f);
    assertEquals(1, followJobs().size());
    ImportJobRun first = followJobs().get(0);
    assertEquals(ImportState.FAILED, first.state());
    assertTrue(first.retryable(), first.toProto().toString());
    assertEquals(
        1, counter(r, "routewatch_collector_archive_follow_errors_total", "reason", "import"));
    assertTrue(f.status().get(0).lastError().contains("state did not acknowledge"));
    String ledger = Files.readString(tmp.resolve("follow.json"));
    assertFalse(ledger.contains("updates.20100227.1600.gz"), ledger);
    assertEquals(-1, f.status().get(0).newestEnd());
    poll(f);
    assertEquals(2, followJobs().size(), "tried again at the next poll");
    assertEquals(first.streamId(), followJobs().get(1).streamId());
  }

  @Test
  void startAcceptsDurationsTimesAndNow() {
    long now = ArchiveFetchTest.t("20100227.1620");
    assertEquals(now, ArchiveFollower.startAt("now", now));
    assertEquals(now - 5400, ArchiveFollower.startAt("90m", now));
    assertEquals(now - 7200, ArchiveFollower.startAt("PT2H", now));
    assertEquals(
        ArchiveFetchTest.t("20100227.0000"), ArchiveFollower.startAt("2010-02-27T00:00:00Z", now));
    assertThrows(IllegalArgumentException.class, () -> ArchiveFollower.startAt("soon", now));
    at("20100227.1620");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ArchiveFollower(
                index,
                fetcher,
                jobs,
                tmp.resolve("f.json"),
                new ArchiveFollower.Settings(
                    List.of("rrc03"),
                    Duration.ofSeconds(60),
                    "1h",
                    Duration.ofDays(40),
                    24,
                    Duration.ofMinutes(15),
                    tmp,
                    50),
                new SimpleMeterRegistry(),
                clock::get));
    assertFalse(Files.exists(tmp.resolve("f.json")));
  }
}
