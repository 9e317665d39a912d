package io.routewatch.cli;

import io.routewatch.proto.v1.Subject;
import java.util.Locale;

/** What a user can name on the command line: AS131279 / 131279, KP, 175.45.176.0/24. */
final class Targets {
  private Targets() {}

  static boolean isAsn(String text) {
    return text != null && text.trim().matches("(?i)(as)?\\d{1,10}");
  }

  static boolean isCountry(String text) {
    return text != null && text.trim().matches("[A-Za-z]{2}");
  }

  static boolean isPrefix(String text) {
    return text != null && text.contains("/");
  }

  /** "AS131279" → 131279 (unsigned 32-bit). */
  static long asn(String text) {
    if (!isAsn(text)) {
      throw new IllegalArgumentException("not an ASN: '" + text + "' (expected e.g. AS131279)");
    }
    String t = text.trim();
    if (t.regionMatches(true, 0, "AS", 0, 2)) {
      t = t.substring(2);
    }
    long v = Long.parseLong(t);
    if (v > 0xffffffffL) {
      throw new IllegalArgumentException("ASN out of range 0..4294967295: " + text);
    }
    return v;
  }

  /** ASN, country or prefix, whichever the text looks like. */
  static Subject subject(String text) {
    Subject.Builder b = Subject.newBuilder();
    if (isPrefix(text)) {
      return b.setPrefix(text.trim()).build();
    }
    if (isAsn(text)) {
      return b.setAsn((int) asn(text)).build();
    }
    if (isCountry(text)) {
      return b.setCountry(text.trim().toUpperCase(Locale.ROOT)).build();
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is neither an ASN (AS131279), a country (KP) nor a prefix (175.45.176.0/24)");
  }

  static String describe(Subject s) {
    return switch (s.getTargetCase()) {
      case ASN -> "AS" + Integer.toUnsignedString(s.getAsn());
      case COUNTRY -> s.getCountry();
      case PREFIX -> s.getPrefix();
      default -> "?";
    };
  }
}
