package io.routewatch.alert.watch;

import io.routewatch.alert.rule.IpPrefix;
import io.routewatch.alert.rule.Target;
import io.routewatch.proto.v1.Change;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which watch entry (if any) a change is about. The change's scope picks the entry kind:
 * upstream changes of an origin → its ASN entry, of a country → the COUNTRY entry; visibility of a
 * prefix → the most specific covering PREFIX entry, else the origin's ASN entry; origin and
 * more-specific changes → a covering PREFIX entry; a prefix announced or gone everywhere → a
 * covering PREFIX entry, else the ASN entry of its origin when that AS is named in some PREFIX
 * entry's {@code origins} (its own list: a prefix outside it is a NewPrefix), a prefix re-validated
 * when the VRP set changed (ROV_CHANGED) likewise; a route leak → a covering PREFIX entry, else the
 * ASN entry of an AS on the leaked path; a ROA change → a covering PREFIX entry, else the ASN entry
 * of the AS it authorises; a new neighbour → the ASN entry of the watched AS whose neighbour it is;
 * feed changes → any (when the list is not empty). Immutable: the service swaps a new matcher in
 * when the list changes.
 */
public final class WatchMatcher {
  /** The target to alert on and the entry whose overrides apply (null for feeds). */
  public record Match(Target target, WatchEntry entry) {}

  private final List<WatchEntry> entries;
  private final Map<Long, WatchEntry> byAsn = new HashMap<>();
  private final Map<String, WatchEntry> byCountry = new HashMap<>();

  /** Every origin some PREFIX entry names (AS0 aside): the ASes that have a list of prefixes. */
  private final Set<Long> listedOrigins = new HashSet<>();

  /** A PREFIX entry with the origin it names first (the target's owner), parsed once. */
  private record PrefixWatch(WatchEntry entry, IpPrefix prefix, long owner, Set<Long> origins) {}

  private final PrefixIndex<PrefixWatch> byPrefix = new PrefixIndex<>();

  /** Parsed PREFIX entries by identity: a rebuild after an import parses only what is new. */
  private final Map<WatchEntry, PrefixWatch> parsed = new IdentityHashMap<>();

  public WatchMatcher(List<WatchEntry> entries) {
    this(entries, null);
  }

  /**
   * @param previous the matcher this one replaces: its parsed prefixes are reused for the same
   *     entry objects (parsing 50,000 prefixes again for every import slice cost seconds)
   */
  public WatchMatcher(List<WatchEntry> entries, WatchMatcher previous) {
    this.entries = List.copyOf(entries);
    for (WatchEntry e : entries) {
      switch (e.kind()) {
        case ASN -> byAsn.put(WatchValues.asn(e.value()), e);
        case COUNTRY -> byCountry.put(e.value(), e);
        case PREFIX -> {
          PrefixWatch w = previous == null ? null : previous.parsed.get(e);
          if (w == null) {
            IpPrefix p = IpPrefix.parse(e.value());
            Set<Long> origins = WatchOverrides.origins(e.overrides().getOrDefault("origins", ""));
            w = new PrefixWatch(e, p, origins.isEmpty() ? 0 : origins.iterator().next(), origins);
          }
          parsed.put(e, w);
          // the Hijack rule's origins (hijack.origins over origins) are the entry's owners too
          String hijack = e.overrides().get("hijack.origins");
          for (long o : hijack == null ? w.origins() : WatchOverrides.origins(hijack)) {
            if (o != 0) {
              listedOrigins.add(o);
            }
          }
          byPrefix.put(w.prefix().address(), w.prefix().length(), w);
        }
      }
    }
  }

  public List<WatchEntry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public Optional<Match> match(Change c) {
    if (entries.isEmpty()) {
      return Optional.empty(); // an empty list alerts on nothing
    }
    long asn = c.getAsn() & 0xffffffffL;
    String cc = c.getCountry();
    return switch (c.getKind()) {
      case FEED_STALE, FEED_RESUMED -> {
        String feed = c.getFeed().isBlank() ? "state" : c.getFeed().trim();
        yield Optional.of(new Match(new Target(Target.Kind.FEED, feed, 0, "", ""), null));
      }
      case UPSTREAM_ADDED, UPSTREAM_REMOVED, SHARE_MOVED ->
          asn != 0 ? byAsn(asn, cc) : byCountry(cc);
      case VISIBILITY_CROSSED, OUTAGE_OPENED, OUTAGE_CLOSED -> {
        Optional<Match> m = byPrefix(c);
        if (m.isEmpty() && asn != 0) {
          m = byAsn(asn, cc);
        }
        if (m.isEmpty() && asn == 0 && !c.hasPrefix()) {
          m = byCountry(cc);
        }
        yield m;
      }
      case ORIGIN_CHANGED, MORE_SPECIFIC -> byPrefix(c);
        // a re-validated prefix (VRP set changed) goes where its announcement went
      case CHANGE_KIND_PREFIX_ANNOUNCED, CHANGE_KIND_PREFIX_WITHDRAWN, CHANGE_KIND_ROV_CHANGED -> {
        Optional<Match> m = byPrefix(c);
        if (m.isEmpty()) {
          m = byListedOrigin(c, cc);
        }
        yield m.isPresent() ? m : byOrigin(c, cc);
      }
      case CHANGE_KIND_ROUTE_LEAK, CHANGE_KIND_ROUTE_LEAK_ENDED -> byLeak(c, asn, cc);
        // asn is the watched AS whose neighbour it is: its ASN entry
      case CHANGE_KIND_NEIGHBOR_APPEARED, CHANGE_KIND_NEIGHBOR_GONE -> byAsn(asn, cc);
      case CHANGE_KIND_ROA_CHANGED -> {
        Optional<Match> m = byPrefix(c); // a ROA for (or inside) a watched prefix
        yield m.isPresent() ? m : byAsn(asn, cc); // else one authorising a watched AS
      }
      default -> Optional.empty();
    };
  }

