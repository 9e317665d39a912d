package io.routewatch.collector.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** At most one line per source per minute; the refusals in between are reported with the next. */
class RefusalLogTest {
  static final long SECOND = 1_000_000_000L;

  @Test
  void oneLinePerSourcePerMinute() throws Exception {
    List<String> lines = new ArrayList<>();
    long[] now = {0};
    RefusalLog log = new RefusalLog(lines::add, 60 * SECOND, () -> now[0]);
    InetAddress a = InetAddress.getByName("192.0.2.1");
    InetAddress b = InetAddress.getByName("2001:db8::1");

    assertTrue(log.refused(a, "from a"));
    for (int s = 1; s < 60; s++) { // a retry every second for a minute
      now[0] = s * SECOND;
      assertFalse(log.refused(a, "from a"));
    }
    now[0] = 30 * SECOND;
    assertTrue(log.refused(b, "from b"), "another source has its own minute");
    now[0] = 60 * SECOND;
    assertTrue(log.refused(a, "from a"));
    assertEquals(
        List.of(
            "from a (logged at most once a minute per source)",
            "from b (logged at most once a minute per source)",
            "from a (59 more since the last line)"),
        lines);
  }

  @Test
  void manySourcesAreBounded() throws Exception {
    List<String> lines = new ArrayList<>();
    RefusalLog log = new RefusalLog(lines::add, 60 * SECOND, () -> 0);
    for (int i = 0; i < RefusalLog.MAX_SOURCES + 10; i++) {
      log.refused(
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}),
          "x");
    }
    assertEquals(RefusalLog.MAX_SOURCES + 10, lines.size());
    // the oldest was forgotten (logged again), the newest is remembered
    assertTrue(log.refused(InetAddress.getByAddress(new byte[] {10, 0, 0, 0}), "x"));
    int last = RefusalLog.MAX_SOURCES + 9;
    assertFalse(
        log.refused(
            InetAddress.getByAddress(
                new byte[] {10, (byte) (last >> 16), (byte) (last >> 8), (byte) last}),
            "x"));
  }
}
