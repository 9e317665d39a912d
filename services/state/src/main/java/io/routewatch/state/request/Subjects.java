package io.routewatch.state.request;

import io.routewatch.state.route.Prefix;
import java.util.Locale;

/** Parsing and checking what users ask about; every error says what was wrong. */
public final class Subjects {
  private Subjects() {}

  /** "131279", "AS131279", "as131279" → 131279; rejects anything else. */
  public static long asn(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("ASN is required");
    }
    String t = text.trim();
    if (t.regionMatches(true, 0, "AS", 0, 2)) {
      t = t.substring(2);
    }
    try {
      long v = Long.parseLong(t);
      if (v < 0 || v > 0xffffffffL) {
        throw new IllegalArgumentException("ASN out of range 0..4294967295: " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an ASN: '" + text + "' (expected e.g. AS131279)");
    }
  }

  /**
   * An origin asked about: AS0 is refused (RFC 7607: it never originates a route, and a client that
   * left the field unset means something else).
   */
  public static long origin(int asn) {
    if (asn == 0) {
      throw new IllegalArgumentException(
          "asn must be 1..4294967295 (AS0 never originates a route, RFC 7607; unset field?)");
    }
    return Integer.toUnsignedLong(asn);
  }

  /**
   * 1990-01-01T00:00:00Z in µs: routing data in µs since the epoch is never older (BGP-4: 1994).
   */
  static final long MIN_MICROS = 631_152_000_000_000L;

  /** 2200-01-01T00:00:00Z in µs: anything larger is nanoseconds or garbage. */
  static final long MAX_MICROS = 7_258_118_400_000_000L;

  /**
   * A time argument in µs since the epoch, 0 meaning "not set": a value outside 1990..2200 is
   * refused with a hint, so seconds or milliseconds passed by mistake are not answered silently.
   */
  public static long micros(String field, long value) {
    if (value != 0 && (value < MIN_MICROS || value >= MAX_MICROS)) {
      throw new IllegalArgumentException(
          field
              + "="
              + value
              + " is not µs since the epoch between 1990 and 2200"
              + (value > 0 && value < MIN_MICROS / 1000
                  ? " (seconds or milliseconds? × 1,000,000 or × 1,000)"
                  : ""));
    }
    return value;
  }

  public static boolean looksLikeAsn(String text) {
    return text != null && text.trim().matches("(?i)(as)?\\d+");
  }

  /** ISO 3166 alpha-2, upper-cased; must be known to the registry (checked by the caller). */
  /** A country code the RIR delegation files know, or IllegalArgumentException saying why not. */
  public static String knownCountry(
      io.routewatch.state.country.CountryRegistry countries, String text) {
    String cc = country(text);
    if (countries.index(cc) < 0) {
      throw new IllegalArgumentException(
          "unknown country '" + cc + "': not in the RIR delegation files");
    }
    return cc;
  }

  public static String country(String text) {
    if (text == null || !text.trim().matches("[A-Za-z]{2}")) {
      throw new IllegalArgumentException(
          "not a country code: '" + text + "' (expected ISO 3166 alpha-2, e.g. KP)");
    }
    return text.trim().toUpperCase(Locale.ROOT);
  }

  public static Prefix prefix(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("prefix is required");
    }
    try {
      return Prefix.parse(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a prefix: '" + text + "' (" + e.getMessage() + ")");
    }
  }
}
