package io.routewatch.alert.rule;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedMap;

/** What a rule may know besides the change: the target, its settings, its view and alerts. */
public interface RuleContext {
  /** The watched network (or feed) the change is about. */
  Target target();

  /** Settings for this alert type and this watch entry. */
  Thresholds thresholds(AlertType type);

  /** Upstreams of the target after this change was applied, by upstream ASN. */
  SortedMap<Long, UpstreamView> upstreams();

  /**
   * True while the change belongs to the target's baseline: the first observations after the
   * network came under watch (an archive import, a restart of state). Nothing is "new" then.
   */
  boolean baseline();

  /**
   * Non-empty when this change removed the target's last upstream: the upstreams that went with the
   * whole network (removed within the lost-upstream hold before), this one included. Their loss is
   * an outage (VisibilityLoss), not a lost link.
   */
  default List<Long> wentDark() {
    return List.of();
  }

  /**
   * When this change removed an upstream: what it was during its presence (everyone who saw it, its
   * peak share and VP count) — the evidence of the loss.
   */
  default Optional<UpstreamView> removed() {
    return Optional.empty();
  }

  /**
   * For a SHARE_MOVED: the upstream's reference share to measure a shift against; empty while the
   * set of upstreams is in flux (an upstream came or went within the share-shift hold), when the
   * move is part of that and the reference follows the share.
   */
  default OptionalDouble shareReference() {
    return OptionalDouble.empty();
  }

  /**
   * For a SHARE_MOVED with a {@link #shareReference()}: the peer ASNs that saw the upstream when
   * the reference was taken (empty when not known). The VPs that moved away are among them, so they
   * are a fall's evidence as much as the ones still on the upstream.
   */
  default long[] shareReferencePeers() {
    return new long[0];
  }

  /**
   * For an ASN target: whether some PREFIX entry names the AS in its {@code origins}, i.e. the
   * watch list has a list of its prefixes (NewPrefix "outside" needs one).
   */
  default boolean hasPrefixList() {
    return false;
  }

  /**
   * For an ASN target: the neighbours its entry allows on {@code side} ({@code "upstream"} or
   * {@code "downstream"}; overrides {@code new-neighbor.upstreams} / {@code .downstreams}), which
   * NewNeighbor never alerts on; empty when none are listed.
   */
  default Set<Long> allowedNeighbors(String side) {
    return Set.of();
  }

  /** The pending or firing alert with this key. */
  Optional<ActiveAlert> active(String key);

  /** All pending or firing alerts of a type whose key starts with {@code keyPrefix}. */
  List<ActiveAlert> activeWithPrefix(String keyPrefix);
}
