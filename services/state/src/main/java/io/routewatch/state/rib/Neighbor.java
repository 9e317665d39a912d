package io.routewatch.state.rib;

/**
 * A neighbour of a watched AS as a change reports it: the AS adjacent to the watched AS on some
 * VP's best path, and on which side.
 *
 * @param asn the watched AS
 * @param neighbor the adjacent AS
 * @param side {@link #UPSTREAM} (left of the watched AS, toward the VP) or {@link #DOWNSTREAM}
 *     (right of it, toward the origin); the values are the proto's {@code NeighborSide} numbers
 * @param sinceMicros when a VP's best path first carried the edge
 */
public record Neighbor(long asn, long neighbor, int side, long sinceMicros) {
  public static final int UPSTREAM = 1;
  public static final int DOWNSTREAM = 2;

  @Override
  public String toString() {
    return (side == UPSTREAM ? "upstream" : "downstream")
        + " neighbour AS"
        + neighbor
        + " of AS"
        + asn;
  }
}
