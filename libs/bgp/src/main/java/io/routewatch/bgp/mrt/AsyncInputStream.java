package io.routewatch.bgp.mrt;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a (decompressing) stream on its own daemon thread, handing 256 KiB chunks over a small
 * queue, so inflate/bunzip uses the second core while the caller decodes. Memory stays constant: at
 * most {@code DEPTH} chunks are in flight. An exception in the producer is re-thrown to the reader
 * after every byte read before it.
 */
final class AsyncInputStream extends InputStream {
  private static final int CHUNK = 256 * 1024;
  private static final int DEPTH = 8;
  private static final byte[] EOF = new byte[0];

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEPTH);
  private final InputStream source;
  private final Thread thread;
  private volatile boolean closed;
  private byte[] cur = new byte[0];
  private int curLen;
  private int pos;
  private boolean done;
  private IOException failure;

  AsyncInputStream(InputStream source, String name) {
    this.source = source;
    this.thread = new Thread(this::pump, "mrt-inflate-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void pump() {
    try {
      while (!closed) {
        byte[] b = new byte[CHUNK];
        int n = 0;
        try {
          while (n < CHUNK) {
            int r = source.read(b, n, CHUNK - n);
            if (r < 0) break;
            n += r;
          }
        } catch (IOException e) {
          if (n > 0) put(new Chunk(b, n)); // hand over every byte decoded before the failure
          throw e;
        }
        if (n > 0) put(new Chunk(b, n));
        if (n < CHUNK) break;
      }
      put(EOF);
    } catch (IOException e) {
      put(e);
    } catch (RuntimeException e) {
      put(new IOException(e.toString(), e));
    }
  }

  private record Chunk(byte[] data, int len) {}

  private void put(Object o) {
    try {
      while (!closed) {
        if (queue.offer(o, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean fill() throws IOException {
    if (done) {
      if (failure != null) {
        IOException f = failure;
        failure = null;
        throw f;
      }
      return false;
    }
    Object o;
    try {
      o = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (o instanceof Chunk c) {
      cur = c.data;
      curLen = c.len;
      pos = 0;
      return true;
    }
    done = true;
    if (o instanceof IOException e) throw e;
    return false;
  }

  @Override
  public int read() throws IOException {
    if (pos >= curLen && !fill()) return -1;
    return cur[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    if (pos >= curLen && !fill()) return -1;
    int n = Math.min(len, curLen - pos);
    System.arraycopy(cur, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    thread.interrupt();
    source.close();
  }
}
