package io.routewatch.state.changes;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.proto.v1.Change;
import io.routewatch.servicekit.db.SchemaMigrator;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The change journal: derived changes get a sequence number here and are written to PostgreSQL in
 * batches by a background thread (off the ingest hot path). Subscribers only ever see committed
 * entries, so a subscriber that resumes after a restart of either side finds exactly what it
 * missed: no gap, no duplicate.
 */
@ApplicationScoped
public class ChangeJournal {
  private static final Logger LOG = Logger.getLogger(ChangeJournal.class);

  @Inject MeterRegistry registry;
  @Inject StateConfig config;
  @Inject SchemaMigrator schema;

  private final LinkedBlockingQueue<Change> pending = new LinkedBlockingQueue<>();
  private final AtomicLong assigned = new AtomicLong();
  private final AtomicLong committed = new AtomicLong();
  private final Object commitSignal = new Object();
  private final List<Consumer<List<Change>>> commitListeners = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;
  private Thread writer;
  private Timer journaled;

  /**
   * When the oldest change not yet taken by the journal writer was appended (0: none since it last
   * took a batch): the start of the {@code journaled} stage. Approximate by design (no stamp per
   * change): a change appended while the writer takes its batch may start the next one's clock.
   */
  private volatile long oldestPendingNanos;

