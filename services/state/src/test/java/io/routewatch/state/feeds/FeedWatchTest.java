package io.routewatch.state.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.Source;
import io.routewatch.proto.v1.VantagePoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rhythm learner and the stale judgement, on a simulated clock: a steady feed is never stale, a
 * silent one is stale after k times its gap (within the check interval), it resumes on its next
 * message, nothing is judged while learning, and feeds closed on purpose are not stale.
 */
class FeedWatchTest {
  static final long S = 1_000_000_000L;
  static final long CHECK = S / 4; // the monitor's check interval

  /** Shipped defaults (StateConfig.Feeds). */
  static FeedPolicy defaults() {
    return new FeedPolicy(
        4,
        Duration.ofSeconds(1),
        Duration.ofHours(1),
        20,
        Duration.ofSeconds(60),
        Duration.ofMinutes(30),
        4096,
        true);
  }

  static VantagePoint vp(int i) {
    return VantagePoint.newBuilder()
        .setPeerAddress(ByteString.copyFrom(new byte[] {(byte) 192, 0, 2, (byte) (i + 1)}))
        .setPeerAsn(65101 + i)
        .setCollector("rrc00")
        .build();
  }

  static RouteEventBatch batch(FeedKind kind, String stream, boolean end, int... vps) {
    RouteEventBatch.Builder b =
        RouteEventBatch.newBuilder()
            .setCollector("ris-live")
            .setStreamId(stream)
            .setSequence(1)
            .setEndOfStream(end)
            .setSource(Source.newBuilder().setCollector("ris-live").setFeed(kind));
    for (int i = 0; i < vps.length; i++) {
      b.addVantagePoints(vp(vps[i]));
      b.addEvents(RouteEvent.newBuilder().setKind(EventKind.ANNOUNCE).setVpRef(i));
    }
    return b.build();
  }

  static RouteEventBatch ris(int... vps) {
    return batch(FeedKind.RIS_LIVE, "rislive/1733500000000", false, vps);
  }

  /** Drives a watch on a simulated clock, checking every 250 ms as the monitor does. */
  static final class Clock {
    final FeedWatch w;
    long now = 1_000 * S;
    long nextCheck = now;
    final List<FeedWatch.FeedChange> changes = new ArrayList<>();
    final List<Long> at = new ArrayList<>();

    Clock(FeedPolicy p) {
      w = new FeedWatch(p);
    }

    void advance(long nanos) {
      long end = now + nanos;
      while (nextCheck <= end) {
        now = nextCheck;
        record(w.check(now));
        nextCheck += CHECK;
      }
      now = end;
    }

    void send(RouteEventBatch b) {
      record(w.batch(b, now, now / 1000));
    }

    void record(List<FeedWatch.FeedChange> cs) {
      for (FeedWatch.FeedChange c : cs) {
        changes.add(c);
        at.add(now);
      }
    }
  }

  @Test
  void namesSourcesAndVps() {
    assertEquals("rislive:ris-live", FeedWatch.sourceName(ris(0)));
    assertEquals(
        "bmp:10.0.0.1", FeedWatch.sourceName(batch(FeedKind.BMP, "bmp/10.0.0.1/1733", false)));
    assertEquals(
        "bgp:10.0.0.2", FeedWatch.sourceName(batch(FeedKind.BGP, "bgp/10.0.0.2/1733", false)));
    assertEquals(null, FeedWatch.sourceName(batch(FeedKind.MRT_UPDATES, "import/7", false)));
    assertEquals("vp:rrc00/192.0.2.1/AS65101", FeedWatch.vpName(ris(0), vp(0)));
  }

  @Test
  void steadyFeedIsNeverStale() {
    Random r = new Random(15);
    for (int trial = 0; trial < 40; trial++) {
      // usual gap from 0.05 s to 7 min, jitter up to ±50 %
      long gap = (long) (0.05 * S * Math.pow(8400, r.nextDouble()));
      double jitter = r.nextDouble() * 0.5;
      Clock c = new Clock(defaults());
      int messages = 200;
      for (int i = 0; i < messages; i++) {
        c.send(ris(i % 3));
        c.advance((long) (gap * (1 + jitter * (2 * r.nextDouble() - 1))));
      }
      assertTrue(
          c.changes.isEmpty(),
          "gap " + gap / 1e9 + " s ±" + (int) (jitter * 100) + " %: " + c.changes);
    }
  }

