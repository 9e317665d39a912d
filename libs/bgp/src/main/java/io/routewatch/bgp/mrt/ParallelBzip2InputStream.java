package io.routewatch.bgp.mrt;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bzip2 decompression on several cores in pure Java. A bzip2 stream is a sequence of independent
 * blocks, each starting with the 48-bit magic 0x314159265359 on an arbitrary bit boundary; the
 * stream ends with 0x177245385090 and the combined CRC. The caller's thread scans the compressed
 * bytes for the magics ({@link Bzip2Slicer}), cuts a slice per block and hands it to a small pool
 * that decodes it with jbzip2's block decoder ({@code org.itadaki.bzip2.BZip2BlockDecompressor},
 * which checks the block CRC); blocks are handed back in order. At most {@code 2 × threads} blocks
 * are in flight, so memory stays bounded (≈ 6 MB per block at level 9) whatever the file size.
 *
 * <p>A magic can also occur by chance inside compressed data (p ≈ 2^-48 per bit position): the
 * block cut there fails to decode, and it is then retried merged with the following slice. A file
 * without an end-of-stream marker (a truncated download) yields every complete block and then fails
 * with an IOException naming the truncation, which {@link MrtReader} reports as STOPPED.
 */
final class ParallelBzip2InputStream extends InputStream {
  /** Slices merged at most when a false block magic splits a block. */
  private static final int MAX_MERGES = 4;

  private final Bzip2Slicer slicer;
  private final ExecutorService pool;
  private final int ahead;
  private final ArrayDeque<Task> tasks = new ArrayDeque<>();
  private byte[] cur = new byte[0];
  private int curLen;
  private int pos;
  private int combinedCrc;

  /** Whether the last slice consumed closed a stream (an end-of-stream marker). */
  private boolean ended;

  private boolean finished;
  private IOException failure;

  private record Task(Bzip2Slicer.Slice slice, Future<Bzip2Slicer.Decoded> result) {}

  ParallelBzip2InputStream(InputStream raw, int threads) throws IOException {
    this.slicer = new Bzip2Slicer(raw);
    int n = Math.max(1, threads);
    this.pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "mrt-bunzip2");
              t.setDaemon(true);
              return t;
            });
    this.ahead = 2 * n;
  }

  /** Threads by default: every core (the caller's thread mostly waits or formats). */
  static int defaultThreads() {
    return Integer.getInteger(
        "routewatch.bgp.bzip2Threads", Runtime.getRuntime().availableProcessors());
  }

  private void fillAhead() throws IOException {
    while (tasks.size() < ahead) {
      Bzip2Slicer.Slice s = slicer.next();
      if (s == null) return;
      int blockSize = slicer.blockSize();
      tasks.add(new Task(s, pool.submit(() -> Bzip2Slicer.decode(s, blockSize))));
    }
  }

  private boolean nextBlock() throws IOException {
    if (failure != null) throw failure;
    if (finished) return false;
    try {
      while (true) {
        fillAhead();
        Task t = tasks.poll();
        if (t == null) {
          finish();
          if (!ended) throw new IOException(slicer.truncatedMessage(-1));
          return false;
        }
        Bzip2Slicer.Decoded d = result(t);
        if (d.endOfStream()) {
          if (d.crc() != combinedCrc) {
            throw new IOException(
                String.format(
                    "bzip2 combined CRC mismatch at compressed bit %d: stored %08x, computed %08x",
                    t.slice().startBit(), d.crc(), combinedCrc));
          }
          combinedCrc = 0;
          ended = true;
          continue;
        }
        combinedCrc = Integer.rotateLeft(combinedCrc, 1) ^ d.crc();
        ended = false;
        if (d.length() == 0) continue;
        cur = d.data();
        curLen = d.length();
        pos = 0;
        return true;
      }
    } catch (IOException e) {
      finish();
      failure = e;
      throw e;
    }
  }

  /** The decoded block, or the slice merged with its successors when a false magic split it. */
  private Bzip2Slicer.Decoded result(Task t) throws IOException {
    Throwable cause;
    try {
      return t.result().get();
    } catch (ExecutionException e) {
      cause = e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while decoding bzip2", e);
    }
    Bzip2Slicer.Slice merged = t.slice();
    for (int i = 0; i < MAX_MERGES; i++) {
      if (merged.tail()) break;
      fillAhead();
      Task next = tasks.poll();
      if (next == null) break;
      next.result().cancel(false);
      merged = Bzip2Slicer.merge(merged, next.slice());
      try {
        return Bzip2Slicer.decode(merged, slicer.blockSize());
      } catch (IOException | RuntimeException retry) {
        // still broken: merge one more
      }
    }
    if (merged.tail()) throw new IOException(slicer.truncatedMessage(t.slice().startBit()), cause);
    throw new IOException(
        "damaged bzip2 block at compressed bit " + t.slice().startBit() + ": " + cause, cause);
  }

  private void finish() {
    finished = true;
    for (Task t : tasks) t.result().cancel(true);
    tasks.clear();
    pool.shutdownNow();
  }

  @Override
  public int read() throws IOException {
    if (pos >= curLen && !nextBlock()) return -1;
    return cur[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    if (pos >= curLen && !nextBlock()) return -1;
    int n = Math.min(len, curLen - pos);
    System.arraycopy(cur, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return curLen - pos;
  }

  @Override
  public void close() throws IOException {
    finish();
    slicer.close();
  }
}
