package io.routewatch.state.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutageTrackerTest {
  private final List<Outage> events = new ArrayList<>();
  private final OutageTracker t = new OutageTracker(0.5, 0.8, 100, 50, 10);
  private final long k = OutageTracker.key(Outage.Scope.PREFIX, 7);

  private void see(double v, long ts) {
    t.observe(k, Outage.Scope.PREFIX, () -> "192.0.2.0/24", v, ts);
    t.advance(ts, events::add);
  }

  @Test
  void shortDipIsNoOutage() {
    see(0.2, 1000);
    see(0.9, 1099);
    t.advance(5000, events::add);
    assertEquals(List.of(), events);
  }

  @Test
  void opensAfterHoldAndClosesAfterClearTime() {
    see(0.4, 1000);
    see(0.1, 1050);
    see(0.3, 1100); // hold elapsed: opened
    assertEquals(List.of(new Outage(Outage.Scope.PREFIX, "192.0.2.0/24", 1000, -1, 0.1)), events);
    see(0.6, 1200); // above threshold but below clear threshold 0.8: still open
    see(0.85, 1300); // recovering
    see(0.7, 1320); // relapse
    see(0.9, 1400);
    see(0.9, 1449);
    assertEquals(1, events.size());
    t.advance(1450, events::add);
    assertEquals(new Outage(Outage.Scope.PREFIX, "192.0.2.0/24", 1000, 1400, 0.1), events.get(1));
    assertEquals(400, events.get(1).durationMicros(0));
    assertEquals(List.of(events.get(1)), t.outages(k, Outage.Scope.PREFIX, "192.0.2.0/24", 0));
    assertEquals(List.of(), t.open());
  }
}
