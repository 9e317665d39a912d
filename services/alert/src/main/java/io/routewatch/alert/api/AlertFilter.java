package io.routewatch.alert.api;

import io.routewatch.alert.pipeline.AlertView;
import io.routewatch.alert.rule.AlertType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which alerts a client wants: types (empty = all), origin ASN (0 = any), country ("" = any). Built
 * only through {@link #of}, which says exactly what is wrong with a bad argument.
 */
public record AlertFilter(Set<AlertType> types, long asn, String country) {
  public static AlertFilter of(List<String> types, long asn, String country) {
    Set<AlertType> ts = EnumSet.noneOf(AlertType.class);
    for (String t : types == null ? List.<String>of() : types) {
      if (t == null || t.isBlank()) {
        continue;
      }
      ts.add(
          AlertType.parse(t)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown alert type '"
                              + t
                              + "' (known: NewUpstream, LostUpstream, UpstreamShareShift,"
                              + " SingleHomed, VisibilityLoss, OriginChange, MoreSpecific, RouteLeak, NewNeighbor, FeedStale)")));
    }
    if (asn < 0 || asn > 0xffffffffL) {
      throw new IllegalArgumentException("asn " + asn + " is out of range 0..4294967295");
    }
    String cc = country == null ? "" : country.trim().toUpperCase(Locale.ROOT);
    if (!cc.isEmpty() && !cc.matches("[A-Z]{2}")) {
      throw new IllegalArgumentException(
          "country '" + country + "' is not an ISO 3166 alpha-2 code (e.g. KP)");
    }
    return new AlertFilter(ts, asn, cc);
  }

  public boolean matches(AlertView a) {
    return (types.isEmpty() || types.contains(a.type()))
        && (asn == 0 || a.asn() == asn)
        && (country.isEmpty() || country.equals(a.country()));
  }
}
