package io.routewatch.state.visibility;

import java.util.List;

/**
 * Visibility of one prefix now.
 *
 * @param prefix prefix text
 * @param visibility VPs with a route / full-feed VPs (see {@link VisibilityTable} for the fallback)
 * @param visible visibility above the configured threshold (DOMAIN: > 50 %)
 * @param vpsWithRoute VPs (any) that have a route
 * @param fullFeedVpsWithRoute full-feed VPs that have a route
 * @param denominator full-feed VPs, or active VPs when there is none
 * @param origins origin ASNs (more than one = MOAS)
 * @param moreSpecifics known more-specific prefixes that currently have routes
 */
public record PrefixView(
    String prefix,
    double visibility,
    boolean visible,
    int vpsWithRoute,
    int fullFeedVpsWithRoute,
    int denominator,
    long[] origins,
    List<String> moreSpecifics) {}
