package io.routewatch.alert.rule;

import java.util.List;
import java.util.Optional;
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

  /** The pending or firing alert with this key. */
  Optional<ActiveAlert> active(String key);

  /** All pending or firing alerts of a type whose key starts with {@code keyPrefix}. */
  List<ActiveAlert> activeWithPrefix(String keyPrefix);
}
