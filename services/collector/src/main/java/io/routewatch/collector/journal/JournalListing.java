package io.routewatch.collector.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the journal directory holds, for {@code GET /api/v1/journal/files}, gRPC {@code
 * ListJournalFiles} and {@code routewatch journal list}: each file with its record count and the
 * time range of its records.
 *
 * <p>Records are counted by walking the MRT common headers (12 bytes; the time at 0..3, the length
 * at 8..11, {@code _ET} types' microseconds in the first 4 bytes of the body). A file is walked
 * once: the walk's end is remembered per file and the next listing goes on from there, so listing a
 * journal of large closed files and a growing open one costs only the records added since. Only
 * whole records are counted; a torn record at the end (a crash between write and fsync) is left for
 * {@link MrtJournal}'s repair and read again, whole, next time.
 */
public final class JournalListing {
  /** One journal file as listed. Times in µs since the epoch, 0 when it holds no whole record. */
  public record Entry(
      MrtJournal.JournalFile file,
      long records,
      long firstMicros,
      long lastMicros,
      boolean acknowledged,
      boolean open) {}

  /** How far a file was walked, and what the walk found. */
  private static final class Walk {
    long offset;
    long records;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
  }

  private final Map<Path, Walk> walks = new HashMap<>();

  /**
   * Lists {@code journal}'s files, oldest first.
   *
   * @param acknowledged whether state acknowledged a file whole (false for all when unknown)
   */
  public synchronized List<Entry> list(MrtJournal journal, Predicate<Path> acknowledged)
      throws IOException {
    List<MrtJournal.JournalFile> files = journal.files();
    walks.keySet().retainAll(files.stream().map(MrtJournal.JournalFile::path).toList());
    List<Entry> out = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      MrtJournal.JournalFile f = files.get(i);
      Walk w = walks.computeIfAbsent(f.path(), p -> new Walk());
      if (w.offset > f.bytes()) {
        // the file was cut (a torn tail repaired at start): walk it again
        w = new Walk();
        walks.put(f.path(), w);
      }
      walk(f.path(), f.bytes(), w);
      boolean any = w.records > 0;
      out.add(
          new Entry(
              f,
              w.records,
              any ? w.first : 0,
              any ? w.last : 0,
              acknowledged.test(f.path()),
              i == files.size() - 1));
    }
    return out;
  }

  /**
   * Walks the whole records of {@code p} from {@code w.offset} up to {@code size}, reading 256 KiB
   * at a time (a closed 5-minute file of a full feed is some 100 MB of 100-byte records).
   */
  private static void walk(Path p, long size, Walk w) throws IOException {
    if (w.offset + 12 > size) {
      return;
    }
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
      long bufStart = 0;
      int bufLen = 0;
      while (w.offset + 12 <= size) {
        int need = (int) Math.min(16, size - w.offset);
        if (w.offset < bufStart || w.offset + need > bufStart + bufLen) {
          buf.clear();
          buf.limit((int) Math.min(buf.capacity(), size - w.offset));
          while (buf.hasRemaining()) {
            if (ch.read(buf, w.offset + buf.position()) < 0) {
              break; // shorter than listed (cut meanwhile)
            }
          }
          bufStart = w.offset;
          bufLen = buf.position();
          if (bufLen < need) {
            return; // the rest is counted next time
          }
        }
        int at = (int) (w.offset - bufStart);
        long seconds = Integer.toUnsignedLong(buf.getInt(at));
        int type = Short.toUnsignedInt(buf.getShort(at + 4));
        long length = Integer.toUnsignedLong(buf.getInt(at + 8));
        if (length > MrtJournal.MAX_RECORD || w.offset + 12 + length > size) {
          return; // torn, or not written yet
        }
        long micros = seconds * 1_000_000L;
        if (extendedTime(type) && length >= 4) {
          micros += Integer.toUnsignedLong(buf.getInt(at + 12)); // in the buffer: need was 16
        }
        w.first = Math.min(w.first, micros);
        w.last = Math.max(w.last, micros);
        w.records++;
        w.offset += 12 + length;
      }
    }
  }

  /** RFC 6396 types with a microsecond field: BGP4MP_ET (17), ISIS_ET (33), OSPFv3_ET (49). */
  private static boolean extendedTime(int type) {
    return type == 17 || type == 33 || type == 49;
  }
}
