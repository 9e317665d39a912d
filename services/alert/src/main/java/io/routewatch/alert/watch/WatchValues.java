package io.routewatch.alert.watch;

import io.routewatch.alert.rule.IpPrefix;
import java.util.Locale;

/** Canonical forms of watch values, with messages that say what is wrong. */
public final class WatchValues {
  private WatchValues() {}

  /** "AS131279", "as131279" or "131279" → 131279 (1..4294967295). */
  public static long asn(String s) {
    String t = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
    if (t.startsWith("AS")) {
      t = t.substring(2);
    }
    try {
      long v = Long.parseLong(t);
      if (v < 1 || v > 0xffffffffL) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not an AS number (AS1..AS4294967295)");
    }
  }

  public static String canonical(WatchEntry.Kind kind, String value) {
    return switch (kind) {
      case ASN -> "AS" + asn(value);
      case PREFIX -> IpPrefix.parse(value).toString();
      case COUNTRY -> {
        String c = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        if (!c.matches("[A-Z]{2}")) {
          throw new IllegalArgumentException(
              "'" + value + "' is not an ISO 3166 alpha-2 country code (e.g. KP)");
        }
        yield c;
      }
    };
  }
}
