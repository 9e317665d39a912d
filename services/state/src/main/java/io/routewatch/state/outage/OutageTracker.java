package io.routewatch.state.outage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;

/**
 * Outage state machines driven by event time (archive replay) and {@link #advance} (live time). Per
 * subject: OK → PENDING when visibility drops below {@code threshold}; PENDING → OPEN once it has
 * stayed below for {@code hold}; OPEN → RECOVERING when visibility is back at or above {@code
 * clearThreshold}; RECOVERING → closed once that has held for {@code clear} (RECOVERING → OPEN if
 * it drops again). Only subjects not OK have state, so memory follows the trouble, not the table.
 * Closed outages are kept in a bounded history. Not thread-safe (owned by the engine's writer).
 */
public final class OutageTracker {
  private static final int PENDING = 1;
  private static final int OPEN = 2;
  private static final int RECOVERING = 3;

  private final double threshold;
  private final double clearThreshold;
  private final long holdMicros;
  private final long clearMicros;
  private final int historyLimit;
  private final LongObjectHashMap<State> states = new LongObjectHashMap<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final Deque<Outage> history = new ArrayDeque<>();

  private static final class State {
    final Outage.Scope scope;
    final String subject;
    int phase;
    long belowSince;
    long recoverSince;
    double depth;
    long version; // invalidates stale timers

    State(Outage.Scope scope, String subject) {
      this.scope = scope;
      this.subject = subject;
    }
  }

  private record Timer(long at, long key, long version) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      return Long.compare(at, o.at);
    }
  }

  public OutageTracker(
      double threshold,
      double clearThreshold,
      long holdMicros,
      long clearMicros,
      int historyLimit) {
    this.threshold = threshold;
    this.clearThreshold = clearThreshold;
    this.holdMicros = holdMicros;
    this.clearMicros = clearMicros;
    this.historyLimit = historyLimit;
  }

  /** A 64-bit subject key: scope in the top bits, a 32-bit id below. */
  public static long key(Outage.Scope scope, int id) {
    return ((long) scope.ordinal() << 40) | (id & 0xffffffffL);
  }

  /**
   * Feeds the current visibility of a subject at time {@code ts}. {@code subject} is only evaluated
   * for a subject that has no state yet (it is a label for the outage record).
   */
  public void observe(
      long key, Outage.Scope scope, Supplier<String> subject, double visibility, long ts) {
    State s = states.get(key);
    if (s == null) {
      if (visibility >= threshold) {
        return;
      }
      s = new State(scope, subject.get());
      s.phase = PENDING;
      s.belowSince = ts;
      s.depth = visibility;
      states.put(key, s);
      arm(key, s, ts + holdMicros);
      return;
    }
    s.depth = Math.min(s.depth, visibility);
    switch (s.phase) {
      case PENDING -> {
        if (visibility >= threshold) {
          states.remove(key);
        }
      }
      case OPEN -> {
        if (visibility >= clearThreshold) {
          s.phase = RECOVERING;
          s.recoverSince = ts;
          arm(key, s, ts + clearMicros);
        }
      }
      case RECOVERING -> {
        if (visibility < clearThreshold) {
          s.phase = OPEN;
          s.version++;
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  private void arm(long key, State s, long at) {
    s.version++;
    timers.add(new Timer(at, key, s.version));
  }

  /** Fires the hold/clear timers due at or before {@code now}. */
  public void advance(long now, Consumer<Outage> events) {
    while (!timers.isEmpty() && timers.peek().at <= now) {
      Timer t = timers.poll();
      State s = states.get(t.key);
      if (s == null || s.version != t.version) {
        continue;
      }
      if (s.phase == PENDING) {
        s.phase = OPEN;
        events.accept(new Outage(s.scope, s.subject, s.belowSince, -1, s.depth));
      } else if (s.phase == RECOVERING) {
        states.remove(t.key);
        Outage o = new Outage(s.scope, s.subject, s.belowSince, s.recoverSince, s.depth);
        history.addLast(o);
        if (history.size() > historyLimit) {
          history.removeFirst();
        }
        events.accept(o);
      }
    }
  }

  /** Earliest pending timer, or Long.MAX_VALUE. */
  public long nextDeadline() {
    return timers.isEmpty() ? Long.MAX_VALUE : timers.peek().at;
  }

  /** One subject's outage state machine, for a snapshot. */
  public record Saved(
      long key,
      Outage.Scope scope,
      String subject,
      int phase,
      long belowSince,
      long recoverSince,
      double depth) {}

  /** Copies of every state machine that is not OK (PENDING, OPEN, RECOVERING). */
  public List<Saved> saveStates() {
    List<Saved> out = new ArrayList<>();
    states.forEachKeyValue(
        (k, s) ->
            out.add(
                new Saved(k, s.scope, s.subject, s.phase, s.belowSince, s.recoverSince, s.depth)));
    return out;
  }

  /** Closed outages kept, oldest first. */
  public List<Outage> history() {
    return List.copyOf(history);
  }

  /**
   * Loads saved states into an empty tracker and re-arms their timers where the original armed
   * them: PENDING at {@code belowSince + hold}, RECOVERING at {@code recoverSince + clear}.
   */
  public void restore(List<Saved> saved, List<Outage> closed) {
    if (!states.isEmpty() || !history.isEmpty()) {
      throw new IllegalStateException("outage tracker is not empty");
    }
    for (Saved v : saved) {
      if (v.phase < PENDING || v.phase > RECOVERING) {
        throw new IllegalArgumentException("outage phase " + v.phase);
      }
      State s = new State(v.scope, v.subject);
      s.phase = v.phase;
      s.belowSince = v.belowSince;
      s.recoverSince = v.recoverSince;
      s.depth = v.depth;
      states.put(v.key, s);
      if (s.phase == PENDING) {
        arm(v.key, s, s.belowSince + holdMicros);
      } else if (s.phase == RECOVERING) {
        arm(v.key, s, s.recoverSince + clearMicros);
      }
    }
    history.addAll(closed);
    while (history.size() > historyLimit) {
      history.removeFirst();
    }
  }

  /** Open outages and closed ones that ended at or after {@code sinceMicros}, for one subject. */
  public List<Outage> outages(long key, Outage.Scope scope, String subject, long sinceMicros) {
    List<Outage> out = new ArrayList<>();
    for (Outage o : history) {
      if (o.scope() == scope && o.subject().equals(subject) && o.endMicros() >= sinceMicros) {
        out.add(o);
      }
    }
    State s = states.get(key);
    if (s != null && s.phase != PENDING) {
      out.add(new Outage(s.scope, s.subject, s.belowSince, -1, s.depth));
    }
    return out;
  }

  /** All open outages. */
  public List<Outage> open() {
    List<Outage> out = new ArrayList<>();
    states.forEachValue(
        s -> {
          if (s.phase != PENDING) {
            out.add(new Outage(s.scope, s.subject, s.belowSince, -1, s.depth));
          }
        });
    return out;
  }
}