  /**
   * A route leak concerns the PREFIX entry covering its prefix, else the ASN entry of its origin,
   * of the leaker, of the segment's other ASes or of any AS on its path (state reports leaks of
   * paths through a watched AS).
   */
  private Optional<Match> byLeak(Change c, long origin, String cc) {
    Optional<Match> m = byPrefix(c);
    if (m.isPresent() || byAsn.isEmpty()) {
      return m;
    }
    if (origin != 0 && byAsn.containsKey(origin)) {
      return byAsn(origin, cc);
    }
    long leaker = c.getLeakerAsn() & 0xffffffffL;
    if (byAsn.containsKey(leaker)) {
      return byAsn(leaker, "");
    }
    for (int a : c.getLeakSegmentList()) {
      if (byAsn.containsKey(a & 0xffffffffL)) {
        return byAsn(a & 0xffffffffL, "");
      }
    }
    for (String tok : c.getAsPath().split("[ {},]+")) {
      if (!tok.isEmpty() && tok.chars().allMatch(Character::isDigit) && tok.length() <= 10) {
        long a = Long.parseLong(tok);
        if (byAsn.containsKey(a)) {
          return byAsn(a, "");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A prefix no PREFIX entry covers, announced (or gone) with an origin that has an ASN entry and
   * is named in some PREFIX entry's {@code origins}: that AS's own list does not have it.
   */
  private Optional<Match> byListedOrigin(Change c, String cc) {
    if (listedOrigins.isEmpty()) {
      return Optional.empty();
    }
    List<Integer> origins = originsOf(c);
    for (int a : origins) {
      long o = a & 0xffffffffL;
      if (listedOrigins.contains(o) && byAsn.containsKey(o)) {
        return byAsn(o, cc);
      }
    }
    long o = c.getAsn() & 0xffffffffL;
    return origins.isEmpty() && listedOrigins.contains(o) ? byAsn(o, cc) : Optional.empty();
  }

  /**
   * A prefix no PREFIX entry covers, announced (or gone) with an origin that has an ASN entry: the
   * watched AS's own announcement (its RPKI verdict concerns it; NewPrefix fires only for an AS
   * with a list, {@link #listsPrefixesOf}).
   */
  private Optional<Match> byOrigin(Change c, String cc) {
    if (byAsn.isEmpty()) {
      return Optional.empty();
    }
    List<Integer> origins = originsOf(c);
    for (int a : origins) {
      if (byAsn.containsKey(a & 0xffffffffL)) {
        return byAsn(a & 0xffffffffL, cc);
      }
    }
    long o = c.getAsn() & 0xffffffffL;
    return origins.isEmpty() && o != 0 ? byAsn(o, cc) : Optional.empty();
  }

  /** The origins a prefix change is about: those it had when gone, those it has when announced. */
  private static List<Integer> originsOf(Change c) {
    return c.getKind() == io.routewatch.proto.v1.ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN
        ? c.getOriginsBeforeList()
        : c.getOriginsAfterList();
  }

  /** True when some PREFIX entry names this AS in its {@code origins}: the AS has a prefix list. */
  public boolean listsPrefixesOf(long asn) {
    return listedOrigins.contains(asn);
  }

  private Optional<Match> byAsn(long asn, String cc) {
    WatchEntry e = byAsn.get(asn);
    return e == null
        ? Optional.empty()
        : Optional.of(new Match(Target.asn(asn, cc).withDescription(e.description()), e));
  }

  private Optional<Match> byCountry(String cc) {
    WatchEntry e = cc == null ? null : byCountry.get(cc);
    return e == null
        ? Optional.empty()
        : Optional.of(new Match(Target.country(cc).withDescription(e.description()), e));
  }

  private Optional<Match> byPrefix(Change c) {
    if (!c.hasPrefix() || byPrefix.isEmpty()) {
      return Optional.empty();
    }
    // straight from the wire form: no text round trip per change
    io.routewatch.proto.v1.Prefix p = c.getPrefix();
    PrefixWatch w =
        byPrefix.longestMatch(
            p.getAddress().toByteArray(),
            p.getLength(),
            p.getAfi() == io.routewatch.proto.v1.Afi.IPV6);
    if (w == null) {
      return Optional.empty();
    }
    WatchEntry e = w.entry();
    return Optional.of(
        new Match(
            new Target(Target.Kind.PREFIX, e.value(), w.owner(), c.getCountry(), e.description()),
            e));
  }
}
