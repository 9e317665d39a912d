package io.routewatch.collector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Collector settings ({@code routewatch.collector.*}; env {@code ROUTEWATCH_COLLECTOR_*}). */
@ConfigMapping(prefix = "routewatch.collector")
public interface CollectorConfig {
  /** Name of this collector instance; carried on every event. */
  @WithDefault("routewatch")
  String name();

  Publish publish();

  /**
   * State instances that share the prefix space, comma-separated {@code name=host:port} (env {@code
   * ROUTEWATCH_COLLECTOR_STATE_SHARDS="state-0=10.0.0.1:8082,state-1=10.0.0.2:8082"}). Events with
   * a prefix go to the prefix's shard (consistent hashing over the names, 128 virtual nodes each),
   * the others to every shard. Unset: one state at {@code quarkus.grpc.clients.state.*}. A bad
   * entry fails the start.
   */
  Optional<List<String>> stateShards();

  Mrt mrt();

  /** Public MRT archives (RouteViews, RIPE RIS): where they are, the download cache. */
  Archive archive();

  /** Passive BGP sessions (the RouteViews/RIS collector role). */
  Bgp bgp();

  /** BMP station (RFC 7854) for routers exporting their peers' routes. */
  Bmp bmp();

  /** RIPE RIS Live WebSocket client. */
  RisLive risLive();

  /** Hand-off of live-feed events to the state link. */
  Live live();

  /** The live journal: BGP sessions archived as MRT files, the source of what goes to state. */
  Journal journal();

  interface Publish {
    /** Route events per batch sent to state. */
    @WithDefault("2048")
    int batchSize();

    /**
     * A batch is sent once it holds this many bytes, even with fewer than batch-size events, so it
     * stays within state's {@code routewatch.state.ingest.max-message-bytes} (4 MiB by default):
     * keep it well below that; one MRT record or BGP message adds its events past it at most.
     */
    @WithDefault("1048576")
    int maxBatchBytes();

    /** Unacknowledged batches kept in flight; when full, sources pause (back-pressure). */
    @WithDefault("32")
    int window();

    /** First reconnect delay after the state link fails; doubles up to reconnect-max. */
    @WithDefault("100ms")
    Duration reconnectMin();

    @WithDefault("5s")
    Duration reconnectMax();

    /** Longest a partly filled batch of a live source waits before it is sent. */
    @WithDefault("200ms")
    Duration lingerMax();
  }

  /**
   * MRT imports: the watched directory and the jobs it starts ({@code routewatch.collector.mrt.*}).
   */
  interface Mrt {
    /** Directory watched for new MRT archives (imported once each, in name order); unset = off. */
    Optional<String> watchDir();

    /** How often the watch directory is scanned. */
    @WithDefault("2s")
    Duration watchInterval();

    /** Glob (java.nio PathMatcher syntax) matched against file names in the watch directory. */
    @WithDefault("{*.gz,*.bz2,*.mrt,updates.*,rib.*,bview.*}")
    String watchPattern();

    /** A file is taken only when its size and mtime have not changed for this long. */
    @WithDefault("5s")
    Duration stableFor();

    /**
     * The ledger of imported files (JSON, written atomically); default: {@code
     * <watch-dir>.imports.json} next to the watch directory.
     */
    Optional<String> ledger();

    /**
     * How long a job waits for state to acknowledge its last batch once the file is read; a job
     * still unacknowledged then ends FAILED with that error.
     */
    @WithDefault("24h")
    Duration ackTimeout();

    /**
     * How many finished imports stay ready to be sent again. State acknowledges a batch once it
     * applied it, not once a snapshot holds it: a state that restarts from an older snapshot (or
     * none) reports it holds less, and the collector re-reads those files and re-sends what state
     * lost. The oldest finished import beyond this many is forgotten (a later state restart then
     * logs that its batches cannot be re-sent).
     */
    @WithDefault("10000")
    int keepFinished();

