package io.routewatch.servicekit.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
  @Test
  void oneLinePerIntervalCountingTheQuietOnes() throws InterruptedException {
    LogLimiter l = new LogLimiter(Duration.ofMillis(200));
    assertEquals(0, l.admit(), "the first is logged");
    for (int i = 0; i < 1000; i++) {
      assertEquals(-1, l.admit());
    }
    Thread.sleep(250);
    assertEquals(1000, l.admit(), "the next line says how many were not logged");
    assertEquals(-1, l.admit());
  }
}
