package io.routewatch.bgp.nlri;

/** Subsequent address family identifiers this codec decodes (RFC 4760 §6). Others stay raw. */
public final class Safi {
  public static final int UNICAST = 1;
  public static final int MULTICAST = 2;

  private Safi() {}

  public static boolean supported(int safi) {
    return safi == UNICAST || safi == MULTICAST;
  }
}
