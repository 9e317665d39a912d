package io.routewatch.state.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Applies one batch to the routing state (writer thread only) and counts events by kind. */
@ApplicationScoped
public class BatchApplier {
  @Inject MeterRegistry registry;

  private final Map<EventKind, AtomicLong> byKind = new EnumMap<>(EventKind.class);
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private Counter applied;

  void onStart(@Observes StartupEvent ev) {
    applied = registry.counter("routewatch_state_events_applied_total");
    for (EventKind k : EventKind.values()) {
      if (k != EventKind.UNRECOGNIZED) {
        byKind.put(k, new AtomicLong());
      }
    }
  }

  int apply(RouteEventBatch b) {
    for (RouteEvent e : b.getEventsList()) {
      AtomicLong c = byKind.get(e.getKind());
      if (c != null) {
        c.incrementAndGet();
      }
    }
    int n = b.getEventsCount();
    events.addAndGet(n);
    batches.incrementAndGet();
    applied.increment(n);
    return n;
  }

  /** Called by the writer when no batch arrived for a while (time-driven derivations). */
  void idle() {}

  public long count(EventKind kind) {
    AtomicLong c = byKind.get(kind);
    return c == null ? 0 : c.get();
  }

  public long events() {
    return events.get();
  }

  public long batches() {
    return batches.get();
  }
}
