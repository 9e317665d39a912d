package io.routewatch.alert;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All {@code routewatch.alert.*} settings (documented in docs/configuration.md). */
@ConfigMapping(prefix = "routewatch.alert")
public interface AlertConfig {
  /** YAML watch list loaded (upserted) at start; entries from it are marked source=file. */
  Optional<String> watchFile();

  /** How often hold and clear timers are checked on the wall clock. */
  @WithDefault("1s")
  Duration tickInterval();

  /**
   * Changes whose time is within this long of the first observation of a network are its baseline
   * (an import or a state restart): upstreams seen then are not "new".
   */
  @WithDefault("10m")
  Duration baselinePeriod();

  /**
   * How long an upstream that disappeared is remembered. Within it, a baseline upstream or one that
   * went with the whole network (an outage) is not "new" when it returns.
   */
  @WithDefault("30d")
  Duration upstreamMemory();

  /**
   * A change whose time is at most this far behind the alert clock is live: its hold and clear
   * times count from the change's own time (the moment routes moved), not from its arrival, so the
   * pipeline's latency is not added to them. Older changes (an archive replay, a replay after a
   * restart) count from arrival.
   */
  @WithDefault("30s")
  Duration liveWindow();

  /**
   * How often watched networks without a view are looked up in state (GetUpstreams) to seed their
   * baseline; also at start and whenever a watch entry is added.
   */
  @WithDefault("1s")
  Duration seedInterval();

  /** Base URL of state's REST API, for generatorURL (…/api/v1/upstreams/AS131279). */
  @WithDefault("http://127.0.0.1:8082")
  String stateUrl();

  Alertmanager alertmanager();

  /**
   * Noise and rule settings: {@code rules.defaults.*} for all types, {@code rules.<type>.*} per
   * type (type = new-upstream, lost-upstream, upstream-share-shift, single-homed, visibility-loss,
   * origin-change, more-specific, hijack, rpki-invalid, route-leak, new-neighbor, new-prefix,
   * roa-change, feed-stale).
   */
  Map<String, RuleSettings> rules();

  /** Alertmanager API v2 delivery. */
  interface Alertmanager {
    /** One or more Alertmanagers (an HA pair gets every notification). Empty = none. */
    Optional<List<String>> urls();

    /**
     * Firing alerts are re-sent this often; must stay below Alertmanager's resolve_timeout (5m).
     */
    @WithDefault("60s")
    Duration resendInterval();

    /** HTTP timeout per POST. */
    @WithDefault("5s")
    Duration timeout();

    /** First retry delay after a failed POST; doubles per attempt up to retry-max. */
    @WithDefault("1s")
    Duration retryInitial();

    @WithDefault("30s")
    Duration retryMax();

    /** How often the outbox is polled for new notifications. */
    @WithDefault("200ms")
    Duration pollInterval();

    /** Delivered outbox rows are deleted after this long. */
    @WithDefault("24h")
    Duration retention();

    /** Dead-lettered notifications (refused for good, or for a removed URL) are kept this long. */
    @WithDefault("7d")
    Duration deadLetterRetention();
  }

  /** One level of rule settings; unset values fall through to the next level. */
  interface RuleSettings {
    Optional<Boolean> enabled();

    Optional<String> severity();

    Optional<Integer> minPeerAsns();

    Optional<Double> minVpShare();

    Optional<Duration> hold();

    Optional<Duration> clear();

    Optional<Duration> autoResolve();

    Optional<Boolean> excludeAdjacent();

    Optional<Double> shareShiftPoints();

    Optional<Double> visibilityThreshold();

    /**
     * OriginChange / MoreSpecific / Hijack: the severity when the new origins are all RPKI-valid
     * for the prefix (built-in info).
     */
    Optional<String> severityRovValid();

    /**
     * OriginChange / MoreSpecific / Hijack: the severity when a new origin is RPKI-invalid
     * (built-in critical).
     */
    Optional<String> severityRovInvalid();
  }
}
