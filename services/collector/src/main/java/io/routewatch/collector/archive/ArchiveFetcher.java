package io.routewatch.collector.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.itadaki.bzip2.BZip2InputStream;
import org.jboss.logging.Logger;

/**
 * Downloads archive files into a local cache: in parallel (at most {@code parallel} at once),
 * resumed with a {@code Range} request from the bytes a {@code .part} file holds, checked against
 * the announced size and then decompressed in full (gzip CRC and length trailer, bzip2 block and
 * stream CRCs) before the file is renamed into place. Only a complete, intact file is ever visible
 * in the cache, so nothing is imported half. A failed attempt is retried after a doubling backoff,
 * {@code attempts} times at most; every failure is reported (file, URL, offset, reason) and
 * counted. The cache is kept under {@code maxBytes} by evicting the least recently used completed
 * files that no import holds.
 */
public final class ArchiveFetcher {
  private static final Logger LOG = Logger.getLogger(ArchiveFetcher.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  /** Largest file accepted (bounds what a lying server can make the cache hold). */
  static final long MAX_FILE_BYTES = 8L << 30;

  /** How the fetcher works; see {@code routewatch.collector.archive.*}. */
  public record Settings(
      Path cacheDir,
      long maxBytes,
      int parallel,
      int attempts,
      Duration backoff,
      Duration timeout) {}

  /** A download that failed: the file, its URL, the offset reached and why. */
  public record Failure(String file, String url, long offset, String reason) {
    @Override
    public String toString() {
      return file + " from " + url + " at offset " + offset + ": " + reason;
    }
  }

  /** Every attempt of a file failed; {@link #failures()} lists them all. */
  public static final class FetchFailed extends IOException {
    private final List<Failure> failures;

    FetchFailed(ArchiveFile file, List<Failure> failures) {
      super(
          "cannot fetch "
              + file.url()
              + " after "
              + failures.size()
              + " attempts; last: "
              + failures.get(failures.size() - 1));
      this.failures = List.copyOf(failures);
    }

    public List<Failure> failures() {
      return failures;
    }
  }

  /** Cuts stalled bodies (one daemon thread for every fetcher). */
  private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "archive-fetch-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final HttpClient http;
  private final Settings settings;
  private final Counter bytesFetched;
  private final Counter filesFetched;
  private final Counter cacheHits;
  private final MeterRegistry registry;
  private final List<Failure> recentFailures = Collections.synchronizedList(new ArrayList<>());

  /** Cached files held by an import (path → holders): never evicted. */
  private final Map<Path, Integer> inUse = new HashMap<>();

  public ArchiveFetcher(HttpClient http, Settings settings, MeterRegistry registry) {
    this.http = http;
    this.settings = settings;
    this.registry = registry;
    this.bytesFetched =
        Counter.builder("routewatch_collector_archive_bytes_fetched_total")
            .description("Bytes downloaded from MRT archives (resumed parts count once)")
            .register(registry);
    this.filesFetched =
        Counter.builder("routewatch_collector_archive_files_fetched_total")
            .description("Archive files downloaded, checked and placed in the cache")
            .register(registry);
    this.cacheHits =
        Counter.builder("routewatch_collector_archive_cache_hits_total")
            .description("Archive files found complete in the local cache (not downloaded)")
            .register(registry);
  }

  private void fail(ArchiveFile f, long offset, String reason, String tag, List<Failure> into) {
    Failure failure = new Failure(f.name(), f.url(), offset, reason);
    into.add(failure);
    synchronized (recentFailures) {
      recentFailures.add(failure);
      if (recentFailures.size() > 100) {
        recentFailures.remove(0);
      }
    }
    Counter.builder("routewatch_collector_archive_failures_total")
        .description("Failed archive download attempts, by reason (each is retried or reported)")
        .tag("reason", tag)
        .register(registry)
        .increment();
    LOG.warnf("archive download failed: %s", failure);
  }

  /** The newest failures (at most 100), oldest first. */
  public List<Failure> recentFailures() {
    synchronized (recentFailures) {
      return List.copyOf(recentFailures);
    }
  }

  /** Where {@code f} lives in the cache once complete. */
  public Path cachePath(ArchiveFile f) {
    return settings.cacheDir().resolve(f.collector()).resolve(f.name());
  }

  /**
   * Fetches every file (at most {@code parallel} at once) and returns their cache paths in the
   * order given, each held until {@link #release}; the first file that cannot be fetched fails the
   * call (after the others ended).
   */
  public List<Path> fetchAll(List<ArchiveFile> files) throws IOException, InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(settings.parallel(), files.size())),
            r -> {
              Thread t = new Thread(r, "archive-fetch");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Path>> futures = new ArrayList<>();
      for (ArchiveFile f : files) {
        futures.add(pool.submit(() -> fetch(f)));
      }
      List<Path> out = new ArrayList<>();
      IOException first = null;
      for (Future<Path> fu : futures) {
        try {
          out.add(fu.get());
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
          }
        }
      }
      if (first != null) {
        out.forEach(this::release);
        throw first;
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Fetches one file into the cache (or finds it there) and holds it until {@link #release}.
   *
   * @throws FetchFailed when every attempt failed
   */
  public Path fetch(ArchiveFile f) throws IOException, InterruptedException {
    Path target = cachePath(f);
    Files.createDirectories(target.getParent());
    hold(target);
    boolean ok = false;
    try {
      if (Files.isRegularFile(target)) {
        Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
        cacheHits.increment();
        ok = true;
        return target;
      }
      List<Failure> failures = new ArrayList<>();
      Path part = target.resolveSibling(f.name() + ".part");
      Duration wait = settings.backoff();
      for (int attempt = 1; attempt <= Math.max(1, settings.attempts()); attempt++) {
        if (attempt > 1) {
          Thread.sleep(wait.toMillis());
          wait = wait.multipliedBy(2);
        }
        if (attempt(f, part, failures)) {
          if (verify(f, part, failures)) {
            move(part, target);
            filesFetched.increment();
            evict();
            ok = true;
            return target;
          }
        }
      }
      throw new FetchFailed(f, failures);
    } finally {
      if (!ok) {
        release(target);
      }
    }
  }

  /** One download attempt into {@code part}, resuming from its size; true when complete. */
  private boolean attempt(ArchiveFile f, Path part, List<Failure> failures)
      throws InterruptedException {
    long have = 0;
    try {
      have = Files.isRegularFile(part) ? Files.size(part) : 0;
    } catch (IOException e) {
      have = 0;
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(f.url())).timeout(settings.timeout()).GET();
    if (have > 0) {
      b.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      fail(f, have, "request failed: " + e, "connect", failures);
      return false;
    }
    int status = resp.statusCode();
    long start;
    long total;
    try (InputStream body = resp.body()) {
      long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (status == 206) {
        Matcher m = CONTENT_RANGE.matcher(resp.headers().firstValue("Content-Range").orElse(""));
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
          fail(f, have, "206 with a Content-Range not starting at " + have, "range", failures);
          Files.deleteIfExists(part);
          return false;
        }
        start = have;
        total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
      } else if (status == 200) {
        start = 0;
        total = length;
      } else if (status == 416 && have > 0 && completeAt(resp, have)) {
        return true; // the part already holds the whole file (an earlier body was cut at its end)
      } else if (status == 416 && have > 0) {
        fail(f, have, "HTTP 416: the part is not a prefix of the file", "range", failures);
        Files.deleteIfExists(part);
        return false;
      } else {
        fail(f, have, "HTTP " + status, "http_" + status, failures);
        return false;
      }
      if (total > MAX_FILE_BYTES) {
        fail(f, start, "announced size " + total + " > " + MAX_FILE_BYTES, "too_large", failures);
        return false;
      }
      long got = start;
      // a body that stops arriving is cut after `timeout` without a byte (the client's request
      // timeout only covers the headers), and the next attempt resumes
      long[] lastByte = {System.nanoTime()};
      java.util.concurrent.ScheduledFuture<?> watchdog =
          WATCHDOG.scheduleAtFixedRate(
              () -> {
                if (System.nanoTime() - lastByte[0] > settings.timeout().toNanos()) {
                  try {
                    body.close();
                  } catch (IOException | RuntimeException e) {
                    // closing is all that matters: the read fails
                  }
                }
              },
              200,
              200,
              java.util.concurrent.TimeUnit.MILLISECONDS);
      StandardOpenOption mode =
          start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
      try (OutputStream out =
          Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = body.read(buf)) > 0) {
          lastByte[0] = System.nanoTime();
          out.write(buf, 0, n);
          got += n;
          bytesFetched.increment(n);
          if (got > MAX_FILE_BYTES || (total >= 0 && got > total)) {
            break;
          }
        }
      } catch (IOException e) {
        String why =
            System.nanoTime() - lastByte[0] > settings.timeout().toNanos()
                ? "no byte for " + settings.timeout() + " mid-body"
                : "connection failed mid-body: " + e.getMessage();
        fail(f, got, why, "interrupted", failures);
        return false;
      } finally {
        watchdog.cancel(false);
      }
      if (total >= 0 && got != total) {
        fail(
            f,
            got,
            "got " + got + " bytes of the announced " + total,
            got < total ? "short" : "long",
            failures);
        if (got > total) {
          Files.deleteIfExists(part);
        }
        return false;
      }
      return true;
    } catch (IOException e) {
      fail(f, have, "cannot write " + part + ": " + e, "io", failures);
      return false;
    }
  }

  /** A 416 whose {@code Content-Range: bytes *}{@code /N} says the file is {@code have} long. */
  private static boolean completeAt(HttpResponse<?> resp, long have) {
    String cr = resp.headers().firstValue("Content-Range").orElse("");
    return cr.equals("bytes */" + have);
  }

  /**
   * Decompresses the whole part: a truncated or corrupt file (a lying Content-Length, a server that
   * cut the body) fails here and the part is deleted, so the next attempt starts afresh.
   */
  private boolean verify(ArchiveFile f, Path part, List<Failure> failures) throws IOException {
    String name = f.name();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(part), 1 << 16);
        InputStream in =
            name.endsWith(".gz")
                ? new GZIPInputStream(raw, 1 << 16)
                : name.endsWith(".bz2") ? new BZip2InputStream(raw, false) : raw) {
      byte[] buf = new byte[1 << 16];
      while (in.read(buf) >= 0) {
        // read to the end: the trailer and CRCs are checked there
      }
    } catch (IOException | RuntimeException e) {
      long size = Files.size(part);
      fail(f, size, "integrity check failed (" + e + "): downloaded again", "corrupt", failures);
      Files.deleteIfExists(part);
      return false;
    }
    return true;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private synchronized void hold(Path p) {
    inUse.merge(p, 1, Integer::sum);
  }

  /** Lets the cache evict {@code p} again (once per fetch of it). */
  public synchronized void release(Path p) {
    inUse.computeIfPresent(p, (k, v) -> v > 1 ? v - 1 : null);
  }

  /** Deletes least recently used complete files not held until the cache fits its limit. */
  synchronized void evict() throws IOException {
    // <collector>/<file> only; a parallel download renames its .part file or creates one while
    // this looks (Files.walk would fail on the entry that vanished): such entries are skipped
    List<Path> files = new ArrayList<>();
    long total = 0;
    Map<Path, long[]> info = new HashMap<>();
    try (java.nio.file.DirectoryStream<Path> dirs =
        Files.newDirectoryStream(settings.cacheDir(), Files::isDirectory)) {
      for (Path dir : dirs) {
        try (java.nio.file.DirectoryStream<Path> in = Files.newDirectoryStream(dir)) {
          for (Path p : in) {
            if (p.getFileName().toString().endsWith(".part")) {
              continue;
            }
            try {
              var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
              if (!a.isRegularFile()) {
                continue;
              }
              files.add(p);
              total += a.size();
              info.put(p, new long[] {a.size(), a.lastModifiedTime().toMillis()});
            } catch (java.nio.file.NoSuchFileException gone) {
              // renamed or deleted meanwhile
            }
          }
        } catch (java.nio.file.NoSuchFileException gone) {
          // a collector directory removed meanwhile
        }
      }
    }
    List<Path> byAge = new ArrayList<>(files);
    byAge.sort((a, c) -> Long.compare(info.get(a)[1], info.get(c)[1]));
    for (Path p : byAge) {
      if (total <= settings.maxBytes()) {
        break;
      }
      if (inUse.containsKey(p)) {
        continue;
      }
      Files.deleteIfExists(p);
      total -= info.get(p)[0];
      LOG.infof("archive cache: evicted %s (cache over %d bytes)", p, settings.maxBytes());
    }
  }
}