  void onStart(@Observes StartupEvent ev) {
    schema.version(); // the tables exist before the first read
    Long max =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    (Long)
                        JournalEntry.getEntityManager()
                            .createQuery("select coalesce(max(seq), 0) from JournalEntry")
                            .getSingleResult());
    assigned.set(max);
    committed.set(max);
    Gauges.gauge(registry, "routewatch_state_journal_last_sequence", committed);
    journaled = Stages.timer(registry, "journaled");
    Gauges.gauge(registry, "routewatch_state_journal_pending", this, ChangeJournal::pending);
    Gauges.gauge(registry, "routewatch_state_journal_pending_limit", config.journal().maxPending());
    writer = new Thread(this::writeLoop, "journal-writer");
    writer.setDaemon(true);
    writer.start();
    LOG.infof("change journal at sequence %d", max);
  }

  /** After the ingest writer stopped (a late priority): its last changes are written too. */
  void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent ev) {
    stopping = true;
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Changes assigned but not committed: those queued and the batch the writer is retrying (it took
   * them off the queue), i.e. all the journal holds in memory.
   */
  public long pending() {
    return assigned.get() - committed.get();
  }

  /** True while the unwritten changes reach {@code routewatch.state.journal.max-pending}. */
  public boolean full() {
    return pending() >= config.journal().maxPending();
  }

  /** Waits (bounded) until the journal is no longer {@link #full()}; true if it is not. */
  public boolean awaitRoom(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    synchronized (commitSignal) {
      while (full()) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        commitSignal.wait(left);
      }
    }
    return true;
  }

  /** Assigns the next sequence number and queues the change for writing. */
  public Change append(Change.Builder change) {
    Change c = change.setSequence(assigned.incrementAndGet()).build();
    if (oldestPendingNanos == 0) {
      oldestPendingNanos = System.nanoTime(); // a racing append only moves the start a little
    }
    pending.add(c);
    return c;
  }

  /**
   * Last assigned sequence (writer thread: every change derived so far has a sequence up to it,
   * committed or still queued).
   */
  public long lastAssigned() {
    return assigned.get();
  }

  /** Waits until every sequence up to {@code seq} is committed; false if it timed out. */
  public boolean awaitCommitted(long seq, long millis) throws InterruptedException {
    awaitBeyond(seq - 1, millis);
    return committed.get() >= seq;
  }

  /** Highest committed sequence. */
  public long lastSequence() {
    return committed.get();
  }

  /** Committed changes with sequence > {@code after}, oldest first, at most {@code limit}. */
  public List<Change> read(long after, int limit) {
    List<JournalEntry> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    JournalEntry.<JournalEntry>find("seq > ?1 order by seq", after)
                        .page(0, limit)
                        .list());
    List<Change> out = new ArrayList<>(rows.size());
    for (JournalEntry r : rows) {
      try {
        out.add(Change.parseFrom(r.payload));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("corrupt journal entry " + r.seq, e);
      }
    }
    return out;
  }

  /**
   * Oldest sequence a reader can still get: the smallest retained, or, when retention (or an
   * operator) emptied the table, the next one to be committed. Reads PostgreSQL.
   */
  public long firstAvailable() {
    long last = committed.get();
    Long min =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    (Long)
                        JournalEntry.getEntityManager()
                            .createQuery("select min(seq) from JournalEntry")
                            .getSingleResult());
    return min == null ? last + 1 : min;
  }

  /**
   * Called on the journal writer thread with each committed batch, oldest first, right after {@link
   * #lastSequence()} moved past it. Listeners must only hand the batch on (never block): the
   * journal's writes wait for them.
   */
  public void onCommit(Consumer<List<Change>> listener) {
    commitListeners.add(listener);
  }

  /** Blocks until a commit passes {@code after} or the timeout elapses. */
  public void awaitBeyond(long after, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    synchronized (commitSignal) {
      while (committed.get() <= after) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return;
        }
        commitSignal.wait(left);
      }
    }
  }

  private void writeLoop() {
    List<Change> batch = new ArrayList<>();
    long lastRetention = 0;
    while (!stopping || !pending.isEmpty()) {
      try {
        Change first = pending.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          long since = oldestPendingNanos;
          oldestPendingNanos = 0;
          batch.add(first);
          pending.drainTo(batch, 999);
          writeWithRetry(batch);
          if (since != 0 && journaled != null) {
            journaled.record(System.nanoTime() - since, TimeUnit.NANOSECONDS);
          }
          batch.clear();
        }
        if (System.currentTimeMillis() - lastRetention > 3_600_000L) {
          lastRetention = System.currentTimeMillis();
          enforceRetention();
        }
      } catch (InterruptedException e) {
        if (stopping) {
          pending.drainTo(batch);
          if (!batch.isEmpty()) {
            try {
              write(batch);
            } catch (RuntimeException ex) {
              LOG.errorf("could not flush %d journal entries at shutdown: %s", batch.size(), ex);
            }
          }
          return;
        }
      }
    }
  }

  /** The database may be briefly down: keep the batch and retry, never drop a change. */
  private void writeWithRetry(List<Change> batch) throws InterruptedException {
    long backoff = 100;
    while (true) {
      try {
        write(batch);
        return;
      } catch (RuntimeException e) {
        LOG.warnf(
            "journal write of %d entries failed, retrying in %d ms: %s",
            batch.size(), backoff, e.getMessage());
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private void write(List<Change> batch) {
    OffsetDateTime now = OffsetDateTime.now();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (Change c : batch) {
                JournalEntry e = new JournalEntry();
                e.seq = c.getSequence();
                e.timeMicros = c.getTimeMicros();
                e.kind = c.getKind().name();
                e.asn = c.getAsn() == 0 ? null : Integer.toUnsignedLong(c.getAsn());
                e.country = c.getCountry().isEmpty() ? null : c.getCountry();
                e.payload = c.toByteArray();
                e.recordedAt = now;
                e.persist();
              }
            });
    committed.set(batch.get(batch.size() - 1).getSequence());
    synchronized (commitSignal) {
      commitSignal.notifyAll();
    }
    if (!commitListeners.isEmpty()) {
      List<Change> done = List.copyOf(batch);
      for (Consumer<List<Change>> l : commitListeners) {
        try {
          l.accept(done);
        } catch (RuntimeException e) {
          LOG.warnf("journal commit listener failed: %s", e);
        }
      }
    }
  }

  private void enforceRetention() {
    try {
      OffsetDateTime cutoff = OffsetDateTime.now().minus(config.journal().retention());
      long n =
          QuarkusTransaction.requiringNew()
              .call(() -> JournalEntry.delete("recordedAt < ?1", cutoff));
      if (n > 0) {
        LOG.infof("journal retention removed %d entries older than %s", n, cutoff);
      }
    } catch (RuntimeException e) {
      LOG.warnf("journal retention failed: %s", e.getMessage());
    }
  }
}
