package io.routewatch.alert.rule;

/**
 * What an alert is about: a watched origin AS, a watched prefix, a watched country, or a feed.
 *
 * @param kind ASN, PREFIX, COUNTRY or FEED
 * @param value canonical text: {@code AS131279}, {@code 175.45.176.0/22}, {@code KP}, feed name
 * @param asn origin AS (0 when not about one AS)
 * @param country ISO code of the network's country ("" when unknown)
 * @param description operator's free text from the watch entry ("" when none)
 */
public record Target(Kind kind, String value, long asn, String country, String description) {
  public enum Kind {
    ASN,
    PREFIX,
    COUNTRY,
    FEED
  }

  public static Target asn(long asn, String country) {
    return new Target(Kind.ASN, Fmt.as(asn), asn, country == null ? "" : country, "");
  }

  public static Target country(String cc) {
    return new Target(Kind.COUNTRY, cc, 0, cc, "");
  }

  public Target withDescription(String d) {
    return new Target(kind, value, asn, country, d == null ? "" : d);
  }

  /** How messages name the network: {@code AS131279 (KP)}, {@code KP}, {@code 175.45.176.0/22}. */
  public String display() {
    return switch (kind) {
      case ASN -> country.isEmpty() ? value : value + " (" + country + ")";
      default -> value;
    };
  }
}
