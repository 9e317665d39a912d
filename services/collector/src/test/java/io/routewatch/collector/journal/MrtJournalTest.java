package io.routewatch.collector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.bgp.mrt.Bgp4mpEndpoints;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live journal's files: RouteViews names per interval, every record where its time puts it,
 * nothing durable before a commit, a torn tail cut off on reopen, and bgpdump (the oracle) reading
 * every file to its end.
 */
class MrtJournalTest {
  @TempDir Path dir;

  static final Bgp4mpEndpoints PEER =
      new Bgp4mpEndpoints(64500, 65000, 0, new byte[] {(byte) 192, 0, 2, 1}, new byte[4]);

  /** 2017-10-01 08:14:58 UTC in microseconds. */
  static final long T0 = Instant.parse("2017-10-01T08:14:58Z").getEpochSecond() * 1_000_000;

  /** An UPDATE announcing 10.{i/256}.{i%256}.0/24 with AS_PATH 64500 131279 (4-byte AS). */
  static byte[] update(int i) {
    byte[] attrs = {
      0x40,
      1,
      1,
      0, // ORIGIN IGP
      0x40,
      2,
      10,
      2,
      2,
      0,
      0,
      (byte) 0xfb,
      (byte) 0xf4,
      0,
      2,
      0,
      (byte) 0xcf, // AS_PATH
      0x40,
      3,
      4,
      (byte) 192,
      0,
      2,
      1 // NEXT_HOP
    };
    byte[] nlri = {24, 10, (byte) (i >> 8), (byte) i};
    int len = 19 + 2 + 2 + attrs.length + nlri.length;
    byte[] m = new byte[len];
    java.util.Arrays.fill(m, 0, 16, (byte) 0xff);
    m[16] = (byte) (len >> 8);
    m[17] = (byte) len;
    m[18] = 2;
    m[19] = 0;
    m[20] = 0;
    m[21] = (byte) (attrs.length >> 8);
    m[22] = (byte) attrs.length;
    System.arraycopy(attrs, 0, m, 23, attrs.length);
    System.arraycopy(nlri, 0, m, 23 + attrs.length, nlri.length);
    return m;
  }

  static List<String> bgpdump(Path mrt) throws Exception {
    Path out = Files.createTempFile(mrt.getParent().getParent(), "dump", ".txt");
    Process p =
        new ProcessBuilder("bgpdump", "-m", "-O", out.toString(), mrt.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    List<String> lines = Files.readAllLines(out, StandardCharsets.ISO_8859_1);
    Files.delete(out);
    return lines;
  }

  static int records(Path mrt) throws Exception {
    int n = 0;
    try (MrtReader r = MrtReader.open(mrt, MrtReader.Mode.STRICT)) {
      for (MrtRecord ignored : r) {
        n++;
      }
    }
    return n;
  }

  @Test
  void recordsGoToTheirIntervalsFileAndAreDurableOnlyAfterACommit() throws Exception {
    Path j = dir.resolve("rrc-local");
    try (MrtJournal journal = new MrtJournal(j, Duration.ofMinutes(5))) {
      journal.stateChange(T0, PEER, 5, 6); // 08:14:58 → updates.20171001.0810
      for (int i = 0; i < 100; i++) {
        byte[] u = update(i);
        journal.message(T0 + i * 50_000L, PEER, true, false, u, 0, u.length); // to 08:15:02.95
      }
      assertEquals(101, journal.appended());
      assertEquals(0, journal.durable(), "nothing durable before a commit");
      assertTrue(journal.pendingBytes() > 100 * 40);
      assertFalse(journal.awaitDurable(1, Duration.ofMillis(50)));
      assertEquals(101, journal.commit());
      assertTrue(journal.awaitDurable(101, Duration.ofMillis(1)));
      assertEquals(0, journal.pendingBytes());
      List<MrtJournal.JournalFile> files = journal.files();
      assertEquals(
          List.of("updates.20171001.0810", "updates.20171001.0815"),
          files.stream().map(f -> f.path().getFileName().toString()).toList());
      assertEquals(Instant.parse("2017-10-01T08:15:00Z"), files.get(1).intervalStart());
      List<String> first = bgpdump(files.get(0).path());
      List<String> second = bgpdump(files.get(1).path());
      assertEquals(1 + 40, first.size(), "the state change and the 40 updates before 08:15:00");
      assertEquals("BGP4MP_ET|1506845698.000000|STATE|192.0.2.1|64500|5|6", first.get(0));
      assertEquals(
          "BGP4MP_ET|1506845698.000000|A|192.0.2.1|64500|10.0.0.0/24|64500 131279|IGP|192.0.2.1|0|0||NAG||",
          first.get(1));
      assertEquals(60, second.size());
      assertTrue(second.get(59).contains("|10.0.99.0/24|"), second.get(59));
    }
  }

  @Test
  void aRecordFromBeforeTheOpenIntervalJoinsTheOpenFile() throws Exception {
    try (MrtJournal journal = new MrtJournal(dir, Duration.ofMinutes(5))) {
      byte[] u = update(1);
      journal.message(T0 + 10_000_000, PEER, true, false, u, 0, u.length); // 08:15:08
      journal.commit();
      journal.message(T0, PEER, true, false, u, 0, u.length); // 08:14:58: clock stepped back
      journal.commit();
      assertEquals(1, journal.files().size());
      assertEquals(2, records(journal.files().get(0).path()));
    }
  }

  @Test
  void aTornTailIsCutOffOnReopenAndAppendingContinuesThatFile() throws Exception {
    byte[] u = update(7);
    try (MrtJournal journal = new MrtJournal(dir, Duration.ofMinutes(5))) {
      for (int i = 0; i < 10; i++) {
        journal.message(T0 + 3_000_000 + i, PEER, true, false, u, 0, u.length);
      }
    } // close commits
    Path f = dir.resolve("updates.20171001.0815");
    long whole = Files.size(f);
    // a crash mid-write: the header and half of an eleventh record
    byte[] torn = java.util.Arrays.copyOf(Files.readAllBytes(f), (int) (whole / 10) / 2);
    Files.write(f, torn, StandardOpenOption.APPEND);
    try (MrtJournal journal = new MrtJournal(dir, Duration.ofMinutes(5))) {
      assertEquals(whole, Files.size(f), "torn record cut off");
      journal.message(T0 + 4_000_000, PEER, true, false, u, 0, u.length);
      journal.commit();
    }
    assertEquals(11, records(f));
    assertEquals(11, bgpdump(f).size());
  }

  @Test
  void aCommitWithNothingPendingWritesNothing() throws Exception {
    try (MrtJournal journal = new MrtJournal(dir, Duration.ofMinutes(5))) {
      assertEquals(0, journal.commit());
      assertTrue(journal.files().isEmpty());
    }
  }

  @Test
  void intervalIsWholeMinutes() {
    // updates.YYYYMMDD.HHMM has no seconds: two 30 s intervals would share one file
    for (Duration bad : List.of(Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ZERO)) {
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> new MrtJournal(dir, bad));
      assertTrue(e.getMessage().contains("routewatch.collector.journal.interval"), e.getMessage());
    }
  }
}