    /**
     * Directories an import through the API (REST, gRPC, the CLI) may read from; the watch
     * directory is always allowed. A path is compared after symlinks ({@code toRealPath()}), so a
     * link inside an allowed directory to a file outside it is refused, as is {@code ..}. Unset:
     * imports through the API are refused (the watch directory still works).
     */
    Optional<List<String>> importDirs();

    /**
     * Longest MRT record body accepted, checked before anything is allocated; a longer declared
     * length fails the import (a decompression bomb, or a file that is not MRT). 16 MiB: BGP
     * messages are at most 4096 bytes (65535 extended), and the largest TABLE_DUMP_V2 RIB record in
     * the test corpus is 69,700 bytes.
     */
    @WithDefault("16777216")
    int maxRecordBytes();

    /**
     * Finished (DONE, FAILED, CANCELLED) jobs listed by the API; older ones are forgotten (queued
     * and running jobs always stay). Independent of keep-finished, which keeps imports ready for a
     * re-send and does not need their listing.
     */
    @WithDefault("1000")
    int keepJobs();
  }

  /**
   * The public MRT archives ({@code routewatch.collector.archive.*}; docs/data-sources.md): their
   * base URLs (a mirror with the same layout works) and the local cache downloads go to.
   */
  interface Archive {
    /** Base URL of the RIPE RIS archive ({@code <base>/rrcNN/YYYY.MM/...}); a mirror works. */
    @WithDefault("https://data.ris.ripe.net")
    String risBaseUrl();

    /** Base URL of the RouteViews archive ({@code <base>/<collector>/bgpdata/...}). */
    @WithDefault("https://archive.routeviews.org")
    String routeviewsBaseUrl();

    /**
     * Directory of downloaded archive files ({@code <collector>/<file>}); unset: {@code
     * routewatch-archive-cache} under the JVM's temp directory.
     */
    Optional<String> cacheDir();

    /**
     * The ledger of archive range imports (JSON, written atomically): an import still running when
     * the collector stopped is started again at the next start. Default: {@code imports.json} in
     * the cache directory.
     */
    Optional<String> ledger();

    /** Size limit of the cache: least recently used files not being imported are deleted. */
    @WithDefault("10737418240")
    long cacheMaxBytes();

    /** Downloads running at once. */
    @WithDefault("4")
    int parallel();

    /** Attempts per file (resumed where the last one stopped) before it is reported failed. */
    @WithDefault("5")
    int attempts();

    /** Wait before the second attempt; doubles for each further one. */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Longest one index or download request may take. */
    @WithDefault("10m")
    Duration timeout();

    /** Follow mode: import each new update file of some collectors as it is published. */
    Follow follow();
  }

  /**
   * Follow mode ({@code routewatch.collector.archive.follow.*}, docs/data-sources.md): every {@code
   * poll-interval} the update files of each followed collector published in the last {@code window}
   * are listed, and every one not in the ledger (a new file, or one published late after newer
   * ones) is downloaded and imported once, in time order.
   */
  interface Follow {
    /** Collectors followed ({@code rrc00}, {@code route-views2}, ...); empty: follow mode off. */
    Optional<List<String>> collectors();

    /** How often each followed collector's month directory is listed. */
    @WithDefault("60s")
    Duration pollInterval();

    /**
     * Where following starts when the ledger holds nothing of a collector: a duration before the
     * first poll ({@code 1h}, {@code 30m}, {@code 0s} = only files published from now on) or a time
     * (ISO 8601 or epoch seconds). Files starting before it are never imported.
     */
    @WithDefault("1h")
    String start();

    /**
     * How far back each poll looks for files not imported yet: a file published late (after newer
     * ones) is imported if it starts within this window. At most 31 days.
     */
    @WithDefault("6h")
    Duration window();

    /** Files one poll starts importing per collector at most (the rest wait for the next poll). */
    @WithDefault("24")
    int maxFilesPerPoll();

    /**
     * A followed collector is stale when its lag exceeds its publishing interval (RIS 5 min,
     * RouteViews 15 min) plus {@code poll-interval} plus this.
     */
    @WithDefault("15m")
    Duration staleGrace();

