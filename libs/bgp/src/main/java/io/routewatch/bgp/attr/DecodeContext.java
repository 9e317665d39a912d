package io.routewatch.bgp.attr;

/**
 * What the attribute decoder must know about the session or MRT record: 4-byte ASNs (RFC 6793
 * capability, or an *_AS4 / TABLE_DUMP_V2 record), which AFI/SAFIs carry add-path NLRI (RFC 7911
 * capability, or an *_ADDPATH subtype), and whether MP_REACH_NLRI may be abbreviated (TABLE_DUMP_V2
 * RIB entries, RFC 6396 §4.3.4).
 */
public record DecodeContext(boolean as4, AddPath addPath, boolean mrtRib) {
  /** Which AFI/SAFIs carry path identifiers. */
  @FunctionalInterface
  public interface AddPath {
    boolean receive(int afi, int safi);

    AddPath NONE = (a, s) -> false;
    AddPath ALL = (a, s) -> true;
  }

  public static final DecodeContext AS2 = new DecodeContext(false, AddPath.NONE, false);
  public static final DecodeContext AS4 = new DecodeContext(true, AddPath.NONE, false);
  public static final DecodeContext RIB = new DecodeContext(true, AddPath.NONE, true);
  public static final DecodeContext RIB_ADDPATH = new DecodeContext(true, AddPath.ALL, true);

  public static DecodeContext of(boolean as4, boolean addPath) {
    return new DecodeContext(as4, addPath ? AddPath.ALL : AddPath.NONE, false);
  }
}
