package io.routewatch.state.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, bit-flipped, foreign and partial snapshot files are refused cleanly, never loaded. */
class SnapshotCorruptionTest {
  static Snapshot small(long created, int routes) {
    RoutingEngine rib = new RoutingEngine();
    int vp = rib.vantagePoint("c", new byte[] {10, 0, 0, 1}, 65000, 1);
    for (int i = 0; i < routes; i++) {
      rib.announce(
          vp,
          Prefix.ipv4(0x0a000000 + (i << 8), 24),
          0,
          AsPath.sequence(65000, 3356, 64512 + i % 7),
          RouteAttributes.NONE,
          1_000_000L + i);
    }
    return new Snapshot(
        created,
        new IngestImage(Map.of("s", (long) routes), Map.of(), Map.of(), routes, 1, Map.of()),
        rib.capture());
  }

  @Test
  void everyTruncationAndBitFlipIsRejected() throws Exception {
    byte[] good = SnapshotRoundTripTest.encode(small(1, 300));
    SnapshotDecoder.read(good, "good");
    for (int len = 0; len < good.length; len += Math.max(1, good.length / 200)) {
      byte[] cut = Arrays.copyOf(good, len);
      assertThrows(
          SnapshotException.class, () -> SnapshotDecoder.read(cut, "cut"), "truncated to " + len);
    }
    for (int i = 0; i < good.length; i += 7) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      assertThrows(
          SnapshotException.class, () -> SnapshotDecoder.read(bad, "flip"), "bit flip at " + i);
    }
    byte[] other = good.clone();
    other[8] = (byte) (SnapshotFormat.VERSION + 1); // a format this build does not know
    SnapshotException e =
        assertThrows(SnapshotException.class, () -> SnapshotDecoder.read(other, "other"));
    assertTrue(e.getMessage().contains("version " + (SnapshotFormat.VERSION + 1)), e.getMessage());
  }

  @Test
  void newestBadFileFallsBackToTheOlderOne(@TempDir Path dir) throws Exception {
    SnapshotFiles files = new SnapshotFiles(dir);
    Path older = files.write(small(1_000, 50));
    Path newer = files.write(small(2_000, 80));
    byte[] b = Files.readAllBytes(newer);
    Files.write(newer, Arrays.copyOf(b, b.length / 2)); // a torn file
    Files.writeString(dir.resolve("rib-0000000003000.snap.tmp"), "partial write");
    List<String> reports = new ArrayList<>();
    Optional<SnapshotFiles.Loaded> got = files.loadNewest(reports::add);
    assertTrue(got.isPresent());
    assertEquals(older, got.get().file());
    assertEquals(50L, got.get().snapshot().rib().routeCount());
    assertEquals(2, reports.size(), reports.toString());
    assertTrue(Files.exists(dir.resolve(newer.getFileName() + ".corrupt")));
    assertFalse(Files.exists(dir.resolve("rib-0000000003000.snap.tmp")));
    assertEquals(List.of(older), files.list());
  }

  @Test
  void restoreIntoANonEmptyEngineIsRefusedAndPruneKeepsTheNewest(@TempDir Path dir)
      throws Exception {
    Snapshot s = small(1, 10);
    RoutingEngine busy = new RoutingEngine();
    busy.vantagePoint("x", new byte[] {1, 2, 3, 4}, 1, 1);
    assertThrows(IllegalStateException.class, () -> busy.restore(s.rib()));
    SnapshotFiles files = new SnapshotFiles(dir);
    for (int i = 1; i <= 4; i++) {
      files.write(small(i * 1000L, i));
    }
    assertEquals(2, files.prune(2));
    assertEquals(2, files.list().size());
    assertEquals(4L, files.loadNewest(m -> {}).orElseThrow().snapshot().rib().routeCount());
  }

  /** Format 3 carries the journal sequence; a format 2 file still loads, its sequence unknown. */
  @Test
  void journalSequenceRoundTripsAndFormatTwoStillLoads() throws Exception {
    Snapshot base = small(7, 120);
    IngestImage g = base.ingest();
    Snapshot s =
        new Snapshot(
            7,
            new IngestImage(
                g.positions(),
                g.collectors(),
                g.archiveVps(),
                g.events(),
                g.batches(),
                g.eventsByKind(),
                123_456_789L),
            base.rib());
    Snapshot v3 = SnapshotDecoder.read(SnapshotRoundTripTest.encode(s), "v3");
    assertEquals(123_456_789L, v3.ingest().journalSequence());
    assertEquals(g.positions(), v3.ingest().positions());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SnapshotEncoder.write(s, Channels.newChannel(out), 2);
    byte[] old = out.toByteArray();
    assertEquals(2, old[8]);
    Snapshot v2 = SnapshotDecoder.read(old, "v2");
    // formats before 4 carry no evidence counts: they are re-derived on restore
    assertTrue(v2.rib().originReports().stream().allMatch(r -> r.evidence() == null));
    assertTrue(
        v3.rib().originReports().stream()
            .allMatch(r -> r.evidence() != null && r.evidence().length == r.upstreams().length));
    assertEquals(IngestImage.UNKNOWN_SEQUENCE, v2.ingest().journalSequence());
    assertEquals(g.positions(), v2.ingest().positions());
    assertEquals(base.rib().routeCount(), v2.rib().routeCount());

    byte[] older = old.clone();
    older[8] = 1; // before the oldest readable format: refused, naming what this build reads
    SnapshotException e =
        assertThrows(SnapshotException.class, () -> SnapshotDecoder.read(older, "v1"));
    assertTrue(
        e.getMessage().contains("version 1, this build reads 2 to " + SnapshotFormat.VERSION),
        e.getMessage());
  }
}
