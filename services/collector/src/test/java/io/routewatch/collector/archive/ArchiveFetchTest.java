package io.routewatch.collector.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing and downloading against a loopback mirror of ../shared/data laid out like the public
 * archives: layout, time filtering, merge order, and a mirror that drops connections, truncates,
 * lies about sizes or answers 503 (issue 20, acceptance 4).
 */
class ArchiveFetchTest {
  static final Path DATA = data();
  static final Path RRC03 =
      DATA.resolve("mrt/bgpkit-ris/rrc03/2010.02/updates.20100227.1600.first-796-records.gz");
  static final Path RRC06 = DATA.resolve("mrt/libbgpstream/ris.rrc06.updates.1427846400.gz");
  static final Path JINX =
      DATA.resolve("mrt/libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2");
  static final Path YT = DATA.resolve("incidents/mrt/youtube-2008-routeviews-cs3640");

  static Path data() {
    String p = System.getProperty("routewatch.shared.data");
    return Path.of(p != null && !p.isBlank() && !p.contains("${") ? p : "../../../shared/data")
        .toAbsolutePath()
        .normalize();
  }

  @TempDir Path tmp;
  ArchiveMirror mirror;
  SimpleMeterRegistry registry;
  ArchiveIndex index;

  @BeforeEach
  void setUp() throws Exception {
    mirror = new ArchiveMirror();
    mirror.put("/rrc03/2010.02/updates.20100227.1600.gz", RRC03);
    mirror.put("/rrc06/2015.04/updates.20150401.0000.gz", RRC06);
    mirror.put("/route-views.jinx/bgpdata/2015.04/UPDATES/updates.20150401.0000.bz2", JINX);
    try (Stream<Path> s = Files.list(YT)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".bz2")).toList()) {
        mirror.put("/bgpdata/2008.02/UPDATES/" + p.getFileName(), p);
      }
    }
    registry = new SimpleMeterRegistry();
    index =
        new ArchiveIndex(
            HttpClient.newHttpClient(), f -> mirror.base() + "/", Duration.ofSeconds(20));
  }

  @AfterEach
  void tearDown() {
    mirror.close();
  }

  static long t(String stamp) {
    return LocalDateTime.parse(stamp, ArchiveLayout.STAMP).toEpochSecond(ZoneOffset.UTC);
  }

  ArchiveFetcher fetcher(long maxBytes, int attempts) {
    return new ArchiveFetcher(
        HttpClient.newHttpClient(),
        new ArchiveFetcher.Settings(
            tmp.resolve("cache"),
            maxBytes,
            3,
            attempts,
            Duration.ofMillis(10),
            Duration.ofSeconds(20)),
        registry);
  }

  double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void layoutPlacesEachFamily() {
    LocalDateTime m = LocalDateTime.of(2008, 2, 1, 0, 0);
    assertEquals(
        "B/rrc00/2008.02/", ArchiveLayout.monthDir("B/", "rrc00", ArchiveLayout.Kind.UPDATES, m));
    assertEquals(
        "B/bgpdata/2008.02/UPDATES/",
        ArchiveLayout.monthDir("B", "route-views2", ArchiveLayout.Kind.UPDATES, m));
    assertEquals(
        "B/route-views.jinx/bgpdata/2008.02/RIBS/",
        ArchiveLayout.monthDir("B", "route-views.jinx", ArchiveLayout.Kind.RIBS, m));
    assertEquals(
        ArchiveLayout.Kind.RIBS,
        ArchiveLayout.parse(ArchiveLayout.Family.RIS, "bview.20100227.0800.gz")
            .orElseThrow()
            .kind());
    assertTrue(ArchiveLayout.parse(ArchiveLayout.Family.RIS, "rib.20100227.0800.bz2").isEmpty());
    assertTrue(
        ArchiveLayout.parse(ArchiveLayout.Family.ROUTEVIEWS, "updates.20100232.0800.bz2")
            .isEmpty());
    assertThrows(IllegalArgumentException.class, () -> ArchiveLayout.family("nope"));
  }

  @Test
  void listsIrregularRouteViewsMinutesByCoverage() throws Exception {
    // files at 1824, 1839, 1854, ... 2026 ...: [1830, 1900) is covered by 1824, 1839 and 1854
    List<ArchiveFile> got =
        index.list(
            List.of("route-views2"),
            ArchiveLayout.Kind.UPDATES,
            t("20080224.1830"),
            t("20080224.1900"));
    assertEquals(
        List.of(
            "updates.20080224.1824.bz2", "updates.20080224.1839.bz2", "updates.20080224.1854.bz2"),
        got.stream().map(ArchiveFile::name).toList());
    assertEquals(t("20080224.1839"), got.get(0).endEpochSecond());
    // a range before anything published and one with no month directory: empty, not an error
    assertTrue(
        index
            .list(
                List.of("route-views2"),
                ArchiveLayout.Kind.UPDATES,
                t("20080224.0000"),
                t("20080224.1800"))
            .isEmpty());
    assertTrue(
        index
            .list(
                List.of("rrc00"),
                ArchiveLayout.Kind.UPDATES,
                t("20080224.0000"),
                t("20080224.1800"))
            .isEmpty());
    assertTrue(
        index
            .list(
                List.of("route-views2"),
                ArchiveLayout.Kind.RIBS,
                t("20080224.0000"),
                t("20080225.0000"))
            .isEmpty());
  }

  @Test
  void theFileCoveringFromMayBeInTheMonthBefore() throws Exception {
    // listing only: the content is not read
    mirror.put("/rrc03/2010.01/updates.20100131.2355.gz", RRC03);
    List<ArchiveFile> got =
        index.list(
            List.of("rrc03"), ArchiveLayout.Kind.UPDATES, t("20100201.0000"), t("20100201.0001"));
    assertEquals(List.of("updates.20100131.2355.gz"), got.stream().map(ArchiveFile::name).toList());
    assertEquals(t("20100227.1600"), got.get(0).endEpochSecond(), "covers until the next file");
    assertEquals(
        List.of("updates.20100227.1600.gz"),
        index
            .list(
                List.of("rrc03"),
                ArchiveLayout.Kind.UPDATES,
                t("20100227.1600"),
                t("20100227.1601"))
            .stream()
            .map(ArchiveFile::name)
            .toList());
    // the newest file covers its nominal 5 minutes: nothing after 16:05
    assertTrue(
        index
            .list(
                List.of("rrc03"),
                ArchiveLayout.Kind.UPDATES,
                t("20100227.1605"),
                t("20100227.1700"))
            .isEmpty());
  }

  @Test
  void mergesCollectorsInTimeOrder() throws Exception {
    List<ArchiveFile> got =
        index.list(
            List.of("route-views.jinx", "rrc06"),
            ArchiveLayout.Kind.UPDATES,
            t("20150331.2359"),
            t("20150401.0010"));
    assertEquals(
        List.of("route-views.jinx", "rrc06"), got.stream().map(ArchiveFile::collector).toList());
    List<ArchiveFile> all =
        index.list(
            List.of("rrc03", "route-views2", "rrc06"),
            ArchiveLayout.Kind.UPDATES,
            t("20080101.0000"),
            t("20160101.0000"));
    assertEquals(14, all.size());
    assertEquals("route-views2", all.get(0).collector());
    assertEquals("rrc03", all.get(12).collector());
    assertEquals("rrc06", all.get(13).collector());
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i - 1).epochSecond() <= all.get(i).epochSecond(), "time order at " + i);
    }
  }

  ArchiveFile yt(String hhmm) throws Exception {
    return index
        .list(
            List.of("route-views2"),
            ArchiveLayout.Kind.UPDATES,
            t("20080224." + hhmm),
            t("20080224." + hhmm) + 60)
        .get(0);
  }

  @Test
  void fetchesInParallelAndHitsTheCache() throws Exception {
    ArchiveFetcher f = fetcher(1L << 30, 3);
    List<ArchiveFile> files =
        index.list(
            List.of("route-views2", "rrc03"),
            ArchiveLayout.Kind.UPDATES,
            t("20080224.1800"),
            t("20100301.0000"));
    assertEquals(13, files.size());
    List<Path> got = f.fetchAll(files);
    for (int i = 0; i < files.size(); i++) {
      assertEquals(files.get(i).name(), got.get(i).getFileName().toString());
    }
    assertArrayEquals(Files.readAllBytes(RRC03), Files.readAllBytes(got.get(12)));
    assertEquals(13, counter("routewatch_collector_archive_files_fetched_total"));
    int before = mirror.requests.get();
    f.fetchAll(files);
    assertEquals(before, mirror.requests.get(), "a second fetch is served from the cache");
    assertEquals(13, counter("routewatch_collector_archive_cache_hits_total"));
  }

  @Test
  void resumesAfterADroppedConnection() throws Exception {
    ArchiveFile file = yt("1824");
    String path = "/bgpdata/2008.02/UPDATES/updates.20080224.1824.bz2";
    mirror.fail(path, ArchiveMirror.Fault.DROP_MID_BODY, ArchiveMirror.Fault.UNAVAILABLE);
    Path got = fetcher(1L << 30, 4).fetch(file);
    assertArrayEquals(
        Files.readAllBytes(YT.resolve("updates.20080224.1824.bz2")), Files.readAllBytes(got));
    assertEquals(1, mirror.rangeRequests.get(), "the third attempt resumed the part");
    assertEquals(
        1, counter("routewatch_collector_archive_failures_total", "reason", "interrupted"));
    assertEquals(1, counter("routewatch_collector_archive_failures_total", "reason", "http_503"));
    long size = Files.size(got);
    assertEquals(
        size, counter("routewatch_collector_archive_bytes_fetched_total"), "each byte once");
  }

  @Test
  void aStalledBodyIsCutAndResumed() throws Exception {
    ArchiveFile file = yt("1854");
    mirror.fail("/bgpdata/2008.02/UPDATES/updates.20080224.1854.bz2", ArchiveMirror.Fault.STALL);
    ArchiveFetcher f =
        new ArchiveFetcher(
            HttpClient.newHttpClient(),
            new ArchiveFetcher.Settings(
                tmp.resolve("cache"), 1L << 30, 1, 3, Duration.ofMillis(10), Duration.ofSeconds(1)),
            registry);
    long t0 = System.nanoTime();
    Path got = f.fetch(file);
    assertArrayEquals(
        Files.readAllBytes(YT.resolve("updates.20080224.1854.bz2")), Files.readAllBytes(got));
    assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "cut after the 1 s timeout, not 5 s");
    assertEquals(1, mirror.rangeRequests.get(), "resumed");
    assertTrue(
        f.recentFailures().get(0).reason().startsWith("no byte for"),
        f.recentFailures().toString());
  }

  @Test
  void truncatedAndMisSizedFilesAreNeverPlaced() throws Exception {
    ArchiveFile file = yt("1839");
    String path = "/bgpdata/2008.02/UPDATES/updates.20080224.1839.bz2";
    // a consistent but truncated body passes the size check and fails the bzip2 check;
    // a Content-Length larger than the body is a short read, resumed
    mirror.fail(path, ArchiveMirror.Fault.TRUNCATED, ArchiveMirror.Fault.LENGTH_TOO_LONG);
    ArchiveFetcher f = fetcher(1L << 30, 4);
    Path got = f.fetch(file);
    assertArrayEquals(
        Files.readAllBytes(YT.resolve("updates.20080224.1839.bz2")), Files.readAllBytes(got));
    assertEquals(1, counter("routewatch_collector_archive_failures_total", "reason", "corrupt"));
    assertEquals(
        1, counter("routewatch_collector_archive_failures_total", "reason", "interrupted"));
    assertEquals(2, f.recentFailures().size());
    assertTrue(f.recentFailures().get(0).url().endsWith(path));

    // a gzip file served truncated every time: reported, never placed in the cache
    ArchiveFile rrc03 =
        index
            .list(
                List.of("rrc03"),
                ArchiveLayout.Kind.UPDATES,
                t("20100227.1600"),
                t("20100227.1601"))
            .get(0);
    String p3 = "/rrc03/2010.02/updates.20100227.1600.gz";
    mirror.fail(
        p3,
        ArchiveMirror.Fault.TRUNCATED,
        ArchiveMirror.Fault.TRUNCATED,
        ArchiveMirror.Fault.TRUNCATED);
    ArchiveFetcher.FetchFailed e =
        assertThrows(ArchiveFetcher.FetchFailed.class, () -> fetcher(1L << 30, 3).fetch(rrc03));
    assertEquals(3, e.failures().size());
    assertTrue(e.getMessage().contains(p3), e.getMessage());
    assertTrue(e.failures().get(0).reason().contains("integrity"), e.failures().get(0).reason());
    assertFalse(Files.exists(f.cachePath(rrc03)), "a half file never reaches the cache");
  }

  @Test
  void evictsLeastRecentlyUsedFilesNotHeld() throws Exception {
    List<ArchiveFile> files =
        index.list(
            List.of("route-views2"),
            ArchiveLayout.Kind.UPDATES,
            t("20080224.1824"),
            t("20080224.1900"));
    assertEquals(3, files.size());
    long one = Files.size(YT.resolve(files.get(0).name()));
    ArchiveFetcher f = fetcher(one + 1, 2);
    Path first = f.fetch(files.get(0));
    f.release(first);
    Thread.sleep(20);
    Path second = f.fetch(files.get(1)); // over the limit: the first (not held) goes
    assertFalse(Files.exists(first));
    assertTrue(Files.exists(second));
    Path third = f.fetch(files.get(2)); // the second is held: it stays, the cache is over
    assertTrue(Files.exists(second));
    assertTrue(Files.exists(third));
  }
}
