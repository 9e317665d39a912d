package io.routewatch.state.rpki;

/** RFC 6811 §2 route origin validation states, with "Invalid" split by cause. */
public enum RovState {
  /** A VRP covers the route, its ASN is the route's origin and its maxLength allows the length. */
  VALID,
  /** Covered by at least one VRP, but no covering VRP carries the route's origin AS. */
  INVALID_ASN,
  /**
   * A covering VRP carries the origin, but every such VRP's maxLength is shorter than the route.
   */
  INVALID_LENGTH,
  /** No VRP covers the route. */
  NOT_FOUND;

  public boolean invalid() {
    return this == INVALID_ASN || this == INVALID_LENGTH;
  }
}
