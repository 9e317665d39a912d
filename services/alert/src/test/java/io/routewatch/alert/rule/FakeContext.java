package io.routewatch.alert.rule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** A RuleContext the rule tests fill by hand. */
final class FakeContext implements RuleContext {
  Target target;
  Thresholds thresholds;
  final SortedMap<Long, UpstreamView> upstreams = new TreeMap<>();
  boolean baseline;
  final Map<String, ActiveAlert> active = new HashMap<>();
  OptionalDouble shareReference = OptionalDouble.empty();
  final Map<String, Set<Long>> allowedNeighbors = new HashMap<>();

  /**
   * The Hijack type's settings when the context is for another type: by default without origins, so
   * the origin-change and more-specific rules are tested on their own.
   */
  Thresholds hijack = Thresholds.permissive(AlertType.HIJACK);

  private final AlertType type;

  FakeContext(Target target, AlertType type) {
    this.target = target;
    this.type = type;
    this.thresholds = Thresholds.permissive(type);
  }

  FakeContext upstream(long asn, double share, int vps, long since, long... peers) {
    upstreams.put(asn, new UpstreamView(asn, share, vps, peers, since, false));
    return this;
  }

  FakeContext reference(double share) {
    shareReference = OptionalDouble.of(share);
    return this;
  }

  @Override
  public OptionalDouble shareReference() {
    return shareReference;
  }

  /** For an ASN target: some PREFIX entry names it in origins (NewPrefix "outside" needs one). */
  boolean hasPrefixList = true;

  @Override
  public boolean hasPrefixList() {
    return hasPrefixList;
  }

  long[] shareReferencePeers = new long[0];

  FakeContext reference(double share, long... peers) {
    shareReference = OptionalDouble.of(share);
    shareReferencePeers = peers;
    return this;
  }

  @Override
  public long[] shareReferencePeers() {
    return shareReferencePeers.clone();
  }

  FakeContext pending(Signal s, long since) {
    active.put(
        s.key(),
        new ActiveAlert(
            s.key(),
            s.type(),
            false,
            s.labels(),
            s.summary(),
            s.description(),
            s.context(),
            since));
    return this;
  }

  FakeContext active(Signal s, long startsAt) {
    active.put(
        s.key(),
        new ActiveAlert(
            s.key(),
            s.type(),
            true,
            s.labels(),
            s.summary(),
            s.description(),
            s.context(),
            startsAt));
    return this;
  }

  @Override
  public Set<Long> allowedNeighbors(String side) {
    return allowedNeighbors.getOrDefault(side, Set.of());
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public Thresholds thresholds(AlertType type) {
    return type == AlertType.HIJACK && this.type != AlertType.HIJACK ? hijack : thresholds;
  }

  @Override
  public SortedMap<Long, UpstreamView> upstreams() {
    return upstreams;
  }

  @Override
  public boolean baseline() {
    return baseline;
  }

  @Override
  public Optional<ActiveAlert> active(String key) {
    return Optional.ofNullable(active.get(key));
  }

  @Override
  public List<ActiveAlert> activeWithPrefix(String keyPrefix) {
    List<ActiveAlert> out = new ArrayList<>();
    active.forEach(
        (k, v) -> {
          if (k.startsWith(keyPrefix)) {
            out.add(v);
          }
        });
    return out;
  }

  static ActiveAlert asActive(Signal s, long startsAt) {
    return new ActiveAlert(
        s.key(), s.type(), true, s.labels(), s.summary(), s.description(), s.context(), startsAt);
  }
}
