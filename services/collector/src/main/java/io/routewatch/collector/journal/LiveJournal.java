package io.routewatch.collector.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.bgp.mrt.Bgp4mpEndpoints;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.mrt.JournalFiles;
import io.routewatch.collector.publish.StateLink;
import io.routewatch.proto.v1.JournalFileInfo;
import io.routewatch.proto.v1.ListJournalFilesResponse;
import io.routewatch.servicekit.metrics.Gauges;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The collector's live journal ({@code routewatch.collector.journal.*}): owns the {@link
 * MrtJournal} the BGP sessions append to, its group-commit thread, retention and disk quota, and
 * the {@link JournalPublisher} that sends the journal to state. Off (every method a no-op, {@link
 * #enabled} false) while {@code journal.dir} is unset.
 *
 * <p>Sessions never wait on state: an append only encodes into memory. They wait on the disk only
 * while 8 × {@code commit-bytes} are pending (bounded memory whatever the outage length); at the
 * disk quota with policy {@code backpressure}, {@link #overQuota} tells them to stop reading their
 * sockets until retention made room.
 */
@ApplicationScoped
public class LiveJournal implements JournalFiles {
  private static final Logger LOG = Logger.getLogger(LiveJournal.class);

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;
  @Inject StateLink link;

  private volatile MrtJournal journal;
  private volatile JournalPublisher publisher;
  private volatile boolean overQuota;
  private volatile boolean stopping;
  private volatile long diskBytes;
  private final Object room = new Object();
  private final JournalListing listing = new JournalListing();
  private final java.util.Set<Bgp4mpEndpoints> established = new java.util.LinkedHashSet<>();
  private Counter appendErrors;
  private Counter deletedUnacked;
  private Counter deleted;
  private Thread committer;

  void onStart(@Observes @Priority(10) StartupEvent ev) {
    start();
  }

  /** Opens the journal if configured (idempotent; sessions may ask before the startup event). */
  public synchronized void start() {
    if (journal != null || config.journal().dir().isEmpty()) {
      return;
    }
    CollectorConfig.Journal c = config.journal();
    Path dir = Path.of(c.dir().get());
    try {
      journal = new MrtJournal(dir, c.interval());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the journal in " + dir + ": " + e, e);
    }
    appendErrors = registry.counter("routewatch_collector_journal_append_errors_total");
    deleted = registry.counter("routewatch_collector_journal_files_deleted_total");
    deletedUnacked =
        registry.counter("routewatch_collector_journal_unacknowledged_deleted_bytes_total");
    Gauges.gauge(registry, "routewatch_collector_journal_disk_bytes", this, j -> j.diskBytes);
    Gauges.gauge(
        registry, "routewatch_collector_journal_quota_reached", this, j -> j.overQuota ? 1 : 0);
    Gauges.gauge(
        registry,
        "routewatch_collector_journal_pending_bytes",
        this,
        j -> j.journal == null ? 0 : j.journal.pendingBytes());
    Gauges.gauge(
        registry,
        "routewatch_collector_journal_records",
        this,
        j -> j.journal == null ? 0 : j.journal.appended());
    Gauges.gauge(
        registry,
        "routewatch_collector_journal_durable_records",
        this,
        j -> j.journal == null ? 0 : j.journal.durable());
    endCrashedSessions(dir);
    housekeep();
    committer = new Thread(this::commitLoop, "journal-commit");
    committer.setDaemon(true);
    committer.start();
    publisher = new JournalPublisher(journal, link, config, registry);
    publisher.start();
    LOG.infof(
        "live journal in %s (files every %s, group commit %s / %d bytes, quota %d bytes, %s)",
        dir, c.interval(), c.commitInterval(), c.commitBytes(), c.diskQuota(), c.quotaPolicy());
  }

  void onStop(@Observes ShutdownEvent ev) {
    stopping = true;
    JournalPublisher p = publisher;
    if (p != null) {
      p.stop();
    }
    MrtJournal j = journal;
    if (j != null) {
      try {
        j.close();
      } catch (IOException e) {
        LOG.errorf("journal close: %s", e);
      }
    }
  }

  /** True when the journal is configured: sessions append to it instead of the live buffer. */
  public boolean enabled() {
    start();
    return journal != null;
  }

  /**
   * The journal's files, oldest first, with their record counts and time ranges (see {@link
   * JournalListing}) and whether state acknowledged them whole.
   */
  @Override
  public ListJournalFilesResponse list() throws Off, IOException {
    if (!enabled()) {
      throw new Off("the live journal is off: routewatch.collector.journal.dir is not set");
    }
    MrtJournal j = journal;
    JournalPublisher p = publisher;
    ListJournalFilesResponse.Builder out =
        ListJournalFilesResponse.newBuilder()
            .setDir(Path.of(config.journal().dir().get()).toAbsolutePath().toString());
    for (JournalListing.Entry e : listing.list(j, f -> p != null && p.acknowledgedWhole(f))) {
      out.addFiles(
          JournalFileInfo.newBuilder()
              .setPath(e.file().path().toAbsolutePath().toString())
              .setBytes(e.file().bytes())
              .setIntervalStartUnixSeconds(e.file().intervalStart().getEpochSecond())
              .setFirstRecordMicros(e.firstMicros())
              .setLastRecordMicros(e.lastMicros())
              .setRecords(e.records())
              .setAcknowledged(e.acknowledged())
              .setOpen(e.open()));
    }
    return out.build();
  }

  /** True while the disk quota is reached and the policy is to stop reading from sessions. */
  public boolean overQuota() {
    return overQuota;
  }

  /** The journal (null when off). */
  public MrtJournal journal() {
    return journal;
  }

  /** The publisher (null when off). */
  public JournalPublisher publisher() {
    return publisher;
  }

  /** Appends one received BGP message; false (counted, logged) if it could not be encoded. */
  public boolean message(
      Bgp4mpEndpoints session, boolean as4, boolean addPath, byte[] message, long timeMicros) {
    MrtJournal j = journal;
    if (j == null) {
      return false;
    }
    awaitRoom(j);
    try {
      j.message(timeMicros, session, as4, addPath, message, 0, message.length);
      return true;
    } catch (IOException | RuntimeException e) {
      appendErrors.increment();
      LOG.errorf("journal: cannot append a message of %s: %s", session, e);
      return false;
    }
  }

  /**
   * Appends one FSM transition (RFC 6396 codes 1..6). Sessions that reach Established (6) are
   * listed in {@code .sessions} until they leave it: after a crash the next start journals their
   * end ({@link #endCrashedSessions}), so state does not keep their routes.
   */
  public boolean stateChange(Bgp4mpEndpoints session, int from, int to, long timeMicros) {
    MrtJournal j = journal;
    if (j == null) {
      return false;
    }
    try {
      j.stateChange(timeMicros, session, from, to);
      if (to == 6 || from == 6) {
        synchronized (established) {
          if (to == 6) {
            established.add(session);
          } else {
            established.remove(session);
          }
          writeSessions();
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      appendErrors.increment();
      LOG.errorf("journal: cannot append a state change of %s: %s", session, e);
      return false;
    }
  }

  /**
   * Sessions the last run left Established (it crashed, or stopped before they ended): their
   * connections are gone, so each gets an Established -> Idle record now.
   */
  private void endCrashedSessions(Path dir) {
    Path f = dir.resolve(".sessions");
    if (!Files.exists(f)) {
      return;
    }
    try {
      long now = System.currentTimeMillis() * 1000L;
      int n = 0;
      for (String line : Files.readAllLines(f)) {
        String[] p = line.trim().split(" ");
        if (p.length != 4) {
          continue;
        }
        try {
          Bgp4mpEndpoints e =
              new Bgp4mpEndpoints(
                  Long.parseLong(p[0]),
                  Long.parseLong(p[1]),
                  0,
                  java.util.HexFormat.of().parseHex(p[2]),
                  java.util.HexFormat.of().parseHex(p[3]));
          journal.stateChange(now, e, 6, 1);
          n++;
        } catch (RuntimeException bad) {
          LOG.warnf("journal: %s: ignoring the line \"%s\": %s", f, line, bad.getMessage());
        }
      }
      Files.deleteIfExists(f);
      if (n > 0) {
        LOG.infof(
            "journal: %d sessions of the last run were still Established: journaled their end", n);
      }
    } catch (IOException e) {
      LOG.errorf("journal: cannot read %s: %s", f, e);
    }
  }

  /** Rewrites {@code .sessions} (under {@code established}): one line per Established session. */
  private void writeSessions() {
    Path dir = Path.of(config.journal().dir().get());
    Path f = dir.resolve(".sessions");
    Path tmp = dir.resolve(".sessions.tmp");
    StringBuilder b = new StringBuilder();
    for (Bgp4mpEndpoints e : established) {
      b.append(e.peerAsn())
          .append(' ')
          .append(e.localAsn())
          .append(' ')
          .append(java.util.HexFormat.of().formatHex(e.peerAddress()))
          .append(' ')
          .append(java.util.HexFormat.of().formatHex(e.localAddress()))
          .append('\n');
    }
    try {
      Files.writeString(tmp, b);
      Files.move(
          tmp,
          f,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.errorf("journal: cannot write %s: %s", f, e);
    }
  }

  /** Waits (at disk speed) while more than 8 group commits' worth of bytes are pending. */
  private void awaitRoom(MrtJournal j) {
    long max = 8 * config.journal().commitBytes();
    if (j.pendingBytes() < max) {
      return;
    }
    synchronized (room) {
      room.notifyAll(); // wake the committer
      while (j.pendingBytes() >= max && !stopping) {
        try {
          room.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void commitLoop() {
    CollectorConfig.Journal c = config.journal();
    long intervalMillis = Math.max(1, c.commitInterval().toMillis());
    long lastHousekeep = System.nanoTime();
    while (!stopping) {
      try {
        synchronized (room) {
          if (journal.pendingBytes() < c.commitBytes()) {
            room.wait(intervalMillis);
          }
        }
        journal.commit();
        synchronized (room) {
          room.notifyAll();
        }
        JournalPublisher p = publisher;
        if (p != null) {
          p.wake();
        }
        if (System.nanoTime() - lastHousekeep > 1_000_000_000L) {
          lastHousekeep = System.nanoTime();
          housekeep();
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.errorf("journal commit failed (retrying in 1 s): %s", e);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /**
   * Retention and quota: deletes files state acknowledged that are older than {@code retention-age}
   * or beyond {@code retention-bytes} (oldest first; never the newest file), then applies the quota
   * policy.
   */
  synchronized void housekeep() {
    CollectorConfig.Journal c = config.journal();
    try {
      List<MrtJournal.JournalFile> files = journal.files();
      long total = files.stream().mapToLong(MrtJournal.JournalFile::bytes).sum();
      Instant oldest = Instant.now().minus(c.retentionAge());
      JournalPublisher p = publisher;
      for (int i = 0; i < files.size() - 1; i++) {
        MrtJournal.JournalFile f = files.get(i);
        boolean expired =
            f.intervalStart().plus(c.interval()).isBefore(oldest) || total > c.retentionBytes();
        boolean acked = p != null && p.acknowledgedWhole(f.path());
        boolean quota =
            total >= c.diskQuota() && c.quotaPolicy() == CollectorConfig.QuotaPolicy.DELETE_OLDEST;
        if ((expired && acked) || quota) {
          if (!acked) {
            deletedUnacked.increment(f.bytes());
            LOG.warnf(
                "journal at its disk quota (%d bytes): deleting %s, which state has not"
                    + " acknowledged whole (policy delete-oldest)",
                c.diskQuota(), f.path());
          }
          delete(f.path(), p);
          total -= f.bytes();
        }
      }
      diskBytes = total;
      if (p != null) {
        p.measure();
      }
      boolean over =
          total >= c.diskQuota() && c.quotaPolicy() == CollectorConfig.QuotaPolicy.BACKPRESSURE;
      if (over != overQuota) {
        if (over) {
          LOG.errorf(
              "journal at its disk quota (%d of %d bytes) and state has not acknowledged the"
                  + " files: BGP sessions stop reading until there is room",
              total, c.diskQuota());
        } else {
          LOG.infof("journal below its disk quota again (%d bytes): sessions read on", total);
        }
        overQuota = over;
      }
    } catch (IOException | RuntimeException e) {
      LOG.errorf("journal housekeeping failed: %s", e);
    }
  }

  private void delete(Path f, JournalPublisher p) throws IOException {
    if (p != null) {
      p.forget(f);
    }
    Files.deleteIfExists(f);
    Files.deleteIfExists(JournalPublisher.indexOf(f));
    deleted.increment();
    LOG.infof("journal: deleted %s", f);
  }

  /** For tests: how long a commit may take to come round. */
  Duration commitInterval() {
    return config.journal().commitInterval();
  }
}