  @Test
  void silentFeedIsStaleAfterItsRhythmAndResumes() {
    Random r = new Random(16);
    for (int trial = 0; trial < 30; trial++) {
      long gap = (long) (S * (1 + r.nextDouble() * 100)); // 1 s .. 101 s
      Clock c = new Clock(defaults());
      for (int i = 0; i < 30; i++) {
        c.send(ris());
        c.advance(gap);
      }
      c.send(ris());
      long lastAt = c.now;
      c.advance(40 * 60 * S); // the whole feed stops: only the timer can tell
      assertEquals(1, c.changes.size(), "one stale report: " + c.changes);
      FeedWatch.FeedChange stale = c.changes.get(0);
      assertTrue(stale.stale());
      assertEquals("rislive:ris-live", stale.feed());
      assertEquals(lastAt / 1000, stale.timeMicros(), "stamped with its last message");
      long expected = Math.max(60 * S, 4 * gap);
      long after = c.at.get(0) - lastAt;
      assertTrue(
          after > expected && after <= expected + CHECK,
          "gap " + gap / 1e9 + " s: stale after " + after / 1e9 + " s, expected " + expected / 1e9);
      c.send(ris());
      assertEquals(2, c.changes.size());
      assertFalse(c.changes.get(1).stale(), "resumed on its next message");
      assertEquals(c.now / 1000, c.changes.get(1).timeMicros());
      // the outage was not learned as rhythm: silent again, stale again after the same time
      for (int i = 0; i < 3; i++) {
        c.advance(gap);
        c.send(ris());
      }
      long again = c.now;
      c.advance(40 * 60 * S);
      assertEquals(3, c.changes.size());
      assertTrue(c.at.get(2) - again <= expected + CHECK, "rhythm kept after the outage");
    }
  }

  @Test
  void notJudgedWhileLearning() {
    Clock c = new Clock(defaults());
    for (int i = 0; i < 19; i++) { // one short of min-observations gaps
      c.send(ris());
      c.advance(S);
    }
    c.send(ris());
    c.advance(40 * 60 * S);
    assertTrue(c.changes.isEmpty(), "19 gaps learned: not judged: " + c.changes);
    // a burst (a table load) is one observation per floor, not one per batch
    Clock b = new Clock(defaults());
    for (int i = 0; i < 1000; i++) {
      b.send(ris(0, 1, 2));
      b.advance(S / 200);
    }
    b.advance(40 * 60 * S);
    assertTrue(b.changes.isEmpty(), "5 s of burst is 5 observations: " + b.changes);
  }

  @Test
  void sparseFeedIsNotJudged() {
    Clock c = new Clock(defaults());
    for (int i = 0; i < 30; i++) { // every 10 min: 4x is past stale-after-max 30m
      c.send(ris());
      c.advance(10 * 60 * S);
    }
    c.advance(5 * 3600 * S);
    assertTrue(c.changes.isEmpty(), "too sparse to judge: " + c.changes);
  }

  @Test
  void bgpSessionsAreNotJudged() {
    Clock c = new Clock(defaults());
    RouteEventBatch b = batch(FeedKind.BGP, "bgp/10.0.0.2/1733", false, 0);
    for (int i = 0; i < 30; i++) {
      c.send(b);
      c.advance(S);
    }
    c.advance(3600 * S);
    assertTrue(c.changes.isEmpty(), "a quiet BGP session is not stale: " + c.changes);
    assertEquals(1, c.w.stats().sources(), "but tracked for its silence metric");
  }

  @Test
  void silentVpIsStaleWhileItsSourceIsNot() {
    Clock c = new Clock(defaults());
    for (int i = 0; i < 30; i++) {
      c.send(ris(0, 1));
      c.advance(S);
    }
    for (int i = 0; i < 100; i++) { // VP 1 stops, VP 0 goes on
      c.send(ris(0));
      c.advance(S);
    }
    assertEquals(1, c.changes.size(), c.changes.toString());
    assertEquals("vp:rrc00/192.0.2.2/AS65102", c.changes.get(0).feed());
    assertEquals(FeedWatch.Level.VP, c.changes.get(0).level());
    assertTrue(c.at.get(0) - (1_000 * S + 29 * S) <= 61 * S + CHECK);
    c.send(ris(1));
    assertFalse(c.changes.get(1).stale());
    assertEquals("vp:rrc00/192.0.2.2/AS65102", c.changes.get(1).feed());
  }

  @Test
  void wholeSourceSilentIsOneReportWithItsVps() {
    Clock c = new Clock(defaults());
    for (int i = 0; i < 30; i++) {
      c.send(ris(0, 1, 2));
      c.advance(S);
    }
    c.advance(3600 * S);
    assertEquals(1, c.changes.size(), "the source, not its VPs: " + c.changes);
    assertEquals(3, c.changes.get(0).vpCount());
    c.send(ris(0));
    assertEquals(2, c.changes.size());
    assertFalse(c.changes.get(1).stale());
    // its VPs count silence from the resume, not from before the outage
    for (int i = 0; i < 30; i++) {
      c.advance(S);
      c.send(ris(0, 1, 2));
    }
    assertEquals(2, c.changes.size(), c.changes.toString());
  }

