package io.routewatch.bgp.message;

/** ROUTE-REFRESH (RFC 2918 §3; subtype is RFC 7313's "reserved" byte). */
public record RouteRefresh(int afi, int subtype, int safi) implements BgpMessage {
  public int type() {
    return ROUTE_REFRESH;
  }
}