    /**
     * The follow ledger (JSON, written atomically): the files imported per collector. Default:
     * {@code follow.json} in the cache directory.
     */
    Optional<String> ledger();
  }

  interface Bgp {
    /** Listen for BGP connections at all. */
    @WithDefault("true")
    boolean enabled();

    /** Listen address; 127.0.0.1 in dev/test, the Helm chart sets 0.0.0.0 (and port 179). */
    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("1179")
    int port();

    /** Our AS (4-octet capable; AS_TRANS in the OPEN when above 65535). */
    @WithDefault("65000")
    long localAsn();

    /** Our BGP identifier (dotted quad). */
    @WithDefault("192.0.2.1")
    String routerId();

    /** Hold time we offer (RFC 4271 §4.2; 0 or >= 3 s); the smaller of both sides applies. */
    @WithDefault("90s")
    Duration holdTime();

    /**
     * Configured neighbours, comma-separated; each is {@code key=value} pairs joined by {@code ;}:
     * {@code address=127.0.0.2;asn=65002;name=gobgp;max-prefix=1000;max-prefix-action=close}.
     * {@code asn} 0 (default) accepts any AS; {@code max-prefix-action} is {@code warn} or {@code
     * close} (NOTIFICATION Cease/1). Connections from other addresses are refused.
     */
    Optional<List<String>> neighbors();
  }

  interface Bmp {
    @WithDefault("true")
    boolean enabled();

    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("11019")
    int port();

    /**
     * Known routers, comma-separated {@code address=10.0.0.1;name=edge1}: only these get their own
     * metric label (others share {@code other}); unless allowed-sources is set, only these and
     * loopback may connect.
     */
    Optional<List<String>> routers();

    /** A re-dump (Peer Up without End-of-RIB) is closed after this long. */
    @WithDefault("30s")
    Duration settle();

    /** When a router's BMP connection is gone this long without coming back, its VPs go down. */
    @WithDefault("5m")
    Duration downAfter();

    /** Largest BMP message accepted; a larger length field closes the connection. */
    @WithDefault("262144")
    int maxMessageSize();

    /**
     * Source addresses that may connect, comma-separated CIDR blocks ({@code 10.0.0.0/8,
     * 2001:db8::/32}; a bare address is one host). Unset: loopback and the {@code routers}'
     * addresses only. BMP is unauthenticated TCP and what it carries becomes routes in state.
     * Others are closed at once, counted and logged (once a minute per source).
     */
    Optional<List<String>> allowedSources();

    /** Connections open at once; one more is closed at once (counted, logged). */
    @WithDefault("128")
    int maxConnections();

    /**
     * A connection that sent nothing for this long is closed (the router reconnects and re-dumps);
     * 0 = never. Routers that export Statistics Reports (RFC 7854 §4.8) every few minutes never hit
     * it; a half-open TCP connection (router gone without FIN) does.
     */
    @WithDefault("30m")
    Duration idleTimeout();

    /**
     * Monitored peers remembered per router (the peer key, RFC 7854 §4.2: distinguisher, address,
     * AS, BGP ID, is chosen by the router). At the cap a new peer takes the place of the peer that
     * is down and was least recently used; with every remembered peer up, the new one is refused
     * (its Peer Up, routes and statistics are ignored, counted in {@code
     * routewatch_collector_bmp_peers_refused_total}).
     */
    @WithDefault("4096")
    int maxPeersPerRouter();

    /**
     * RIB views (VPs) remembered per peer: pre/post-policy Adj-RIB-In, Adj-RIB-Out, Loc-RIB, each
     * under the peer's route distinguisher, are at most 6 for a real router; more are refused and
     * counted like a refused peer.
     */
    @WithDefault("16")
    int maxViewsPerPeer();
  }

  interface RisLive {
    /** Server URL, e.g. wss://ris-live.ripe.net/v1/ws/?client=routewatch; disabled when unset. */
    Optional<String> url();

    /** Subscription filter: RIS collector (rrc00, ...). */
    Optional<String> host();

    /** Subscription filter: prefix (with more-specific/less-specific below). */
    Optional<String> prefix();

