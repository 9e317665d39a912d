package io.routewatch.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.proto.v1.AsPath;
import io.routewatch.proto.v1.Attributes;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.PathSegment;
import io.routewatch.proto.v1.PathSegmentType;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StateLink} against loopback state instances ({@link FakeState}, with state's contiguity
 * and dedup rules): batches split by prefix owner over three shards, and a shard restart handled
 * for a replaying source (re-sent to that shard only) and for a live one (re-dump, sequence mapped
 * onto the shard). Also the same link unsharded, and the configuration's failure on a bad entry.
 */
class StateLinkShardingTest {
  static final String STREAM = "c/test/stream";
  static final List<String> NAMES = List.of("state-0", "state-1", "state-2");
  static final Duration WAIT = Duration.ofSeconds(20);

  final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The collector's configuration mapping over these properties (defaults for the rest). */
  static SmallRyeConfig config(Map<String, String> props) {
    Map<String, String> all = new HashMap<>();
    all.put("routewatch.collector.name", "c");
    all.put("routewatch.collector.publish.window", "4");
    all.put("routewatch.collector.publish.reconnect-min", "20ms");
    all.put("routewatch.collector.publish.reconnect-max", "200ms");
    all.putAll(props);
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withConverter(Duration.class, 200, new DurationConverter()) // "90s", as in Quarkus
        .withMapping(CollectorConfig.class)
        .withSources(new PropertiesConfigSource(all, "test", 500))
        .build();
  }

