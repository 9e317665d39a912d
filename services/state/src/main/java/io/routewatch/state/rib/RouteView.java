package io.routewatch.state.rib;

import io.routewatch.state.route.AsPath;

/**
 * One route of one VP to a prefix.
 *
 * @param best the path the views count for this (VP, prefix): the lowest path-id
 */
public record RouteView(
    int vpId,
    VantagePointKey vantagePoint,
    long pathId,
    AsPath asPath,
    RouteAttributes attributes,
    boolean best) {}
