package io.routewatch.servicekit.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {
  /** A subscriber name that would forge a second log line of another level. */
  @Test
  void aNameCannotForgeALogLine() {
    String name = "alert-1\n12:00:00.000 ERROR [state] [Auth] admin logged in\r";
    String safe = LogText.safe(name);
    assertEquals("alert-1\\n12:00:00.000 ERROR [state] [Auth] admin logged in\\r", safe);
    assertFalse(safe.contains("\n") || safe.contains("\r"), safe);
  }

  @Test
  void controlsEscapesAndBidiAreEscaped() {
    assertEquals("a\\u001b[31mred\\u001b[0m", LogText.safe("a\u001b[31mred\u001b[0m"));
    assertEquals("x\\u0085y\\u2028z\\u2029", LogText.safe("x\u0085y\u2028z\u2029"));
    assertEquals("\\u202eevil\\u2066", LogText.safe("\u202eevil\u2066"));
    assertEquals("nul\\u0000del\\u007f\\ttab", LogText.safe("nul\u0000del\u007f\ttab"));
    // a lone surrogate is escaped, a pair is kept
    assertEquals("\\ud800!", LogText.safe("\ud800!"));
    assertEquals("ok \uD83D\uDE00", LogText.safe("ok \uD83D\uDE00"));
  }

  /** Doubling the backslash keeps an escape in the output unambiguous: it came from us. */
  @Test
  void backslashesAreDoubled() {
    assertEquals("a\\\\nb", LogText.safe("a\\nb"));
    assertEquals("C:\\\\x", LogText.safe("C:\\x"));
  }

  @Test
  void lengthIsBoundedAndSaysHowMuchWasCut() {
    String big = "x".repeat(10_000);
    String safe = LogText.safe(big);
    assertEquals("x".repeat(LogText.MAX) + "…(+" + (10_000 - LogText.MAX) + " chars)", safe);
    assertEquals("abc…(+3 chars)", LogText.safe("abcdef", 3));
    // never half a surrogate pair at the cut
    assertEquals("ab…(+3 chars)", LogText.safe("ab\uD83D\uDE00c", 3));
  }

  @Test
  void plainTextAndNullPassUnchanged() {
    assertEquals("routewatch-alert", LogText.safe("routewatch-alert"));
    assertEquals("Ünïcödé AS131279 Star JV", LogText.safe("Ünïcödé AS131279 Star JV"));
    assertEquals("null", LogText.safe(null));
    assertTrue(LogText.safe("").isEmpty());
  }
}
