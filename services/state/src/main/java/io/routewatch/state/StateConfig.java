package io.routewatch.state;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** State settings ({@code routewatch.state.*}; env {@code ROUTEWATCH_STATE_*}). */
@ConfigMapping(prefix = "routewatch.state")
public interface StateConfig {
  Journal journal();

  Ingest ingest();

  Engine engine();

  History history();

  Snapshot snapshot();

  Rpki rpki();

  Relationships relationships();

  /**
   * Directory of RIR delegated files ({@code delegated-*}) for country views; default: the copies
   * shipped in the jar (refresh with {@code scripts/refresh-registry.sh}).
   */
  Optional<String> registryDir();

  Shard shard();

  Clock clock();

  Feeds feeds();

  /**
   * Stale feeds (docs/alerts.md, FeedStale): each RIS Live or BMP source and each of their VPs
   * learns its rhythm, the longest gap between its messages lately; one silent for {@code
   * multiplier} times that (at least {@code stale-after-min}) is reported {@code FEED_STALE}, and
   * {@code FEED_RESUMED} when heard again. BGP sessions are not judged (their KEEPALIVEs stay in
   * the collector; a dead session is a PEER_DOWN).
   */
  interface Feeds {
    /** Report stale feeds at all. */
    @WithDefault("true")
    boolean enabled();

    /** Stale after this many times the feed's usual longest gap. */
    @WithDefault("4")
    double multiplier();

    /**
     * The shortest gap counted: a busy feed's rhythm is this (and one gap is learned per floor).
     */
    @WithDefault("1s")
    Duration floor();

    /** A long gap is forgotten by half in this time (while the feed is heard). */
    @WithDefault("1h")
    Duration halfLife();

    /** Gaps a feed must show before it is judged (nothing is stale while state learns). */
    @WithDefault("20")
    int minObservations();

    /** Never stale sooner than this. */
    @WithDefault("60s")
    Duration staleAfterMin();

    /**
     * A feed that would need a longer silence than this (multiplier times its rhythm) is too sparse
     * to tell a failure from a quiet network, and is not judged.
     */
    @WithDefault("30m")
    Duration staleAfterMax();

    /**
     * Feeds (sources and VPs) tracked at most; a new one evicts the least recently heard one that
     * is not stale. Bounds memory and the {@code feed} label of the silence metric.
     */
    @WithDefault("4096")
    int maxFeeds();

    /** Judge each VP of a RIS Live or BMP source, too (not while the whole source is stale). */
    @WithDefault("true")
    boolean vantagePoints();
  }

  /**
   * The engine clock is the largest event time seen: one event stamped in the future (a collector's
   * bad clock, a corrupt archive record dated 2106) would fire every hold, settle and outage
   * deadline at once and make every later event look old. Events beyond wall time plus this
   * tolerance are rejected (counted, logged, never applied). Only the future is bounded: archives
   * from 2015 are legitimately old.
   */
  interface Clock {
    /** How far ahead of this host's wall clock an event may be stamped (collector clock skew). */
    @WithDefault("5m")
    Duration futureTolerance();
  }

  /**
   * Scale-out: this instance is one shard of the prefix space (the collector routes each event to
   * its shard by consistent hashing over the shard names). Queries that span shards are merged by
   * the instance that answers them. Unset: one instance holds everything.
   */
  interface Shard {
    /** This instance's shard name (in Kubernetes the pod name, {@code <release>-state-N}). */
    Optional<String> name();

    /**
     * Every shard, this one included: {@code name=host:port} entries, e.g. {@code
     * state-0=127.0.0.1:9001,state-1=127.0.0.1:9002,state-2=127.0.0.1:9003}.
     */
    Optional<List<String>> peers();

    /**
     * Deadline of one shard-to-shard call; a shard that does not answer fails the query
     * (UNAVAILABLE).
     */
    @WithDefault("10s")
    Duration timeout();
  }

  /**
   * Limits of the collectors' publish streams (IngestService.Publish): how big one message may be,
   * how many bytes a stream and all streams together may hold before state asks for more, and how
   * many streams may be open. A stream is asked for one message at a time while both budgets have
   * room for the largest message; the writer takes queued batches by deficit round-robin over their
   * bytes, so a greedy stream cannot starve the others.
   */
  interface Ingest {
    /**
     * Largest publish message (bytes); also the gRPC server's inbound limit, so a longer message is
     * refused (RESOURCE_EXHAUSTED) before it is read. Keep the collectors' {@code
     * routewatch.collector.publish.max-batch-bytes} well below it.
     */
    @WithDefault("4194304")
    int maxMessageBytes();

    /** Bytes one stream may hold in state (queued or being applied), at least max-message-bytes. */
    @WithDefault("8388608")
    long streamBudgetBytes();

    /** Bytes all streams together may hold, at least stream-budget-bytes. */
    @WithDefault("67108864")
    long globalBudgetBytes();

    /** Publish streams open at once; one more is refused with RESOURCE_EXHAUSTED. */
    @WithDefault("16")
    int maxStreams();
  }

