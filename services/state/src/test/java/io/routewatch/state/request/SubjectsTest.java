package io.routewatch.state.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a client may pass: AS0 and times that are not µs are refused with a reason. */
class SubjectsTest {
  @Test
  void asZeroIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Subjects.origin(0));
    assertTrue(e.getMessage().contains("RFC 7607"), e.getMessage());
    assertEquals(131279L, Subjects.origin(131279));
    assertEquals(4294967295L, Subjects.origin(-1)); // uint32 on the wire
  }

  @Test
  void secondsMillisAndNanosAreNotMicros() {
    long secs = 1506816000L; // 2017-10-01 in seconds
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Subjects.micros("at_micros", secs));
    assertTrue(e.getMessage().contains("at_micros=1506816000"), e.getMessage());
    assertTrue(e.getMessage().contains("seconds"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Subjects.micros("t", secs * 1000));
    assertThrows(IllegalArgumentException.class, () -> Subjects.micros("t", secs * 1_000_000_000L));
    assertThrows(IllegalArgumentException.class, () -> Subjects.micros("t", -1));
    assertEquals(0, Subjects.micros("t", 0)); // unset
    assertEquals(secs * 1_000_000L, Subjects.micros("t", secs * 1_000_000L));
    // the oldest MRT archives (1997) and a long future are µs
    assertEquals(852076800_000_000L, Subjects.micros("t", 852076800_000_000L));
  }
}
