package io.routewatch.collector.mrt;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.proto.v1.ImportError;
import io.routewatch.proto.v1.ImportJob;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watched MRT directory of issue 4 with real archives from the shared corpus and the real
 * {@link ImportJobs}. As in the other collector tests no state runs (the state link points at port
 * 1): events are counted where they are delivered, on the state link. Without acknowledgements
 * every job ends FAILED after the (test) ack timeout with a "state did not acknowledge" error; the
 * watcher records that outcome like any other, so ordering, once-only and restart are tested as
 * they behave in production.
 *
 * <p>Most tests drive a watcher's scans themselves with a manual clock (no sleeping on the
 * stability timer); {@link #configuredDirectoryIsWatched} runs the configured one on its thread.
 */
@QuarkusTest
@TestProfile(MrtWatcherTest.Watching.class)
class MrtWatcherTest {
  static final Path DATA = Paths.get(ImportSafetyResource.data(), "mrt");
  static final Path BASE =
      Paths.get("target", "mrt-watch-" + ProcessHandle.current().pid()).toAbsolutePath();
  static final Duration STABLE = Duration.ofSeconds(5);
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  public static class Watching implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          // Nothing is acknowledged without state: room for every batch of these tests...
          "routewatch.collector.publish.window", "100000",
          // ...and jobs end after this instead of 24 h.
          "routewatch.collector.mrt.ack-timeout", "300ms",
          "routewatch.collector.mrt.watch-dir", BASE.resolve("configured/incoming").toString(),
          "routewatch.collector.mrt.watch-interval", "50ms",
          "routewatch.collector.mrt.stable-for", "300ms");
    }
  }

  @Inject ImportJobs jobs;
  @Inject MeterRegistry registry;
  @Inject CollectorConfig config;
  @Inject MrtWatchService service;

  Path root;
  long clock;

  @BeforeEach
  void dir() throws IOException {
    Files.createDirectories(BASE);
    root = Files.createTempDirectory(BASE, "t");
    clock = 1_000_000_000L;
  }

  MrtWatcher watcher(Path dir, Path ledger) {
    return new MrtWatcher(
        dir,
        config.mrt().watchPattern(),
        STABLE,
        ledger,
        jobs,
        config.name(),
        config.publish().batchSize(),
        () -> clock,
        registry);
  }

  MrtWatcher watcher(Path dir) {
    return watcher(dir, MrtWatchService.defaultLedger(dir));
  }

  void tick(Duration d) {
    clock += d.toNanos();
  }

  static Path copy(String source, Path dir, String name) throws IOException {
    return Files.copy(DATA.resolve(source), dir.resolve(name));
  }

  List<ImportJobRun> jobsIn(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return jobs.all().stream().filter(j -> j.path().getParent().equals(abs)).toList();
  }

  /** Scans until the condition holds; fails after TIMEOUT. Checks one-at-a-time on every scan. */
  void scanUntil(MrtWatcher w, Path dir, BooleanSupplier done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      w.scan();
      long running = jobsIn(dir).stream().filter(j -> !j.finished()).count();
      assertTrue(running <= 1, "the watcher runs one job at a time, saw " + running);
      if (done.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail(
            "timed out waiting for "
                + what
                + "; jobs "
                + jobsIn(dir).stream().map(ImportJobRun::toProto).toList());
      }
      Thread.sleep(20);
    }
  }

  /** Every listed file of the directory has a final ledger entry (read back from the file). */
  static boolean allFinal(Path ledgerFile, String... names) {
    ImportLedger l = new ImportLedger(ledgerFile);
    try {
      l.load();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Arrays.stream(names).allMatch(n -> l.get(n) != null && l.get(n).outcome().isFinal());
  }

  static ImportLedger read(Path ledgerFile) throws IOException {
    ImportLedger l = new ImportLedger(ledgerFile);
    l.load();
    return l;
  }

  /** Errors other than the test environment's missing acknowledgement (no state runs). */
  static List<String> decodeErrors(ImportJob j) {
    return j.getErrorsList().stream()
        .map(ImportError::getMessage)
        .filter(m -> !m.startsWith(ImportJobRun.NOT_ACKNOWLEDGED))
        .toList();
  }

  double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  double gauge(String name) {
    var g = registry.find(name).gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void defaultPatternTakesMrtNamesAndIgnoresPartialDownloads() {
    var m =
        java.nio.file.FileSystems.getDefault()
            .getPathMatcher("glob:" + config.mrt().watchPattern());
    for (String n :
        List.of(
            "updates.20240101.0000.gz",
            "updates.20240101.0000.bz2",
            "rib.20240101.0000.bz2",
            "bview.20240101.0000.gz",
            "capture.mrt",
            "updates.20240101.0000")) {
      assertTrue(m.matches(Paths.get(n)) && !MrtWatcher.ignored(n), n);
    }
    for (String n : List.of("README.md", "latest.json", "notes.txt")) {
      assertFalse(m.matches(Paths.get(n)), n);
    }
    for (String n :
        List.of(
            "updates.20240101.0000.gz.part",
            "updates.20240101.0000.gz.tmp",
            ".updates.20240101.0000.gz.Xa81Qz",
            "rib.20240101.0000.bz2.PART")) {
      assertTrue(MrtWatcher.ignored(n), n);
    }
  }

  @Test
  void importsNewFilesOnceInNameOrderAndNothingAgainAfterRestart() throws Exception {
    Path dir = Files.createDirectories(root.resolve("incoming"));
    // Created in reverse name order: the order of import must not depend on creation order.
    copy(
        "bgpkit-ris/rrc03/2010.02/updates.20100227.1600.first-796-records.gz",
        dir,
        "updates.20100227.1600.gz");
    copy("ripe-bgpdump/updates.20020722.2238.gz", dir, "updates.20020722.2238.gz");
    copy("bgpkit-ris/rrc01/2000.11/updates.20001104.0124.gz", dir, "updates.20001104.0124.gz");
    Files.writeString(dir.resolve("README.txt"), "not an archive");
    String[] names = {
      "updates.20001104.0124.gz", "updates.20020722.2238.gz", "updates.20100227.1600.gz"
    };
    double read0 = counter("routewatch_collector_events_read_total", "source", "mrt");
    double buffered0 = gauge("routewatch_collector_events_buffered");
    double failed0 = counter("routewatch_collector_mrt_watch_files_total", "outcome", "failed");

    MrtWatcher w = watcher(dir);
    w.scan();
    assertEquals(
        List.of(), jobsIn(dir), "nothing is taken before it was seen unchanged for stable-for");
    assertEquals(3, w.pending());
    tick(STABLE);
    scanUntil(w, dir, () -> allFinal(w.ledgerFile(), names), "three imports");

    List<ImportJobRun> done = jobsIn(dir);
    assertEquals(
        Arrays.stream(names).map(n -> dir.resolve(n).toAbsolutePath().normalize()).toList(),
        done.stream().map(ImportJobRun::path).toList(),
        "one job per file, in name order");
    long events = 0;
    ImportLedger ledger = read(w.ledgerFile());
    for (ImportJobRun j : done) {
      ImportJob p = j.toProto();
      assertTrue(p.getEvents() > 0, p.toString());
      assertEquals(List.of(), decodeErrors(p), p.getPath());
      ImportLedger.Entry e = ledger.get(j.path().getFileName().toString());
      assertEquals(p.getId(), e.job());
      assertEquals(p.getEvents(), e.events());
      assertEquals(p.getStreamId(), e.streamId());
      assertEquals(Files.size(j.path()), e.size());
      assertEquals(ImportLedger.Outcome.FAILED, e.outcome()); // no state here to acknowledge
      events += p.getEvents();
    }
    // Delivered: every event read is in the state link's window (nothing acknowledged here).
    assertEquals(
        events, counter("routewatch_collector_events_read_total", "source", "mrt") - read0, 0.0);
    assertEquals(events, gauge("routewatch_collector_events_buffered") - buffered0, 0.0);
    assertEquals(
        3,
        counter("routewatch_collector_mrt_watch_files_total", "outcome", "failed") - failed0,
        0.0);
    assertEquals(0, w.pending());

    // Once: more scans, later, take nothing again; nor does a restarted collector (new watcher,
    // same directory and ledger).
    tick(STABLE.multipliedBy(10));
    w.scan();
    MrtWatcher restarted = watcher(dir);
    restarted.scan();
    tick(STABLE.multipliedBy(10));
    restarted.scan();
    restarted.scan();
    assertEquals(3, jobsIn(dir).size());
    assertEquals(0, restarted.pending());

    // A new file later is taken, by the restarted watcher.
    copy("ripe-bgpdump/updates.long_withdrawal.gz", dir, "updates.20160811.1600.gz");
    restarted.scan();
    tick(STABLE);
    scanUntil(
        restarted,
        dir,
        () -> allFinal(w.ledgerFile(), "updates.20160811.1600.gz"),
        "the fourth file");
    assertEquals(4, jobsIn(dir).size());
  }

  @Test
  void anEarlierNameStillBeingWrittenHoldsBackTheFilesAfterIt() throws Exception {
    Path dir = Files.createDirectories(root.resolve("incoming"));
    copy("ripe-bgpdump/updates.20020722.2238.gz", dir, "updates.20150101.0015.gz");
    copy("bgpkit-ris/rrc01/2000.11/updates.20001104.0124.gz", dir, "updates.20150101.0030.gz");
    MrtWatcher w = watcher(dir);
    w.scan();
    tick(STABLE.minusSeconds(1));
    // A late download with an earlier name appears just before the others are stable.
    copy("ripe-bgpdump/updates.long_withdrawal.gz", dir, "updates.20150101.0000.gz");
    w.scan();
    tick(Duration.ofSeconds(1)); // the two are stable now, the new one is not
    w.scan();
    assertEquals(List.of(), jobsIn(dir), "files after an unstable earlier name wait for it");
    tick(STABLE);
    String[] names = {
      "updates.20150101.0000.gz", "updates.20150101.0015.gz", "updates.20150101.0030.gz"
    };
    scanUntil(w, dir, () -> allFinal(w.ledgerFile(), names), "three imports");
    assertEquals(
        Arrays.asList(names),
        jobsIn(dir).stream().map(j -> j.path().getFileName().toString()).toList());
  }

  @Test
  void fileCutShortByARestartIsImportedAgainUnderTheSameStream() throws Exception {
    Path dir = Files.createDirectories(root.resolve("incoming"));
    copy("ripe-bgpdump/updates.20020722.2238.gz", dir, "updates.20020722.2238.gz");
    MrtWatcher before = watcher(dir);
    before.scan();
    tick(STABLE);
    before.scan();
    List<ImportJobRun> first = jobsIn(dir);
    assertEquals(1, first.size());
    assertEquals(
        ImportLedger.Outcome.IMPORTING,
        read(before.ledgerFile()).get("updates.20020722.2238.gz").outcome());

    // The collector dies here: the ledger on disk says IMPORTING. (In this process the job goes
    // on; let it end unrecorded, as it would have with the process, so one job runs at a time.)
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!first.get(0).finished()) {
      assertTrue(System.nanoTime() < deadline, "first job did not end");
      Thread.sleep(20);
    }
    assertEquals(
        ImportLedger.Outcome.IMPORTING,
        read(before.ledgerFile()).get("updates.20020722.2238.gz").outcome());
    // After the restart the file is imported again, under the same stream id (state skips the
    // batches it already applied).
    MrtWatcher after = watcher(dir);
    after.scan();
    tick(STABLE);
    scanUntil(
        after,
        dir,
        () -> allFinal(after.ledgerFile(), "updates.20020722.2238.gz"),
        "the re-import");
    List<ImportJobRun> all = jobsIn(dir);
    assertEquals(2, all.size());
    assertNotEquals(first.get(0).id(), all.get(1).id());
    assertEquals(first.get(0).streamId(), all.get(1).streamId());
    assertEquals(all.get(1).toProto().getEvents(), first.get(0).toProto().getEvents());
    assertEquals(all.get(1).id(), read(after.ledgerFile()).get("updates.20020722.2238.gz").job());
  }

  @Test
  void fileGrowingInPlaceIsTakenOnlyWhenStable() throws Exception {
    Path dir = Files.createDirectories(root.resolve("incoming"));
    byte[] whole = Files.readAllBytes(DATA.resolve("ripe-bgpdump/updates.20100722.2015.gz"));
    Path f = dir.resolve("updates.20100722.2015.gz");
    Files.write(f, Arrays.copyOfRange(whole, 0, 10_000));
    MrtWatcher w = watcher(dir);
    w.scan();
    tick(Duration.ofSeconds(4));
    w.scan();
    assertEquals(List.of(), jobsIn(dir));

    Files.write(f, Arrays.copyOfRange(whole, 10_000, 20_000), StandardOpenOption.APPEND);
    w.scan();
    tick(Duration.ofSeconds(4)); // 8 s after first seen, 4 s after it grew
    w.scan();
    assertEquals(List.of(), jobsIn(dir), "a file that grew is timed from its last change");

    // Same size, new mtime (rewritten in place): still a change.
    Files.setLastModifiedTime(
        f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 60_000));
    w.scan();
    tick(Duration.ofSeconds(4));
    w.scan();
    assertEquals(List.of(), jobsIn(dir), "an mtime change restarts the wait");

    Files.write(f, Arrays.copyOfRange(whole, 20_000, whole.length), StandardOpenOption.APPEND);
    w.scan();
    tick(STABLE.minusMillis(100));
    w.scan();
    assertEquals(List.of(), jobsIn(dir));
    tick(Duration.ofMillis(100));
    w.scan();
    assertEquals(1, jobsIn(dir).size(), "taken once unchanged for stable-for");
    scanUntil(w, dir, () -> allFinal(w.ledgerFile(), "updates.20100722.2015.gz"), "the import");
    ImportJob p = jobsIn(dir).get(0).toProto();
    assertEquals(whole.length, p.getBytesTotal());
    assertEquals(whole.length, read(w.ledgerFile()).get("updates.20100722.2015.gz").size());
    assertEquals(List.of(), decodeErrors(p), "the whole file was read, not a prefix");
  }

  @Test
  void partialDownloadIsTakenOnlyAfterTheRenameToItsFinalName() throws Exception {
    Path dir = Files.createDirectories(root.resolve("incoming"));
    Path part =
        copy("ripe-bgpdump/updates.long_withdrawal.gz", dir, "updates.20150101.0000.gz.part");
    copy("ripe-bgpdump/updates.20020722.2238.gz", dir, ".updates.20150101.0015.gz.Xa81Qz"); // rsync
    copy("ripe-bgpdump/updates.20020722.2238.gz", dir, "updates.20150101.0030.gz.tmp");
    MrtWatcher w = watcher(dir);
    for (int i = 0; i < 3; i++) {
      w.scan();
      tick(STABLE.multipliedBy(2));
    }
    w.scan();
    assertEquals(List.of(), jobsIn(dir));
    assertEquals(0, w.pending());

    Files.move(part, dir.resolve("updates.20150101.0000.gz"));
    w.scan();
    assertEquals(List.of(), jobsIn(dir), "stable-for counts from when the final name appeared");
    tick(STABLE);
    scanUntil(
        w, dir, () -> allFinal(w.ledgerFile(), "updates.20150101.0000.gz"), "the renamed file");
    List<ImportJobRun> taken = jobsIn(dir);
    assertEquals(1, taken.size());
    assertEquals("updates.20150101.0000.gz", taken.get(0).path().getFileName().toString());
  }

  @Test
  void truncatedFileEndsAsAJobWithErrorsAndTheWatcherCarriesOn() throws Exception {
    Path dir = Files.createDirectories(root.resolve("incoming"));
    // Sorts first: a link to nowhere (its attributes cannot be read) and a directory.
    Files.createSymbolicLink(dir.resolve("updates.20100722.1945.gz"), root.resolve("nowhere"));
    Files.createDirectories(dir.resolve("updates.20100722.2000.gz"));
    byte[] whole = Files.readAllBytes(DATA.resolve("ripe-bgpdump/updates.20100722.2015.gz"));
    Files.write(dir.resolve("updates.20100722.2015.gz"), Arrays.copyOf(whole, whole.length / 2));
    copy("ripe-bgpdump/updates.20020722.2238.gz", dir, "updates.20100722.2030.gz");
    double fileErrors0 = counter("routewatch_collector_mrt_watch_errors_total", "reason", "file");

    MrtWatcher w = watcher(dir);
    w.scan();
    tick(STABLE);
    scanUntil(
        w,
        dir,
        () -> allFinal(w.ledgerFile(), "updates.20100722.2015.gz", "updates.20100722.2030.gz"),
        "both imports");
    assertEquals(
        1,
        counter("routewatch_collector_mrt_watch_errors_total", "reason", "file") - fileErrors0,
        0.0);

    List<ImportJobRun> js = jobsIn(dir);
    assertEquals(2, js.size());
    ImportJob truncated = js.get(0).toProto();
    assertTrue(truncated.getPath().endsWith("updates.20100722.2015.gz"));
    assertFalse(
        decodeErrors(truncated).isEmpty(), "the truncation is in the job's errors: " + truncated);
    ImportLedger.Entry e = read(w.ledgerFile()).get("updates.20100722.2015.gz");
    assertTrue(e.errors() >= 1);
    assertNotNull(e.firstError());
    ImportJob next = js.get(1).toProto();
    assertTrue(next.getEvents() > 0);
    assertEquals(List.of(), decodeErrors(next));

    // Not retried: later scans start nothing.
    tick(STABLE.multipliedBy(3));
    w.scan();
    w.scan();
    assertEquals(2, jobsIn(dir).size());
  }

  @Test
  void unwritableLedgerIsCountedAndImportsGoOn() throws Exception {
    Path dir = Files.createDirectories(root.resolve("incoming"));
    Files.writeString(root.resolve("blocker"), "a file where the ledger's directory should be");
    Path ledger = root.resolve("blocker/ledger.json");
    copy("ripe-bgpdump/updates.long_withdrawal.gz", dir, "updates.20160811.1600.gz");
    double ledgerErrors0 =
        counter("routewatch_collector_mrt_watch_errors_total", "reason", "ledger");
    MrtWatcher w = watcher(dir, ledger);
    w.scan();
    tick(STABLE);
    scanUntil(w, dir, () -> !jobsIn(dir).isEmpty() && jobsIn(dir).get(0).finished(), "the import");
    w.scan();
    w.scan();
    assertTrue(
        counter("routewatch_collector_mrt_watch_errors_total", "reason", "ledger") - ledgerErrors0
            >= 1);
    assertEquals(1, jobsIn(dir).size(), "still once within this run");
  }

  @Test
  void configuredDirectoryIsWatched() throws Exception {
    MrtWatcher w = service.watcher();
    assertNotNull(w, "routewatch.collector.mrt.watch-dir is set in this profile");
    Path dir = w.dir();
    Files.createDirectories(dir);
    assertEquals(dir.resolveSibling("incoming.imports.json"), w.ledgerFile());
    Path part = copy("ripe-bgpdump/updates.20020722.2238.gz", dir, "updates.20020722.2238.gz.part");
    Files.move(part, dir.resolve("updates.20020722.2238.gz"));

    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!allFinal(w.ledgerFile(), "updates.20020722.2238.gz")) {
      assertTrue(System.nanoTime() < deadline, "the configured watcher did not import the file");
      Thread.sleep(50);
    }
    List<ImportJobRun> js = jobsIn(dir);
    assertEquals(1, js.size());
    assertTrue(js.get(0).toProto().getEvents() > 0);
    // Listed like an API-started job, over gRPC (same registry) and REST.
    given()
        .when()
        .get("/api/v1/imports")
        .then()
        .statusCode(200)
        .body("jobs.path", hasItem(js.get(0).path().toString()));
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("routewatch_collector_mrt_watch_files_total{outcome=\"failed\"}"))
        .body(containsString("routewatch_collector_mrt_watch_pending_files 0.0"));
  }
}