  @Test
  void closedFeedsAreNotStale() {
    Clock c = new Clock(defaults());
    for (int i = 0; i < 30; i++) {
      c.send(ris(0, 1));
      c.advance(S);
    }
    // VP 1's session goes down: PEER_DOWN, not staleness
    c.send(
        RouteEventBatch.newBuilder(ris())
            .addVantagePoints(vp(1))
            .addEvents(RouteEvent.newBuilder().setKind(EventKind.PEER_DOWN).setVpRef(0))
            .build());
    for (int i = 0; i < 100; i++) {
      c.send(ris(0));
      c.advance(S);
    }
    assertTrue(c.changes.isEmpty(), c.changes.toString());
    // the collector closes the stream on purpose (end-of-stream)
    c.send(batch(FeedKind.RIS_LIVE, "rislive/1733500000000", true));
    c.advance(3600 * S);
    assertTrue(c.changes.isEmpty(), c.changes.toString());
    assertEquals(0, c.w.size());
  }

  @Test
  void staleSourceClosedStaysStaleUntilHeard() {
    Clock c = new Clock(defaults());
    for (int i = 0; i < 30; i++) {
      c.send(ris(0));
      c.advance(S);
    }
    c.advance(120 * S);
    assertEquals(1, c.changes.size());
    // the collector gives up on it (idle timeout) or stops: still no data from this feed
    c.send(batch(FeedKind.RIS_LIVE, "rislive/1733500000000", true));
    c.advance(3600 * S);
    assertEquals(1, c.changes.size(), c.changes.toString());
    assertEquals(1, c.w.stats().staleSources());
    // a new connection (new stream, same feed) resumes it
    c.send(batch(FeedKind.RIS_LIVE, "rislive/1733500999000", false, 0));
    assertEquals(2, c.changes.size());
    assertFalse(c.changes.get(1).stale());
    assertEquals("rislive:ris-live", c.changes.get(1).feed());
  }

  @Test
  void staleVpThatGoesDownResolves() {
    Clock c = new Clock(defaults());
    for (int i = 0; i < 30; i++) {
      c.send(ris(0, 1));
      c.advance(S);
    }
    for (int i = 0; i < 70; i++) {
      c.send(ris(0));
      c.advance(S);
    }
    assertEquals(1, c.changes.size());
    c.send(
        RouteEventBatch.newBuilder(ris())
            .addVantagePoints(vp(1))
            .addEvents(RouteEvent.newBuilder().setKind(EventKind.PEER_DOWN).setVpRef(0))
            .build());
    assertEquals(2, c.changes.size());
    assertFalse(c.changes.get(1).stale());
    assertTrue(c.changes.get(1).detail().endsWith("closed"));
  }

  @Test
  void statePausedIsNotTheFeedsSilence() {
    Clock c = new Clock(defaults());
    for (int i = 0; i < 30; i++) {
      c.send(ris());
      c.advance(S);
    }
    // the writer held (journal full) for 10 min: no check ran, no batch was applied
    c.now += 600 * S;
    c.nextCheck = c.now;
    c.advance(30 * S);
    assertTrue(c.changes.isEmpty(), c.changes.toString());
    c.advance(60 * S);
    assertEquals(1, c.changes.size(), "silent after the pause: stale in due time");
  }

  @Test
  void carriedStaleFeedResumesOnItsFirstMessage() {
    Clock c = new Clock(defaults());
    c.w.carryStale("rislive:ris-live", 5);
    c.advance(3600 * S);
    assertTrue(c.changes.isEmpty());
    c.send(ris());
    assertEquals(1, c.changes.size());
    assertFalse(c.changes.get(0).stale());
  }

  @Test
  void trackedFeedsAreCapped() {
    FeedPolicy p = defaults();
    FeedPolicy small =
        new FeedPolicy(
            p.multiplier(),
            p.floor(),
            p.halfLife(),
            p.minObservations(),
            p.staleAfterMin(),
            p.staleAfterMax(),
            8,
            true);
    Clock c = new Clock(small);
    for (int i = 0; i < 100; i++) {
      c.send(ris(i));
      c.advance(S / 10);
    }
    assertEquals(8, c.w.size());
    assertEquals(93, c.w.evicted(), "1 source + 100 VPs into 8");
    c.advance(S);
    assertEquals(1, c.w.stats().sources());
    assertEquals(7, c.w.stats().vps());
  }
}
