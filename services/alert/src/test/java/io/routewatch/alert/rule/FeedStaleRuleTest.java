package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.feed;
import static io.routewatch.alert.support.Changes.micros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ChangeKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedStaleRuleTest {
  static final long T = micros("2024-02-01T03:00:00Z");
  final FeedStaleRule rule = new FeedStaleRule();
  final FakeContext ctx =
      new FakeContext(
          new Target(Target.Kind.FEED, "rislive:rrc00", 0, "", ""), AlertType.FEED_STALE);

  @Test
  void staleFiresResumedResolves() {
    Signal f = rule.evaluate(feed(ChangeKind.FEED_STALE, T, "rislive:rrc00", 12), ctx).get(0);
    assertTrue(f.fire());
    assertEquals(Map.of("alertname", "FeedStale", "feed", "rislive:rrc00"), f.labels());
    assertEquals(
        "Feed rislive:rrc00 is stale: no routing data since 2024-02-01 03:00:00 UTC", f.summary());
    assertEquals(
        "routewatch has received nothing from rislive:rrc00 since 2024-02-01 03:00:00 UTC (12 VPs affected):"
            + " alerts that depend on it cannot fire until it resumes.",
        f.description());
    assertFalse(
        rule.evaluate(feed(ChangeKind.FEED_RESUMED, T + 5_000_000, "rislive:rrc00", 12), ctx)
            .get(0)
            .fire());
    Annotations a = rule.resolved(FakeContext.asActive(f, T + 120_000_000), T + 3_600_000_000L);
    assertEquals("Resolved: feed rislive:rrc00 resumed", a.summary());
    assertEquals(
        "Feed rislive:rrc00 was silent from 2024-02-01 03:00:00 UTC to 2024-02-01 04:00:00 UTC (1h00m00s).",
        a.description());
  }
}
