package io.routewatch.bgp.message;

/** A BGP message (RFC 4271 §4): OPEN 1, UPDATE 2, NOTIFICATION 3, KEEPALIVE 4, ROUTE-REFRESH 5. */
public sealed interface BgpMessage permits Open, Update, Notification, Keepalive, RouteRefresh {
  int OPEN = 1, UPDATE = 2, NOTIFICATION = 3, KEEPALIVE = 4, ROUTE_REFRESH = 5;

  int type();
}