  interface Journal {
    /** How long journal entries are kept; subscribers further behind get OUT_OF_RANGE. */
    @WithDefault("30d")
    Duration retention();

    /** A heartbeat is sent on an idle subscription this often. */
    @WithDefault("5s")
    Duration heartbeat();

    /**
     * Changes derived but not yet written (PostgreSQL down or slow) held in memory at most: at this
     * many the ingest writer stops applying batches (the collectors' acknowledgement windows hold
     * the rest) until the journal is below it again. A soft bound: the batch or tick being applied
     * when it is reached adds its changes.
     */
    @WithDefault("100000")
    int maxPending();

    /**
     * Change-stream subscribers (StateChanges.Subscribe) served at once; one more is refused with
     * RESOURCE_EXHAUSTED. They hold no thread each (a feed thread and two PostgreSQL readers serve
     * them all), but each holds a transport buffer.
     */
    @WithDefault("256")
    int maxSubscribers();
  }

  interface Engine {
    /** A VP is full-feed with at least this many IPv4 prefixes (IODA: 400k). */
    @WithDefault("400000")
    int fullFeedV4();

    /** ... or this many IPv6 prefixes (IODA: 10k). */
    @WithDefault("10000")
    int fullFeedV6();

    /** Visibility below this opens an outage after the hold time. */
    @WithDefault("0.5")
    double outageThreshold();

    /** Visibility above this for the clear time closes it. */
    @WithDefault("0.5")
    double outageClearThreshold();

    @WithDefault("5m")
    Duration outageHold();

    @WithDefault("10m")
    Duration outageClear();

    /** A share move of at least this many points (0..1) is a SHARE_MOVED change. */
    @WithDefault("0.10")
    double shareMovePoints();

    /** Changes caused by a loading VP are held back until it settled this long. */
    @WithDefault("5m")
    Duration settle();

    /** After start, nothing is reported until this much event time has passed without a load. */
    @WithDefault("15m")
    Duration warmup();

    /**
     * How often a live engine's clock is moved to wall time, busy or idle, so hold, clear and
     * settle times end on time (their error is at most this).
     */
    @WithDefault("100ms")
    Duration tickInterval();
  }

  interface History {
    /** Share samples of recently changed origins are written this often. */
    @WithDefault("60s")
    Duration sampleInterval();

    /**
     * History rows held in memory while PostgreSQL does not take them: at this many the ingest
     * writer applies nothing (as for the journal's max-pending) until the rows are written; none is
     * dropped. Soft by one batch or periodic sample.
     */
    @WithDefault("200000")
    int maxPending();
  }

  interface Snapshot {
    /**
     * Write RIB snapshots and load the newest at start (off: every restart rebuilds from sources).
     */
    @WithDefault("true")
    boolean enabled();

    /** A snapshot is taken this often when anything changed (and once more on clean shutdown). */
    @WithDefault("5m")
    Duration interval();

    /** Directory of the snapshot files (relative to the working directory unless absolute). */
    @WithDefault("snapshot")
    String dir();

    /** Snapshot files kept (the newest ones); an older one is the fallback if the newest is bad. */
    @WithDefault("2")
    int keep();
  }

  /**
   * RPKI route origin validation (RFC 6811): VRPs from a file and/or a URL serving rpki-client
   * JSON, Routinator json/jsonext/CSV or an rtrclient CSV export. Off while neither is set.
   */
  interface Rpki {
    /** VRP file (a {@code .gz} name is gunzipped), read at start and every {@link #refresh()}. */
    Optional<String> file();

    /** http(s) URL of a VRP export, fetched at start and every {@link #refresh()}. */
    Optional<String> url();

    /** Reload interval; a failed reload keeps the last good VRP set. */
    @WithDefault("10m")
    Duration refresh();

    /** Timeout of one URL fetch (connect and whole request). */
    @WithDefault("60s")
    Duration timeout();

    /** Largest (decompressed) source in bytes; a bigger one fails the load. */
    @WithDefault("268435456")
    long maxBytes();

    /**
     * Most VRPs per source; more fail the load (a truncated set would turn valid routes invalid).
     */
    @WithDefault("3000000")
    int maxVrps();
  }

  /**
   * AS relationships for the valley-free check (route leaks, RFC 7908; docs/alerts.md RouteLeak): a
   * CAIDA as-rel file, serial-1 {@code a|b|rel} or serial-2 {@code a|b|rel|source} ({@code -1}: a
   * is a provider of b, {@code 0}: peers, {@code 1}: siblings), plain, bzip2 or gzip. Read once at
   * start; bad lines are skipped, logged with file:line and counted. Off while no file and no
   * override is set.
   */
  interface Relationships {
    /** The as-rel file. */
    Optional<String> file();

    /**
     * Links that replace the file's for the same pair (or add to it), each {@code a|b|rel} like a
     * file line, e.g. {@code 64500|64501|-1}.
     */
    Optional<List<String>> overrides();

    /** Most links read; a bigger file loads nothing (a truncated graph would mislead). */
    @WithDefault("4000000")
    int maxLinks();
  }
}