    @WithDefault("true")
    boolean moreSpecific();

    @WithDefault("false")
    boolean lessSpecific();

    /** Subscription filter: ASN or AS-path pattern (RIS Live "path"). */
    Optional<String> path();

    /** Subscription filter: peer address. */
    Optional<String> peer();

    /**
     * An MRT RIB dump (TABLE_DUMP_V2 or TABLE_DUMP, e.g. a RIS {@code bview}) of the collector
     * named in {@code host}, imported under that collector's name before the live stream is
     * applied, so state starts complete and the first live messages are judged against a full
     * baseline. Live messages arriving meanwhile are held (at most {@code bootstrap-max-held}, then
     * the client stops reading); those stamped before the dump are dropped (counted), the rest
     * applied in order once state has the dump. {@code archive}: the newest dump of {@code host} in
     * the public archive (or its mirror, {@code routewatch.collector.archive.*}) of the last 24 h,
     * then the collector's update files from the dump's time to now, before the live stream. Unset:
     * no bootstrap.
     */
    Optional<String> bootstrapRib();

    /** Live messages held while the bootstrap dump is imported. */
    @WithDefault("200000")
    int bootstrapMaxHeld();

    /** WebSocket ping interval (RIS Live drops idle clients). */
    @WithDefault("30s")
    Duration pingInterval();

    /** No message for this long counts as a dead connection: reconnect. */
    @WithDefault("120s")
    Duration idleTimeout();

    @WithDefault("1s")
    Duration reconnectMin();

    @WithDefault("60s")
    Duration reconnectMax();

    /**
     * Longest message (one WebSocket message, all its fragments, in characters; each is at least
     * one byte on the wire) kept while it arrives. A longer one is dropped as it comes in, counted
     * ({@code routewatch_collector_rislive_errors_total{reason="too_large"}}) and logged at most
     * once a minute; the connection goes on with the next message. 1 MiB: a RIS Live UPDATE is a
     * few KiB, and the server cannot make us hold more than this.
     */
    @WithDefault("1048576")
    int maxMessageSize();
  }

  interface Live {
    /** Events buffered per live source before they are dropped (counted, reason buffer_full). */
    @WithDefault("200000")
    int bufferEvents();

    /** How long a live source waits for room in its buffer before dropping an event. */
    @WithDefault("2s")
    Duration bufferWait();
  }

  interface Journal {
    /**
     * Directory of the live journal ({@code updates.YYYYMMDD.HHMM} MRT files). Unset: no journal,
     * BGP sessions hand events to state through the in-memory live buffer ({@code live.*}).
     */
    Optional<String> dir();

    /** Rotation interval of the journal files (RouteViews 15 min, RIS 5 min). */
    @WithDefault("5m")
    Duration interval();

    /** Group commit: appended records are written and fsync'd at least this often. */
    @WithDefault("20ms")
    Duration commitInterval();

    /**
     * Group commit: a commit starts early once this many bytes are pending; appenders wait (at disk
     * speed, never at state's) while 8 times this is pending.
     */
    @WithDefault("1048576")
    long commitBytes();

    /** Files older than this whose batches state acknowledged are deleted. */
    @WithDefault("7d")
    Duration retentionAge();

    /** Acknowledged files beyond this total size are deleted, oldest first. */
    @WithDefault("8589934592")
    long retentionBytes();

    /**
     * Journal bytes on disk at which {@code quota-policy} applies ({@code
     * routewatch_collector_journal_quota_reached} is 1 meanwhile).
     */
    @WithDefault("17179869184")
    long diskQuota();

    /** What happens at the disk quota. */
    @WithDefault("backpressure")
    QuotaPolicy quotaPolicy();
  }

  /** What the journal does at its disk quota. */
  enum QuotaPolicy {
    /** Sessions stop reading from their sockets (TCP back-pressures the peers) until room. */
    BACKPRESSURE,
    /** The oldest files are deleted, acknowledged or not (counted as lost bytes). */
    DELETE_OLDEST
  }
}