  List<FakeState> states(int n) throws Exception {
    List<FakeState> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FakeState s = new FakeState("state-" + i);
      closing.add(s);
      out.add(s);
    }
    return out;
  }

  StateLink sharded(List<FakeState> states) {
    StringBuilder shards = new StringBuilder();
    for (FakeState s : states) {
      shards
          .append(shards.isEmpty() ? "" : ",")
          .append(s.name)
          .append("=127.0.0.1:")
          .append(s.port());
    }
    SmallRyeConfig cfg = config(Map.of("routewatch.collector.state-shards", shards.toString()));
    return started(cfg, null);
  }

  StateLink started(SmallRyeConfig cfg, ManagedChannel channel) {
    return TestLinks.started(cfg, channel, closing);
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    TestLinks.await(what, WAIT, done);
  }

  static final VantagePoint VP =
      VantagePoint.newBuilder().setCollector("c").setPeerAsn(65001).build();

  /**
   * Batch {@code seq} of a deterministic stream: {@code perBatch} announcements of distinct /24s,
   * plus a PEER_UP first in batch 1 and an END_OF_RIB last in the final batch.
   */
  static RouteEventBatch batch(long seq, int perBatch, long last) {
    RouteEventBatch.Builder b =
        RouteEventBatch.newBuilder()
            .setCollector("c")
            .setStreamId(STREAM)
            .setSequence(seq)
            .setSource(Source.newBuilder().setCollector("c"))
            .addVantagePoints(VP)
            .addAsPaths(
                AsPath.newBuilder()
                    .addSegments(
                        PathSegment.newBuilder()
                            .setType(PathSegmentType.AS_SEQUENCE)
                            .addAsns(65001)
                            .addAsns((int) (64512 + seq))))
            .addAttributes(Attributes.newBuilder().setAsPathRef(0))
            .setEndOfStream(seq == last);
    if (seq == 1) {
      b.addEvents(
          RouteEvent.newBuilder().setKind(EventKind.PEER_UP).setVpRef(0).setTimestampMicros(1));
    }
    for (int i = 0; i < perBatch; i++) {
      int net = (int) ((seq - 1) * perBatch + i);
      b.addEvents(
          RouteEvent.newBuilder()
              .setKind(EventKind.ANNOUNCE)
              .setVpRef(0)
              .setTimestampMicros(seq * 1000 + i)
              .setPrefix(
                  ShardRingTest.v4(10 + (net >>> 16 & 0x3f), net >>> 8 & 0xff, net & 0xff, 0, 24))
              .setAttributesRef(0));
    }
    if (seq == last) {
      b.addEvents(
          RouteEvent.newBuilder()
              .setKind(EventKind.END_OF_RIB)
              .setVpRef(0)
              .setTimestampMicros(seq * 1000 + 999));
    }
    return b.build();
  }

  /** The sequences a state applied for the stream, in order. */
  static List<Long> sequences(FakeState s) {
    return s.applied().stream()
        .filter(b -> b.getStreamId().equals(STREAM))
        .map(RouteEventBatch::getSequence)
        .toList();
  }

  static List<Long> oneTo(long n) {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  /**
   * Every prefix event of {@code batches} exactly once over the states, each on its ring owner;
   * every prefix-less event exactly once on each state.
   */
  static void assertExactlyOnceOnOwners(List<FakeState> states, List<RouteEventBatch> batches) {
    ShardRing ring = new ShardRing(NAMES.subList(0, states.size()));
    Map<RouteEvent, Integer> expectedPrefixEvents = new HashMap<>();
    Map<RouteEvent, Integer> expectedOthers = new HashMap<>();
    for (RouteEventBatch b : batches) {
      for (RouteEvent e : b.getEventsList()) {
        (e.hasPrefix() ? expectedPrefixEvents : expectedOthers).merge(e, 1, Integer::sum);
      }
    }
    Map<RouteEvent, Integer> seenPrefixEvents = new HashMap<>();
    for (int i = 0; i < states.size(); i++) {
      Map<RouteEvent, Integer> others = new HashMap<>();
      for (RouteEventBatch b : states.get(i).applied()) {
        assertEquals(1, b.getVantagePointsCount(), "dictionaries travel with every sub-batch");
        assertEquals(1, b.getAsPathsCount());
        assertEquals(1, b.getAttributesCount());
        for (RouteEvent e : b.getEventsList()) {
          if (e.hasPrefix()) {
            assertEquals(
                i, ring.owner(e.getPrefix()), "event on a shard that does not own it: " + e);
            seenPrefixEvents.merge(e, 1, Integer::sum);
          } else {
            others.merge(e, 1, Integer::sum);
          }
        }
      }
      assertEquals(expectedOthers, others, "prefix-less events on " + states.get(i).name);
    }
    assertEquals(expectedPrefixEvents, seenPrefixEvents, "prefix events over all shards");
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void aBatchIsSplitByPrefixOwnerAndPeerEventsGoToEveryShard() throws Exception {
    List<FakeState> states = states(3);
    StateLink link = sharded(states);
    int n = 12;
    List<RouteEventBatch> sent = new ArrayList<>();
    for (long seq = 1; seq <= n; seq++) {
      RouteEventBatch b = batch(seq, 300, n);
      sent.add(b);
      link.send(b); // window 4: blocks until the shards acknowledge
    }
    assertTrue(link.awaitAcknowledged(STREAM, n, WAIT));
    assertEquals(n, link.acknowledged(STREAM));
    assertTrue(link.isConnected());

    for (FakeState s : states) {
      assertEquals(oneTo(n), sequences(s), "contiguous sequences on " + s.name);
      assertEquals(0, s.gaps(), s.name);
      List<RouteEventBatch> got = s.applied();
      assertTrue(got.get(n - 1).getEndOfStream(), "end of stream on " + s.name);
      assertEquals(EventKind.PEER_UP, got.get(0).getEvents(0).getKind(), "PEER_UP on " + s.name);
      int prefixEvents = 0;
      for (RouteEventBatch b : got) {
        prefixEvents += (int) b.getEventsList().stream().filter(RouteEvent::hasPrefix).count();
      }
      assertTrue(
          prefixEvents > n * 300 / 5, s.name + " got only " + prefixEvents + " prefix events");
    }
    assertExactlyOnceOnOwners(states, sent);

    SimpleMeterRegistry metrics = (SimpleMeterRegistry) link.registry;
    for (String name : NAMES) {
      assertNotNull(
          metrics.find("routewatch_collector_batches_sent_total").tag("shard", name).counter(),
          name);
      assertEquals(
          1.0,
          metrics
              .find("routewatch_collector_state_link_connected")
              .tag("shard", name)
              .gauge()
              .value());
    }
  }

  @Test
  void anEmptySubBatchStillKeepsTheShardsSequenceContiguous() throws Exception {
    List<FakeState> states = states(3);
    StateLink link = sharded(states);
    // One prefix per batch: two of the three shards get an empty batch every time.
    for (long seq = 1; seq <= 6; seq++) {
      link.send(batch(seq, 1, 6));
    }
    assertTrue(link.awaitAcknowledged(STREAM, 6, WAIT));
    for (FakeState s : states) {
      assertEquals(oneTo(6), sequences(s), s.name);
    }
  }

  /** Produces {@code last} batches like an MRT import: re-produces identical ones on a rewind. */
  static final class ReplayingSource implements StateLink.StreamSource {
    final StateLink link;
    final long last;
    final long pauseAfter;
    final CountDownLatch resume = new CountDownLatch(1);
    final List<Long> rewinds = new ArrayList<>();
    volatile long rewindTo = -1;
    final Thread thread;
    volatile Throwable failed;
    volatile boolean done;

    ReplayingSource(StateLink link, long last, long pauseAfter) {
      this.link = link;
      this.last = last;
      this.pauseAfter = pauseAfter;
      link.register(STREAM, this);
      thread = new Thread(this::run, "replaying-source");
      thread.setDaemon(true);
    }

    @Override
    public synchronized void rewind(String stream, long sequence) {
      rewinds.add(sequence);
      rewindTo = sequence;
    }

    synchronized List<Long> rewinds() {
      return List.copyOf(rewinds);
    }

    void run() {
      try {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long from = 0;
        while (System.nanoTime() < deadline) {
          rewindTo = -1;
          for (long seq = from + 1; seq <= last && rewindTo < 0; seq++) {
            link.send(batch(seq, 200, last));
            if (seq == pauseAfter && resume.getCount() > 0) {
              assertTrue(resume.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
          }
          while (rewindTo < 0 && !link.awaitAcknowledged(STREAM, last, Duration.ofMillis(100))) {
            if (System.nanoTime() > deadline) {
              return;
            }
          }
          if (rewindTo < 0) {
            done = true;
            return;
          }
          from = rewindTo;
        }
      } catch (Throwable t) {
        failed = t;
      }
    }
  }

  @Test
  void aRestartedShardGetsTheReplayedBatchesTheOthersDropThem() throws Exception {
    List<FakeState> states = states(3);
    StateLink link = sharded(states);
    long last = 20;
    long pause = 12;
    ReplayingSource src = new ReplayingSource(link, last, pause);
    src.thread.start();
    FakeState restarted = states.get(1);
    await("state-1 applied the first " + pause, () -> restarted.position(STREAM) == pause);

    restarted.restart(STREAM, 5); // it lost batches 6..12
    await("the source was told to rewind", () -> !src.rewinds().isEmpty());
    assertEquals(List.of(5L), src.rewinds(), "rewound to the restarted shard's position");
    src.resume.countDown();
    src.thread.join(WAIT.toMillis());
    assertTrue(src.done, "source finished (failed: " + src.failed + ")");

    List<RouteEventBatch> all = new ArrayList<>();
    for (long seq = 1; seq <= last; seq++) {
      all.add(batch(seq, 200, last));
    }
    for (FakeState s : states) {
      assertEquals(oneTo(last), sequences(s), "each batch once, in order, on " + s.name);
      assertEquals(0, s.gaps(), s.name);
      assertEquals(
          0, s.duplicates(), "the links that had them dropped the replayed copies: " + s.name);
    }
    assertExactlyOnceOnOwners(states, all);
    assertEquals(last, link.acknowledged(STREAM));
  }

  /** A live feed: sequences only go forward; a rewind asks for the table again. */
  static final class LiveSource implements StateLink.StreamSource {
    final AtomicInteger redumps = new AtomicInteger();
    final AtomicLong rewindArg = new AtomicLong(Long.MIN_VALUE);

    @Override
    public void rewind(String stream, long sequence) {
      rewindArg.set(sequence);
      redumps.incrementAndGet();
    }

    @Override
    public boolean replays() {
      return false;
    }
  }

  @Test
  void aRestartedShardOfALiveStreamGetsTheReDumpUnderItsOwnSequences() throws Exception {
    List<FakeState> states = states(3);
    StateLink link = sharded(states);
    LiveSource src = new LiveSource();
    link.register(STREAM, src);
    for (long seq = 1; seq <= 10; seq++) {
      link.send(batch(seq, 50, 0));
    }
    assertTrue(link.awaitAcknowledged(STREAM, 10, WAIT));

    FakeState restarted = states.get(2);
    restarted.restart(STREAM, 4); // lost 5..10
    await("the live source was asked for its table", () -> src.redumps.get() == 1);
    assertEquals(-1, src.rewindArg.get(), "the live source keeps its sequence");
    await("state-2 link back up", link::isConnected);
    // The next batches (the re-dump, then new updates) continue the source's sequence 11...
    for (long seq = 11; seq <= 15; seq++) {
      link.send(batch(seq, 50, 15));
    }
    assertTrue(
        link.awaitAcknowledged(STREAM, 15, WAIT), "acknowledged " + link.acknowledged(STREAM));
    assertEquals(15, link.acknowledged(STREAM));

    assertEquals(oneTo(15), sequences(states.get(0)));
    assertEquals(oneTo(15), sequences(states.get(1)));
    // ... which the restarted shard takes as 5..9, right after its position.
    List<RouteEventBatch> got = restarted.applied();
    assertEquals(oneTo(9), sequences(restarted));
    assertEquals(0, restarted.gaps());
    RouteEventBatch fifth = got.get(4);
    RouteEventBatch eleventh = batch(11, 50, 15);
    assertEquals(
        eleventh.getEventsList().stream()
            .filter(e -> !e.hasPrefix() || new ShardRing(NAMES).owner(e.getPrefix()) == 2)
            .toList(),
        fifth.getEventsList(),
        "the shard's batch 5 is the source's batch 11");
    assertTrue(got.get(8).getEndOfStream());
  }

  @Test
  void unshardedTheSameLinkRewindsAsBefore() throws Exception {
    FakeState state = states(1).get(0);
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", state.port()).usePlaintext().build();
    closing.add(() -> ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    StateLink link = started(config(Map.of()), ch);
    long last = 16;
    ReplayingSource src = new ReplayingSource(link, last, 10);
    src.thread.start();
    await("state applied the first 10", () -> state.position(STREAM) == 10);
    state.restart(STREAM, 3);
    await("the source was told to rewind", () -> !src.rewinds().isEmpty());
    assertEquals(List.of(3L), src.rewinds());
    src.resume.countDown();
    src.thread.join(WAIT.toMillis());
    assertTrue(src.done, "source finished (failed: " + src.failed + ")");
    assertEquals(oneTo(last), sequences(state));
    assertEquals(0, state.gaps());
    assertEquals(last, link.acknowledged(STREAM));
    // Historical metric names, no shard tag.
    SimpleMeterRegistry metrics = (SimpleMeterRegistry) link.registry;
    assertEquals(1.0, metrics.get("routewatch_collector_state_link_connected").gauge().value());
    assertTrue(
        metrics
            .get("routewatch_collector_state_link_connected")
            .gauge()
            .getId()
            .getTags()
            .isEmpty());
  }

  /**
   * A stream state acknowledged before the collector restarted (the journal's older files): the new
   * process sends none of it, yet a state that later holds less (restored from an older snapshot)
   * gets it re-sent from where it stands.
   */
  @Test
  void aStreamAcknowledgedBeforeThisRunIsRewoundWhenStateLosesIt() throws Exception {
    FakeState state = states(1).get(0);
    state.restart(STREAM, 0); // an empty stream known to state...
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", state.port()).usePlaintext().build();
    closing.add(() -> ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    // ...which a first run of the collector sends whole: batches 1..6
    StateLink first = started(config(Map.of()), ch);
    for (long seq = 1; seq <= 6; seq++) {
      first.send(batch(seq, 20, 6));
    }
    assertTrue(first.awaitAcknowledged(STREAM, 6, WAIT));
    first.onStop(null);

    // the collector restarts: state holds 6, so the source resumes after it and sends nothing
    ManagedChannel ch2 =
        NettyChannelBuilder.forAddress("127.0.0.1", state.port()).usePlaintext().build();
    closing.add(() -> ch2.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    StateLink link = started(config(Map.of()), ch2);
    await("the new link is connected", link::isConnected);
    assertEquals(6L, link.positions().get(STREAM));
    List<Long> rewinds = new java.util.concurrent.CopyOnWriteArrayList<>();
    link.register(
        STREAM,
        new StateLink.StreamSource() {
          @Override
          public void rewind(String stream, long sequence) {
            rewinds.add(sequence);
          }

          @Override
          public boolean replays() {
            return true;
          }
        });
    link.acknowledgedBefore(STREAM, 6);
    assertEquals(6, link.acknowledged(STREAM));

    // state restored from a snapshot at 2: the link says so, the source re-sends 3..6
    state.restart(STREAM, 2);
    await("the source was told to rewind", () -> !rewinds.isEmpty());
    assertEquals(List.of(2L), rewinds);
    for (long seq = 3; seq <= 6; seq++) {
      link.send(batch(seq, 20, 6));
    }
    assertTrue(link.awaitAcknowledged(STREAM, 6, WAIT));
    assertEquals(oneTo(6), sequences(state));
    assertEquals(0, state.gaps());
  }

  @Test
  void aBadShardEntryFailsTheStartNamingIt() {
    for (String bad :
        List.of(
            "state-0=127.0.0.1:9001,state-1",
            "state-0=127.0.0.1:9001,=127.0.0.1:9002",
            "state-0=127.0.0.1:notaport",
            "state-0=127.0.0.1:70000",
            "state-0=::1:9001",
            "state-0=127.0.0.1:9001,state-0=127.0.0.1:9002")) {
      SmallRyeConfig cfg = config(Map.of("routewatch.collector.state-shards", bad));
      StateLink link = new StateLink();
      link.config = cfg.getConfigMapping(CollectorConfig.class);
      link.registry = new SimpleMeterRegistry();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> link.start(cfg), bad);
      assertTrue(
          e.getMessage().startsWith("routewatch.collector.state-shards: bad entry \""),
          e.getMessage());
      assertFalse(link.isConnected());
    }
    SmallRyeConfig cfg = config(Map.of("routewatch.collector.state-shards", "state-1"));
    StateLink link = new StateLink();
    link.config = cfg.getConfigMapping(CollectorConfig.class);
    link.registry = new SimpleMeterRegistry();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> link.start(cfg));
    assertTrue(e.getMessage().contains("\"state-1\""), e.getMessage());

    assertEquals(
        List.of(
            new StateShards.Shard("a", "127.0.0.1", 9001),
            new StateShards.Shard("b", "::1", 9002),
            new StateShards.Shard("c", "state-2.state", 8082)),
        StateShards.parse(List.of(" a=127.0.0.1:9001", "b=[::1]:9002 ", "c=state-2.state:8082")));
  }
}
