package io.routewatch.state.country;

import io.routewatch.state.route.AsPath;

/**
 * A country's international upstream on one path (DOMAIN §2): walking left from a domestic origin
 * (prepends collapsed), the first AS registered to another country. ASNs with no delegation
 * (private or reserved ASNs) count as foreign. None when the origin is not domestic, when the walk
 * meets an AS_SET or confederation segment before leaving the country, or when the path stays
 * domestic.
 */
public final class InternationalUpstream {
  private InternationalUpstream() {}

  /**
   * Returns the foreign ASN (unsigned, as long) or -1. {@code country} is the origin's country
   * index; the caller has checked that the path has an origin.
   */
  public static long find(AsPath path, CountryRegistry registry, int country) {
    int[] e = path.encoding();
    int[] starts = new int[e.length];
    int segs = 0;
    for (int o = 0; o < e.length; o += e[o + 1] + 2) {
      starts[segs++] = o;
    }
    for (int s = segs - 1; s >= 0; s--) {
      int o = starts[s];
      if (e[o] != AsPath.AS_SEQUENCE) {
        return -1;
      }
      for (int k = e[o + 1] - 1; k >= 0; k--) {
        int asn = e[o + 2 + k];
        if (registry.countryOfAsn(asn & 0xffffffffL) != country) {
          return asn & 0xffffffffL;
        }
      }
    }
    return -1;
  }
}
