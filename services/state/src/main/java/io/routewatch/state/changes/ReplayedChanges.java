package io.routewatch.state.changes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.ChangeOrBuilder;
import io.routewatch.servicekit.db.SchemaMigrator;
import io.routewatch.state.snapshot.IngestImage;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.jboss.logging.Logger;

/**
 * Keeps a restart after a crash from telling subscribers what they were told already.
 *
 * <p>A snapshot records the journal's sequence at capture. After a {@code kill -9} the newest
 * snapshot is restored and the collectors re-send the batches that came after its positions; the
 * engine, replaying them deterministically, derives again the changes it had journaled between the
 * snapshot and the crash, in the same order. {@link #arm} loads the identity of every journal entry
 * after the snapshot's sequence; {@link #suppress} then drops a derived change while it matches the
 * next of them in order. The first change that does not match (a wall-clock tick that fell
 * elsewhere than before, a batch the crash cut short, anything new) and the end of the journal
 * entries end the suppression for good: from then on every change is journaled, so a change is
 * never dropped unless the same one (kind, origin, country, prefix, upstream, event time) was
 * journaled at that place in the order. Evidence fields (peer ASNs, VP count, shares, detail) are
 * not compared: after a restore they are recomputed from the restored tables and may differ in form
 * from what the uninterrupted run carried.
 *
 * <p>Writer thread only (the engine's change listener and the pipeline's restore).
 */
@ApplicationScoped
public class ReplayedChanges {
  private static final Logger LOG = Logger.getLogger(ReplayedChanges.class);
  private static final int PAGE = 5_000;

  @Inject ChangeJournal journal;
  @Inject SchemaMigrator schema;
  @Inject MeterRegistry registry;

  private Counter suppressed;
  // writer-thread state
  private LongArrayList expected = new LongArrayList();
  private int next;
  private long armedAfter;

  @PostConstruct
  void init() {
    suppressed = registry.counter("routewatch_state_changes_replay_suppressed_total");
  }

  /**
   * Writer thread, after a snapshot is restored and before the first batch: the journal entries
   * after {@code sequence} are what the re-sent batches will derive again.
   */
  public void arm(long sequence) {
    expected = new LongArrayList();
    next = 0;
    armedAfter = sequence;
    if (sequence == IngestImage.UNKNOWN_SEQUENCE) {
      LOG.info(
          "snapshot without a journal sequence (format 2): re-derived changes are journaled again");
      return;
    }
    schema.version();
    long after = sequence;
    while (true) {
      List<Change> page = journal.read(after, PAGE);
      for (Change c : page) {
        if (c.getKind() != ChangeKind.FEED_STALE && c.getKind() != ChangeKind.FEED_RESUMED) {
          expected.add(identity(c)); // feed changes follow the wall clock: never re-derived
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).getSequence();
    }
    if (!expected.isEmpty()) {
      LOG.infof(
          "journal holds %d changes after the snapshot's sequence %d: re-derived ones are not journaled again",
          expected.size(), sequence);
    }
  }

  /** Writer thread: true if {@code c} is the next change journaled before the restart (drop it). */
  public boolean suppress(ChangeOrBuilder c) {
    if (next >= expected.size()) {
      return false;
    }
    if (identity(c) == expected.get(next)) {
      next++;
      suppressed.increment();
      if (next == expected.size()) {
        finish("all " + next + " journaled after sequence " + armedAfter + " re-derived");
      }
      return true;
    }
    finish(
        "a change differs from journal entry "
            + (armedAfter + next + 1)
            + " after "
            + next
            + " matched");
    return false;
  }

  /** Still matching re-derived changes against the journal. */
  public boolean active() {
    return next < expected.size();
  }

  private void finish(String why) {
    LOG.infof(
        "replay after restore: %s; %d re-derived changes suppressed, journaling resumes",
        why, next);
    next = 0;
    expected = new LongArrayList();
  }

  /** What identifies a change across a replay: kind, subject, upstream and event time. */
  static long identity(ChangeOrBuilder c) {
    long h = 0x9E3779B97F4A7C15L;
    h = mix(h, c.getKindValue());
    h = mix(h, c.getAsn() & 0xffffffffL);
    h = mix(h, c.getCountry().hashCode());
    if (c.hasPrefix()) {
      h = mix(h, c.getPrefix().getAfiValue());
      h = mix(h, c.getPrefix().getLength());
      h = mix(h, c.getPrefix().getAddress().hashCode());
    } else {
      h = mix(h, -1);
    }
    h = mix(h, c.getUpstream() & 0xffffffffL);
    h = mix(h, c.getTimeMicros());
    return h;
  }

  private static long mix(long h, long v) {
    long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
    x ^= x >>> 31;
    x *= 0x94D049BB133111EBL;
    return x ^ (x >>> 29);
  }
}
