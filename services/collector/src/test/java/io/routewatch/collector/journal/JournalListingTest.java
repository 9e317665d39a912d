package io.routewatch.collector.journal;

import static io.routewatch.collector.journal.MrtJournalTest.PEER;
import static io.routewatch.collector.journal.MrtJournalTest.T0;
import static io.routewatch.collector.journal.MrtJournalTest.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal listing reads real journal files: per file the whole records, the time range of their
 * records (µs, from the BGP4MP_ET headers), which file is open; a torn record at the end is not
 * counted until it is whole, and a growing file is walked on from where the last listing stopped.
 */
class JournalListingTest {
  @TempDir Path dir;

  byte[] b(int i) {
    return update(i);
  }

  @Test
  void listsEachFileWithItsRecordsAndTimeRange() throws Exception {
    JournalListing listing = new JournalListing();
    try (MrtJournal j = new MrtJournal(dir, Duration.ofMinutes(5))) {
      // 08:14:58.000001 .. 08:14:59.5: file 08:10; 08:15:00.25 .. 08:15:03: file 08:15
      byte[] m = b(1);
      j.message(T0 + 1, PEER, true, false, m, 0, m.length);
      j.stateChange(T0 + 1_000_000, PEER, 6, 1);
      m = b(2);
      j.message(T0 + 1_500_000, PEER, true, false, m, 0, m.length);
      m = b(3);
      j.message(T0 + 2_250_000, PEER, true, false, m, 0, m.length);
      m = b(4);
      j.message(T0 + 5_000_000, PEER, true, false, m, 0, m.length);
      j.commit();

      List<JournalListing.Entry> l =
          listing.list(j, p -> p.getFileName().toString().endsWith("0810"));
      assertEquals(2, l.size(), l.toString());
      JournalListing.Entry first = l.get(0);
      assertEquals("updates.20171001.0810", first.file().path().getFileName().toString());
      assertEquals(3, first.records());
      assertEquals(T0 + 1, first.firstMicros());
      assertEquals(T0 + 1_500_000, first.lastMicros());
      assertTrue(first.acknowledged());
      assertFalse(first.open());
      JournalListing.Entry second = l.get(1);
      assertEquals("updates.20171001.0815", second.file().path().getFileName().toString());
      assertEquals(2, second.records());
      assertEquals(T0 + 2_250_000, second.firstMicros());
      assertEquals(T0 + 5_000_000, second.lastMicros());
      assertFalse(second.acknowledged());
      assertTrue(second.open());
      assertEquals(Files.size(second.file().path()), second.file().bytes());

      // the open file grows: the listing goes on from where it stopped
      m = b(5);
      j.message(T0 + 7_000_000, PEER, true, false, m, 0, m.length);
      j.commit();
      JournalListing.Entry grown = listing.list(j, p -> false).get(1);
      assertEquals(3, grown.records());
      assertEquals(T0 + 2_250_000, grown.firstMicros());
      assertEquals(T0 + 7_000_000, grown.lastMicros());
    }
  }

  @Test
  void tornRecordAtTheEndIsNotCountedUntilWhole() throws Exception {
    JournalListing listing = new JournalListing();
    Path open;
    try (MrtJournal j = new MrtJournal(dir, Duration.ofMinutes(5))) {
      byte[] m = b(1);
      j.message(T0, PEER, true, false, m, 0, m.length);
      j.commit();
      open = j.files().get(0).path();
      // half of a record, as a crash between write and fsync leaves it
      byte[] whole = Files.readAllBytes(open);
      Files.write(
          open, java.util.Arrays.copyOf(whole, whole.length / 2), StandardOpenOption.APPEND);
      JournalListing.Entry e = listing.list(j, p -> false).get(0);
      assertEquals(1, e.records());
      assertEquals(T0, e.lastMicros());
    }
    // reopened: the torn tail is cut; the listing walks the shorter file again
    try (MrtJournal j = new MrtJournal(dir, Duration.ofMinutes(5))) {
      byte[] m = b(2);
      j.message(T0 + 1_000_000, PEER, true, false, m, 0, m.length);
      j.commit();
      JournalListing.Entry e = listing.list(j, p -> false).get(0);
      assertEquals(2, e.records(), "whole records after the repair");
      assertEquals(T0, e.firstMicros());
      assertEquals(T0 + 1_000_000, e.lastMicros());
      assertTrue(e.open());
    }
  }

  @Test
  void countsRecordsAcrossReadChunks() throws Exception {
    // 6,000 records of 71 bytes: 426,000 bytes, read 256 KiB at a time
    int n = 6000;
    try (MrtJournal j = new MrtJournal(dir, Duration.ofMinutes(5))) {
      for (int i = 0; i < n; i++) {
        byte[] m = b(i);
        j.message(T0 + 3_000_000L + i, PEER, true, false, m, 0, m.length);
      }
      j.commit();
      JournalListing.Entry e = new JournalListing().list(j, p -> false).get(0);
      assertTrue(e.file().bytes() > 256 * 1024, "more than one chunk: " + e.file().bytes());
      assertEquals(n, e.records());
      assertEquals(T0 + 3_000_000L, e.firstMicros());
      assertEquals(T0 + 3_000_000L + n - 1, e.lastMicros());
    }
  }

  @Test
  void emptyJournalListsNothing() throws Exception {
    try (MrtJournal j = new MrtJournal(dir, Duration.ofMinutes(5))) {
      assertEquals(List.of(), new JournalListing().list(j, p -> false));
    }
  }
}
