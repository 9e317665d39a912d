package io.routewatch.cli.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimesTest {
  @Test
  void isoAndEpochSecondsMeanTheSameInstant() {
    long want = 1506848871L * 1_000_000L; // 2017-10-01T09:07:51Z, Dyn's first sighting of AS20485
    assertEquals(want, Times.parseMicros("2017-10-01T09:07:51Z"));
    assertEquals(want, Times.parseMicros("1506848871"));
    assertEquals(want, Times.parseMicros("2017-10-01T11:07:51+02:00"));
    assertEquals(1506848820L * 1_000_000L, Times.parseMicros("2017-10-01T09:07Z"));
    assertEquals(1506816000L * 1_000_000L, Times.parseMicros("2017-10-01"));
  }

  @Test
  void badTimesSayWhatIsAccepted() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Times.parseMicros("yesterday"));
    assertEquals(
        "not a time: 'yesterday' (expected ISO-8601 such as 2017-10-01T09:00Z, epoch seconds, or now)",
        e.getMessage());
  }

  @Test
  void humanForms() {
    assertEquals("2017-10-01 09:07:51Z", Times.human(1506848871L * 1_000_000L));
    assertEquals("11m 30s", Times.duration(690_000_000L));
    assertEquals("1h 7m", Times.duration(4_020_000_000L));
  }
}
