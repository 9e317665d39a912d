package io.routewatch.bgp.message;

import java.util.Arrays;
import java.util.List;

/**
 * OPEN (RFC 4271 §4.2). Capabilities from all capability optional parameters (RFC 5492) are
 * flattened; other optional parameters are kept raw. {@code extendedParams} records whether the RFC
 * 9072 extended optional parameters length encoding was used.
 */
public record Open(
    int version,
    int myAs,
    int holdTime,
    int bgpId,
    List<Capability> capabilities,
    List<byte[]> otherParams,
    boolean extendedParams)
    implements BgpMessage {
  public int type() {
    return OPEN;
  }

  /** The AS of the speaker: the 4-octet AS capability if present (RFC 6793 §3), else My AS. */
  public long as() {
    for (Capability c : capabilities)
      if (c.code() == Capability.FOUR_OCTET_AS && c.value().length == 4) return c.asn();
    return myAs;
  }

  public boolean has(int capabilityCode) {
    for (Capability c : capabilities) if (c.code() == capabilityCode) return true;
    return false;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Open x)
        || x.version != version
        || x.myAs != myAs
        || x.holdTime != holdTime
        || x.bgpId != bgpId
        || x.extendedParams != extendedParams
        || !x.capabilities.equals(capabilities)
        || x.otherParams.size() != otherParams.size()) return false;
    for (int i = 0; i < otherParams.size(); i++)
      if (!Arrays.equals(x.otherParams.get(i), otherParams.get(i))) return false;
    return true;
  }

  @Override
  public int hashCode() {
    return capabilities.hashCode() * 31 + myAs;
  }
}
