package io.routewatch.cli.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Times on the command line: ISO-8601 ({@code 2017-10-01T09:00Z}, {@code 2017-10-01T11:00+02:00},
 * {@code 2017-10-01}), epoch seconds ({@code 1506848871}) or {@code now}. Internally µs since the
 * epoch, as in the API.
 */
public final class Times {
  private static final DateTimeFormatter HUMAN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  /** µs since the epoch; IllegalArgumentException says what is accepted. */
  public static long parseMicros(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("time is empty");
    }
    String t = text.trim();
    if (t.equalsIgnoreCase("now")) {
      return toMicros(Instant.now());
    }
    if (t.matches("\\d{1,11}")) {
      return Long.parseLong(t) * 1_000_000L;
    }
    try {
      return toMicros(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return toMicros(Instant.parse(t));
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return toMicros(LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "not a time: '"
              + text
              + "' (expected ISO-8601 such as 2017-10-01T09:00Z, epoch seconds, or now)");
    }
  }

  static long toMicros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  /** "2017-10-01 09:07:51Z"; "-" for 0 (unknown / open). */
  public static String human(long micros) {
    return micros == 0 ? "-" : HUMAN.format(instant(micros));
  }

  /** "1h 38m", "4m 12s", "850 ms". */
  public static String duration(long micros) {
    long s = micros / 1_000_000L;
    if (s < 1) {
      return (micros / 1000) + " ms";
    }
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    if (s < 86_400) {
      return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }
    return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
  }

  /** picocli converter so options can be typed as µs. */
  public static final class Converter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return parseMicros(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
