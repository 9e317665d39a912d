package io.routewatch.bgp.message;

import io.routewatch.bgp.attr.MpReachNlri;
import io.routewatch.bgp.attr.MpUnreachNlri;
import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.nlri.Nlri;
import java.util.ArrayList;
import java.util.List;

/**
 * UPDATE (RFC 4271 §4.3). {@link #action()} is the RFC 7606 decision for the whole message: when it
 * is {@link Rfc7606Action#TREAT_AS_WITHDRAW}, consumers must treat {@link #announced()} as
 * withdrawn (RFC 7606 §2).
 */
public record Update(
    List<Nlri> withdrawn,
    PathAttributes attributes,
    List<Nlri> nlri,
    Rfc7606Action action,
    List<String> errors)
    implements BgpMessage {
  public int type() {
    return UPDATE;
  }

  /** Plain IPv4 withdrawals plus MP_UNREACH_NLRI ones. */
  public List<Nlri> allWithdrawn() {
    MpUnreachNlri mp = attributes.mpUnreach();
    if (mp == null || mp.withdrawn().isEmpty()) return withdrawn;
    List<Nlri> all = new ArrayList<>(withdrawn);
    all.addAll(mp.withdrawn());
    return all;
  }

  /** Plain IPv4 NLRI plus MP_REACH_NLRI ones. */
  public List<Nlri> announced() {
    MpReachNlri mp = attributes.mpReach();
    if (mp == null || mp.nlri().isEmpty()) return nlri;
    List<Nlri> all = new ArrayList<>(nlri);
    all.addAll(mp.nlri());
    return all;
  }

  /**
   * RFC 4724 §2: End-of-RIB is an UPDATE with nothing in it (IPv4 unicast), or one whose only
   * attribute is an empty MP_UNREACH_NLRI (other AFI/SAFIs).
   */
  public boolean isEndOfRib() {
    if (!withdrawn.isEmpty() || !nlri.isEmpty()) return false;
    if (attributes.all().isEmpty()) return true;
    MpUnreachNlri mp = attributes.mpUnreach();
    return attributes.all().size() == 1 && mp != null && mp.isEndOfRib();
  }

  /** For an End-of-RIB: {afi, safi}. */
  public int[] endOfRibAfiSafi() {
    MpUnreachNlri mp = attributes.mpUnreach();
    return mp == null ? new int[] {1, 1} : new int[] {mp.afi(), mp.safi()};
  }
}
