package io.routewatch.bgp.nlri;

/**
 * One NLRI entry: a prefix and its RFC 7911 path identifier ({@link #NO_PATH_ID} when the session
 * or MRT subtype has no add-path).
 */
public record Nlri(long pathId, Prefix prefix) {
  public static final long NO_PATH_ID = -1;

  public boolean hasPathId() {
    return pathId != NO_PATH_ID;
  }

  @Override
  public String toString() {
    return hasPathId() ? prefix + " id " + pathId : prefix.toString();
  }
}
