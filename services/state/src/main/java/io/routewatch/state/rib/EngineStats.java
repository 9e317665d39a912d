package io.routewatch.state.rib;

/**
 * Counters of the engine.
 *
 * @param routes routes held (VP, prefix, path-id)
 * @param vantagePoints VPs known
 * @param vantagePointsUp VPs with at least one route
 * @param fullFeedVantagePoints VPs counted as full-feed
 * @param loadingVantagePoints VPs loading or down within their settle time
 * @param prefixes distinct prefixes ever seen
 * @param asPaths distinct AS paths held
 * @param attributeSets distinct attribute sets held
 * @param upstreamPairs (origin, upstream) pairs ever seen
 * @param asGraphEdges edges of the observed AS graph
 * @param updates announce/withdraw calls applied
 * @param changeEvents change events emitted
 * @param clockMicros engine time (latest event or tick)
 * @param warm change reporting is active
 */
public record EngineStats(
    long routes,
    int vantagePoints,
    int vantagePointsUp,
    int fullFeedVantagePoints,
    int loadingVantagePoints,
    int prefixes,
    int asPaths,
    int attributeSets,
    int upstreamPairs,
    int asGraphEdges,
    long updates,
    long changeEvents,
    long clockMicros,
    boolean warm) {}
