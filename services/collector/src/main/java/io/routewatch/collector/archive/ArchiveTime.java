package io.routewatch.collector.archive;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Times of a range request: ISO 8601 (UTC unless an offset is given) or epoch seconds. */
public final class ArchiveTime {
  private ArchiveTime() {}

  /**
   * Parses {@code 2008-02-24T18:30:00Z}, {@code 2008-02-24T18:30}, {@code 2008-02-24} or seconds.
   */
  public static long parse(String what, String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    String t = s.trim();
    try {
      if (t.chars().allMatch(Character::isDigit)) {
        return Long.parseLong(t);
      }
      if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return java.time.OffsetDateTime.parse(t).toEpochSecond();
      }
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
      }
      return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          what
              + " '"
              + s
              + "' is not a time: use ISO 8601 (2008-02-24T18:30:00Z, UTC when no offset) or"
              + " epoch seconds");
    }
  }

  static String format(long epochSecond) {
    return Instant.ofEpochSecond(epochSecond).toString();
  }
}
