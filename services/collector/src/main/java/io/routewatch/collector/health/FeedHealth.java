package io.routewatch.collector.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Feed health per source kind and vantage point / router, as Prometheus metrics ({@code
 * routewatch_collector_feed_*}): last message age, messages per second, session state and
 * reconnects. Labels stay bounded: {@code source} is bgp, bmp or rislive; {@code peer} is a
 * configured neighbour's or router's name, {@code other} for any unconfigured one, or the source
 * itself for single-connection feeds (RIS Live).
 */
@ApplicationScoped
public class FeedHealth {
  /** Label for peers and routers that are not in the configuration. */
  public static final String OTHER = "other";

  @Inject MeterRegistry registry;

  public FeedHealth() {}

  /** Outside CDI (tests). */
  public FeedHealth(MeterRegistry registry) {
    this.registry = registry;
  }

  private final ConcurrentMap<String, Feed> feeds = new ConcurrentHashMap<>();

  /** The health handle for (source, peer label); created with all series at 0. */
  public Feed feed(String source, String peer) {
    return feeds.computeIfAbsent(source + "\0" + peer, k -> new Feed(registry, source, peer));
  }

  public Collection<Feed> all() {
    return List.copyOf(feeds.values());
  }

  /** One (source, peer) series set. Thread-safe. */
  public static final class Feed {
    private final String source;
    private final String peer;
    private final Counter messages;
    private final Counter reconnects;
    private final Counter sessions;
    private volatile long lastNanos;
    private volatile long lastWallMillis;
    private volatile int state = 1; // RFC 4271 FSM number: 1 Idle .. 6 Established
    private final RateWindow rate = new RateWindow();

    Feed(MeterRegistry r, String source, String peer) {
      this.source = source;
      this.peer = peer;
      messages =
          Counter.builder("routewatch_collector_feed_messages_total")
              .tag("source", source)
              .tag("peer", peer)
              .description("Messages received from the feed")
              .register(r);
      reconnects =
          Counter.builder("routewatch_collector_feed_reconnects_total")
              .tag("source", source)
              .tag("peer", peer)
              .description("Sessions or connections re-established after a loss")
              .register(r);
      sessions =
          Counter.builder("routewatch_collector_feed_sessions_total")
              .tag("source", source)
              .tag("peer", peer)
              .description("Sessions or connections established")
              .register(r);
      Gauge.builder("routewatch_collector_feed_last_message_age_seconds", this, Feed::ageSeconds)
          .tag("source", source)
          .tag("peer", peer)
          .description("Seconds since the last message (-1 before the first)")
          .register(r);
      Gauge.builder(
              "routewatch_collector_feed_messages_per_second",
              this,
              f -> f.rate.perSecond(System.nanoTime()))
          .tag("source", source)
          .tag("peer", peer)
          .description("Messages per second over the last ~10 s")
          .register(r);
      Gauge.builder("routewatch_collector_feed_session_state", this, f -> f.state)
          .tag("source", source)
          .tag("peer", peer)
          .description(
              "Session state: RFC 4271 FSM number (1 Idle .. 6 Established); BMP/RIS Live 6 connected, 1 not")
          .register(r);
    }

    public void message() {
      long now = System.nanoTime();
      lastNanos = now;
      lastWallMillis = System.currentTimeMillis();
      messages.increment();
      rate.add(now);
    }

    public void state(int fsmState) {
      state = fsmState;
    }

    /** A session/connection came up; {@code again} when it had been up before. */
    public void established(boolean again) {
      sessions.increment();
      if (again) {
        reconnects.increment();
      }
    }

    public int state() {
      return state;
    }

    public String source() {
      return source;
    }

    public String peer() {
      return peer;
    }

    public double messages() {
      return messages.count();
    }

    public double reconnects() {
      return reconnects.count();
    }

    public long lastMessageWallMillis() {
      return lastWallMillis;
    }

    public double ageSeconds() {
      long last = lastNanos;
      return last == 0 ? -1 : (System.nanoTime() - last) / 1e9;
    }

    public double perSecond() {
      return rate.perSecond(System.nanoTime());
    }
  }

  /** Messages per second over ten one-second buckets. */
  static final class RateWindow {
    private final long[] buckets = new long[10];
    private long bucketSecond = -1;

    synchronized void add(long nanos) {
      roll(nanos / 1_000_000_000L);
      buckets[(int) (bucketSecond % buckets.length)]++;
    }

    synchronized double perSecond(long nanos) {
      roll(nanos / 1_000_000_000L);
      long sum = 0;
      for (long b : buckets) {
        sum += b;
      }
      return sum / (double) buckets.length;
    }

    private void roll(long second) {
      if (bucketSecond < 0) {
        bucketSecond = second;
        return;
      }
      for (long s = bucketSecond + 1; s <= second && s <= bucketSecond + buckets.length; s++) {
        buckets[(int) (s % buckets.length)] = 0;
      }
      if (second > bucketSecond) {
        bucketSecond = second;
      }
    }
  }
}
