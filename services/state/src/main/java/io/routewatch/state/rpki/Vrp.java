package io.routewatch.state.rpki;

import io.routewatch.state.route.Prefix;

/**
 * One Validated ROA Payload (RFC 6811 §2): a prefix, the longest length it authorises and the AS
 * allowed to originate it. {@code asn} is unsigned 32-bit (0..4294967295); AS0 (RFC 6483 §4, RFC
 * 7607) authorises nobody.
 */
public record Vrp(Prefix prefix, int maxLength, long asn) {
  public Vrp {
    int familyMax = prefix.isIpv4() ? 32 : 128;
    if (maxLength < prefix.length() || maxLength > familyMax) {
      throw new IllegalArgumentException(
          "maxLength "
              + maxLength
              + " outside "
              + prefix.length()
              + ".."
              + familyMax
              + " for "
              + prefix);
    }
    if (asn < 0 || asn > 0xffff_ffffL) {
      throw new IllegalArgumentException("ASN " + asn + " outside 0..4294967295");
    }
  }

  @Override
  public String toString() {
    return prefix + "-" + maxLength + " AS" + asn;
  }
}
