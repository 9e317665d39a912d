package io.routewatch.bgp.error;

/**
 * What a receiver does about a malformed element (RFC 7606 §2 and §3), ordered from the least to
 * the most severe so that the decision for a whole UPDATE is the maximum over its attributes.
 */
public enum Rfc7606Action {
  /** Nothing wrong, or nothing to do. */
  NONE,
  /** RFC 7606 §2 "attribute discard": drop the attribute, keep the route. */
  ATTRIBUTE_DISCARD,
  /** RFC 7606 §2 "treat-as-withdraw": the NLRI in the UPDATE are withdrawn. */
  TREAT_AS_WITHDRAW,
  /** RFC 7606 §2 "AFI/SAFI disable" (RFC 4760 §7): stop using the address family. */
  AFI_SAFI_DISABLE,
  /** RFC 4271 §6 / RFC 7606 §2 "session reset": the message cannot be parsed at all. */
  SESSION_RESET;

  /** The more severe of two actions. */
  public Rfc7606Action max(Rfc7606Action other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
