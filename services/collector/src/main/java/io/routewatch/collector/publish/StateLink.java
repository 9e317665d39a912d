package io.routewatch.collector.publish;

import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.servicekit.security.TokenClientInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The collector's delivery of route-event batches to state ({@code IngestService.Publish}).
 *
 * <p><b>One state</b> ({@code routewatch.collector.state-shards} unset, the default): one
 * bidirectional stream over the {@code state} gRPC client ({@link ShardLink}). It holds a bounded
 * window of unacknowledged batches: {@link #send} blocks while the window is full, which pauses
 * whatever source is reading (back-pressure; nothing is dropped). Batches are written only when the
 * transport is ready (gRPC flow control). When the stream fails the link reconnects with
 * exponential backoff and re-sends every unacknowledged batch in order; state deduplicates by
 * (stream id, sequence), so each batch is applied exactly once. On every (re)connect the link asks
 * state where each stream stands. If state is behind what it had acknowledged before (it restarted
 * and lost memory), the owning source is told to rewind ({@link StreamSource#rewind}) and re-sends
 * from state's position.
 *
 * <p><b>Sharded state</b> ({@code state-shards} lists {@code name=host:port} entries): state
 * instances own shards of the prefix space by consistent hashing over the shard names ({@link
 * ShardRing}: 128 virtual nodes per name). There is one {@link ShardLink} (stream, window,
 * reconnect, re-send) per shard, and {@link #send} splits each batch into one sub-batch per shard:
 * an event with a prefix goes to the prefix's owner, an event without one (PEER_UP, PEER_DOWN,
 * PEER_STATE, END_OF_RIB, RIB_DUMP_BEGIN/END) to every shard. Every sub-batch keeps the batch's
 * header, dictionaries (vantage points, AS paths, attribute sets, copied whole), sequence and
 * end-of-stream flag, and every shard gets one even when it has no events, so each shard sees the
 * stream's sequences contiguously, as state requires. {@link #send} blocks while any shard's window
 * is full.
 *
 * <p>A shard link sends a stream's batches under link sequences: source sequence minus an offset
 * kept per (link, stream), normally 0. When shard {@code i} reconnects holding a stream only up to
 * {@code theirs}, below what link {@code i} had acknowledged:
 *
 * <ul>
 *   <li>a source that {@linkplain StreamSource#replays() replays} (an MRT import re-reads its file
 *       and re-produces identical batches) is rewound as with one state, to {@code theirs} (to the
 *       lowest position of any shard, should another shard still be behind it). Link {@code i}
 *       drops its pending batches of the stream and takes the re-produced ones from {@code theirs +
 *       1}; the other links silently drop re-produced batches up to the highest sequence they had
 *       queued already (they still have them, or state acknowledged them).
 *   <li>a source that does not replay (a live session: it re-dumps its table forward under new
 *       sequences) keeps its sequence: link {@code i} drops its pending batches of the stream and
 *       sets its offset so that the source's next batch is {@code theirs + 1} on that shard, and
 *       the source is asked to send its table again ({@code rewind(stream, -1)}). The other shards
 *       get the re-dump too (idempotent announcements).
 * </ul>
 *
 * <p>{@link #acknowledged} is the lowest over the shards of (acknowledged link sequence + offset);
 * {@link #awaitAcknowledged} waits until every shard acknowledged; {@link #isConnected} holds while
 * every shard link is up. Metrics keep their names and carry {@code shard=<name>} when sharded.
 */
@ApplicationScoped
public class StateLink {
  private static final Logger LOG = Logger.getLogger(StateLink.class);

  /** A producer of one stream that can re-produce its batches after a state restart. */
  public interface StreamSource {
    /**
     * State now holds this stream only up to {@code sequence}; re-send what follows. With sharded
     * state a source that does not {@link #replays()} is called with {@code -1}: keep the sequence,
     * send the table again.
     */
    void rewind(String streamId, long sequence);

    /**
     * True when the source re-produces identical batches from a given sequence on {@link #rewind}
     * (an MRT import); false when it re-dumps its table forward under new sequences (a live feed).
     */
    default boolean replays() {
      return true;
    }
  }

  /** Plain grpc-java stubs over the Quarkus-managed channel: we need call-level flow control. */
  @GrpcClient("state")
  Channel channel;

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;

  /** Sharded channels are built here, not by Quarkus: they need the API token added by hand. */
  @Inject Instance<TokenClientInterceptor> token;

  private final Object lock = new Object();
  private final Map<String, StreamSource> sources = new HashMap<>();

  /** Sharded: highest source sequence sent per registered stream (a live rewind's offset). */
  private final Map<String, Long> lastSent = new HashMap<>();

  /** Empty until started; one link unsharded, one per shard (in ring order) sharded. */
  private List<ShardLink> links = List.of();

  /** Null unsharded. */
  private volatile ShardRing ring;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private volatile boolean stopping;

  void onStart(@Observes StartupEvent ev) {
    start(ConfigProvider.getConfig());
  }

  /**
   * Creates the links from {@code routewatch.collector.state-shards} (TLS settings read from {@code
   * mp}) and starts connecting; a bad shard entry fails here, naming the entry.
   */
  void start(Config mp) {
    List<StateShards.Shard> shards = StateShards.parse(config.stateShards().orElse(List.of()));
    List<ShardLink> made = new ArrayList<>();
    ShardRing r = null;
    if (shards.isEmpty()) {
      made.add(new ShardLink("state", channel, config, registry, false, lock, this::streamLost));
    } else {
      Optional<SslContext> tls = StateShards.tls(mp);
      ClientInterceptor auth = token != null && token.isResolvable() ? token.get() : null;
      List<String> names = new ArrayList<>();
      for (StateShards.Shard s : shards) {
        ManagedChannel mc = StateShards.channel(s, tls);
        channels.add(mc);
        Channel ch = auth == null ? mc : ClientInterceptors.intercept(mc, auth);
        made.add(new ShardLink(s.name(), ch, config, registry, true, lock, this::streamLost));
        names.add(s.name());
      }
      r = new ShardRing(names);
      LOG.infof(
          "state is sharded over %d instances (%s, TLS %s)",
          shards.size(),
          String.join(
              ", ", shards.stream().map(s -> s.name() + "=" + s.host() + ":" + s.port()).toList()),
          tls.isPresent() ? "on" : "off");
    }
    synchronized (lock) {
      ring = r;
      links = List.copyOf(made);
      lock.notifyAll();
    }
    for (ShardLink l : made) {
      l.start();
    }
  }

  void onStop(@Observes ShutdownEvent ev) {
    stopping = true;
    List<ShardLink> ls;
    synchronized (lock) {
      lock.notifyAll();
      ls = links;
    }
    for (ShardLink l : ls) {
      l.stop();
    }
    for (ManagedChannel c : channels) {
      c.shutdown();
    }
  }

  /** True while the stream to state is up (sharded: every shard's). */
  public boolean isConnected() {
    synchronized (lock) {
      if (links.isEmpty()) {
        return false;
      }
      for (ShardLink l : links) {
        if (!l.connectedLocked()) {
          return false;
        }
      }
      return true;
    }
  }

  /** Registers the source of a stream so it can be rewound after a state restart. */
  public void register(String streamId, StreamSource source) {
    synchronized (lock) {
      sources.put(streamId, source);
    }
  }

  /**
   * State acknowledged {@code streamId} up to {@code sequence} before this process started, and its
   * source resumes after it (the journal after a collector restart): if state later holds less (a
   * restart, a restore from an older snapshot), the source is rewound as for batches sent in this
   * run. Without this, only streams sent in this run were rewound.
   */
  public void acknowledgedBefore(String streamId, long sequence) {
    if (sequence <= 0) {
      return;
    }
    synchronized (lock) {
      for (ShardLink l : links) {
        l.acknowledgedBeforeLocked(streamId, sequence);
      }
    }
  }

  public void unregister(String streamId) {
    synchronized (lock) {
      sources.remove(streamId);
      lastSent.remove(streamId);
    }
  }

  /** Unregisters the stream's source if it is still {@code source} (not a newer one). */
  public void unregister(String streamId, StreamSource source) {
    synchronized (lock) {
      if (sources.get(streamId) == source) {
        sources.remove(streamId);
        lastSent.remove(streamId);
      }
    }
  }

  /**
   * Where state stands on each stream of this collector, asked now ({@code GetStreamPositions};
   * sharded: the lowest position over the shards, a stream a shard does not know at 0). Throws when
   * state (any shard) is not reachable.
   */
  public Map<String, Long> positions() {
    List<ShardLink> ls;
    synchronized (lock) {
      ls = links;
    }
    if (ls.isEmpty()) {
      throw new IllegalStateException("state link not started");
    }
    Map<String, Long> min = null;
    for (ShardLink l : ls) {
      Map<String, Long> p = l.positions();
      if (min == null) {
        min = new HashMap<>(p);
      } else {
        Map<String, Long> next = new HashMap<>();
        for (Map.Entry<String, Long> e : min.entrySet()) {
          next.put(e.getKey(), Math.min(e.getValue(), p.getOrDefault(e.getKey(), 0L)));
        }
        min = next;
      }
    }
    return min;
  }

  /** Highest sequence state acknowledged for the stream (0 if none; sharded: on every shard). */
  public long acknowledged(String streamId) {
    synchronized (lock) {
      return acknowledgedLocked(streamId);
    }
  }

  private long acknowledgedLocked(String streamId) {
    if (links.isEmpty()) {
      return 0;
    }
    long min = Long.MAX_VALUE;
    for (ShardLink l : links) {
      min = Math.min(min, l.ackedLocked(streamId) + l.offsetLocked(streamId));
    }
    return min;
  }

  /**
   * True when every batch of the stream up to {@code sequence} is acknowledged (by every shard).
   */
  public boolean awaitAcknowledged(String streamId, long sequence, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (acknowledgedLocked(streamId) < sequence) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || stopping) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /**
   * Queues a batch for delivery; blocks while the window of unacknowledged batches (of any shard)
   * is full. Batches of a stream must be sent in sequence order.
   */
  public void send(RouteEventBatch batch) throws InterruptedException {
    ShardRing r = ring;
    RouteEventBatch[] parts = r == null ? null : split(batch, r); // the costly part, unlocked
    synchronized (lock) {
      while ((links.isEmpty() || anyFullLocked()) && !stopping) {
        lock.wait(1000);
      }
      if (stopping) {
        throw new InterruptedException("collector is stopping");
      }
      if (ring == null) {
        links.get(0).offerLocked(batch, false);
        return;
      }
      if (parts == null) {
        parts = split(batch, ring); // started while we waited
      }
      String stream = batch.getStreamId();
      long seq = batch.getSequence();
      lastSent.merge(stream, seq, Math::max);
      for (int i = 0; i < parts.length; i++) {
        ShardLink l = links.get(i);
        long offset = l.offsetLocked(stream);
        RouteEventBatch part = parts[i];
        if (offset != 0) {
          if (seq - offset < 1) {
            continue; // before the shard's restart point: that shard gets the re-dump instead
          }
          part = part.toBuilder().setSequence(seq - offset).build();
        }
        l.offerLocked(part, true);
      }
    }
  }

  private boolean anyFullLocked() {
    for (ShardLink l : links) {
      if (l.fullLocked()) {
        return true;
      }
    }
    return false;
  }

  /**
   * One sub-batch per shard of the ring: prefix events to their owner, the others to all; header,
   * dictionaries, sequence and end-of-stream flag on every one (also when it has no events).
   */
  static RouteEventBatch[] split(RouteEventBatch batch, ShardRing ring) {
    int n = ring.size();
    if (n == 1) {
      return new RouteEventBatch[] {batch};
    }
    RouteEventBatch header = batch.toBuilder().clearEvents().build();
    RouteEventBatch.Builder[] builders = new RouteEventBatch.Builder[n];
    for (int i = 0; i < n; i++) {
      builders[i] = header.toBuilder();
    }
    for (RouteEvent e : batch.getEventsList()) {
      if (e.hasPrefix()) {
        builders[ring.owner(e.getPrefix())].addEvents(e);
      } else {
        for (RouteEventBatch.Builder b : builders) {
          b.addEvents(e);
        }
      }
    }
    RouteEventBatch[] out = new RouteEventBatch[n];
    for (int i = 0; i < n; i++) {
      out[i] = builders[i].build();
    }
    return out;
  }

  /**
   * State lost batches of a stream nothing can send again (a live feed gone, an import forgotten).
   */
  private void lostForGood(ShardLink link, String streamId, long theirs, long ours) {
    registry.counter("routewatch_collector_streams_lost_total").increment();
    LOG.warnf(
        "state %s holds stream %s only up to %d (we had %d acknowledged); its source is gone:"
            + " what state lost of it is not re-sent",
        link.name, streamId, theirs, ours);
  }

  /** A link found state holding {@code streamId} only up to {@code theirs} (lock held). */
  private void streamLost(ShardLink link, String streamId, long theirs, long ours) {
    StreamSource src = sources.get(streamId);
    if (ring == null) {
      LOG.warnf(
          "state holds stream %s only up to %d (we had %d acknowledged): rewinding",
          streamId, theirs, ours);
      link.rewindLocked(streamId, theirs);
      if (src != null) {
        src.rewind(streamId, theirs);
      } else {
        lostForGood(link, streamId, theirs, ours);
      }
      return;
    }
    if (src != null && !src.replays()) {
      long last = lastSent.getOrDefault(streamId, 0L);
      link.setOffsetLocked(streamId, last - theirs);
      link.resetLocked(streamId, theirs);
      LOG.warnf(
          "state %s holds stream %s only up to %d (we had %d acknowledged): the source sends its"
              + " table again, its batch %d goes to that shard as %d",
          link.name, streamId, theirs, ours, last + 1, theirs + 1);
      src.rewind(streamId, -1);
      return;
    }
    link.rewindLocked(streamId, theirs);
    if (src == null) {
      lostForGood(link, streamId, theirs, ours);
      return;
    }
    // Re-produce from the lowest point any shard still needs (normally `theirs`); shards that have
    // batches already drop the copies.
    long from = theirs + link.offsetLocked(streamId);
    for (ShardLink l : links) {
      from = Math.min(from, l.queuedLocked(streamId) + l.offsetLocked(streamId));
    }
    from = Math.max(0, from);
    LOG.warnf(
        "state %s holds stream %s only up to %d (we had %d acknowledged): rewinding to %d",
        link.name, streamId, theirs, ours, from);
    src.rewind(streamId, from);
  }
}
