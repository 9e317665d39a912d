package io.routewatch.bgp.attr;

import io.routewatch.bgp.error.Rfc7606Action;
import java.util.List;

/**
 * The path attributes of one UPDATE or RIB entry, in wire order, with the RFC 7606 decision the
 * decoder reached (never an exception that loses the rest of the message). Attributes that were
 * discarded as malformed are kept as {@link Simple.Unknown} so that nothing is lost for
 * re-encoding.
 */
public final class PathAttributes {
  public static final PathAttributes EMPTY =
      new PathAttributes(List.of(), Rfc7606Action.NONE, List.of(), false);

  private final List<PathAttribute> list;
  private final Rfc7606Action action;
  private final List<String> errors;
  private final boolean as4;

  public PathAttributes(
      List<PathAttribute> list, Rfc7606Action action, List<String> errors, boolean as4) {
    this.list = List.copyOf(list);
    this.action = action;
    this.errors = List.copyOf(errors);
    this.as4 = as4;
  }

  public List<PathAttribute> all() {
    return list;
  }

  /** The most severe RFC 7606 action over all attributes. */
  public Rfc7606Action action() {
    return action;
  }

  /** One line per problem, each citing the RFC section applied. */
  public List<String> errors() {
    return errors;
  }

  public boolean as4() {
    return as4;
  }

  /** The first attribute of a type code, or null. */
  public PathAttribute get(int type) {
    for (PathAttribute a : list) if (a.type() == type) return a;
    return null;
  }

  @SuppressWarnings("unchecked")
  public <T extends PathAttribute> T get(int type, Class<T> cls) {
    PathAttribute a = get(type);
    return cls.isInstance(a) ? (T) a : null;
  }

  public Simple.Origin origin() {
    return get(Simple.Origin.TYPE, Simple.Origin.class);
  }

  public Simple.NextHop nextHop() {
    return get(Simple.NextHop.TYPE, Simple.NextHop.class);
  }

  public Simple.Communities communities() {
    return get(Simple.Communities.TYPE, Simple.Communities.class);
  }

  public Simple.LargeCommunities largeCommunities() {
    return get(Simple.LargeCommunities.TYPE, Simple.LargeCommunities.class);
  }

  public MpReachNlri mpReach() {
    return get(MpReachNlri.TYPE, MpReachNlri.class);
  }

  public MpUnreachNlri mpUnreach() {
    return get(MpUnreachNlri.TYPE, MpUnreachNlri.class);
  }

  /**
   * The AS path a 4-byte-AS speaker would use: AS_PATH itself on 4-byte sessions, else AS_PATH
   * merged with AS4_PATH per RFC 6793 §4.2.3 (ignored when AGGREGATOR is present and not AS_TRANS).
   */
  public AsPath asPath() {
    AsPath p = get(AsPath.TYPE, AsPath.class);
    if (as4 || p == null) return p;
    AsPath p4 = get(AsPath.AS4_TYPE, AsPath.class);
    if (p4 == null) return p;
    Simple.Aggregator agg = get(Simple.Aggregator.TYPE, Simple.Aggregator.class);
    if (agg != null && agg.as() != 23456 && get(Simple.Aggregator.AS4_TYPE) != null) return p;
    return p.mergeAs4(p4);
  }

  /** AGGREGATOR with AS4_AGGREGATOR applied per RFC 6793 §4.2.3. */
  public Simple.Aggregator aggregator() {
    Simple.Aggregator agg = get(Simple.Aggregator.TYPE, Simple.Aggregator.class);
    if (as4 || agg == null || agg.as() != 23456) return agg;
    Simple.Aggregator a4 = get(Simple.Aggregator.AS4_TYPE, Simple.Aggregator.class);
    return a4 == null
        ? agg
        : new Simple.Aggregator(Simple.Aggregator.TYPE, a4.as(), a4.address(), agg.flags());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathAttributes p && p.list.equals(list) && p.action == action;
  }

  @Override
  public int hashCode() {
    return list.hashCode();
  }

  @Override
  public String toString() {
    return list + (action == Rfc7606Action.NONE ? "" : " " + action + " " + errors);
  }
}
