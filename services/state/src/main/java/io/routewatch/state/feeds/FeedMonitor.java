package io.routewatch.state.feeds;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.servicekit.db.SchemaMigrator;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.StateConfig;
import io.routewatch.state.changes.ChangeJournal;
import io.routewatch.state.changes.JournalEntry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Journals {@code FEED_STALE} / {@code FEED_RESUMED} for live feeds silent beyond their learned
 * rhythm ({@link FeedWatch}, settings {@code routewatch.state.feeds.*}). The ingest writer calls
 * {@link #batch} for every batch it applied and {@link #tick} on its clock tick, so every change is
 * journaled on the writer thread like the engine's. After a restart, feeds whose last journaled
 * feed change was {@code FEED_STALE} count as stale until they are heard again.
 *
 * <p>Metrics: {@code routewatch_state_feeds_tracked{level}}, {@code
 * routewatch_state_feeds_stale{level}} (level {@code source} or {@code vp}), {@code
 * routewatch_state_feed_silence_seconds{feed}} per source (bounded by {@code max-feeds}), {@code
 * routewatch_state_feeds_evicted_total}.
 */
@ApplicationScoped
public class FeedMonitor {
  private static final Logger LOG = Logger.getLogger(FeedMonitor.class);

  /** Feeds are judged at most this often (the writer ticks every 100 ms). */
  private static final long CHECK_NANOS = 250_000_000L;

  @Inject StateConfig config;
  @Inject ChangeJournal journal;
  @Inject SchemaMigrator schema;
  @Inject MeterRegistry registry;

  private FeedWatch watch;
  private boolean enabled;
  private long nextCheck;
  private MultiGauge silence;

  @PostConstruct
  void init() {
    StateConfig.Feeds f = config.feeds();
    enabled = f.enabled();
    try {
      watch =
          new FeedWatch(
              new FeedPolicy(
                  f.multiplier(),
                  f.floor(),
                  f.halfLife(),
                  f.minObservations(),
                  f.staleAfterMin(),
                  f.staleAfterMax(),
                  f.maxFeeds(),
                  f.vantagePoints()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("routewatch.state.feeds: " + e.getMessage(), e);
    }
    for (String level : List.of("source", "vp")) {
      boolean src = level.equals("source");
      Gauges.gauge(
          registry,
          "routewatch_state_feeds_tracked",
          Tags.of("level", level),
          this,
          m -> src ? m.watch.stats().sources() : m.watch.stats().vps());
      Gauges.gauge(
          registry,
          "routewatch_state_feeds_stale",
          Tags.of("level", level),
          this,
          m -> src ? m.watch.stats().staleSources() : m.watch.stats().staleVps());
    }
    FunctionCounter.builder("routewatch_state_feeds_evicted_total", watch, FeedWatch::evicted)
        .description("Feeds no longer tracked to stay within max-feeds")
        .register(registry);
    silence =
        MultiGauge.builder("routewatch_state_feed_silence_seconds")
            .description("Seconds since the source's last batch")
            .register(registry);
    if (enabled) {
      carryStale();
    }
  }

  /** Feeds stale when state stopped: their last feed change in the journal is FEED_STALE. */
  private void carryStale() {
    try {
      schema.version();
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      JournalEntry.getEntityManager()
                          .createQuery(
                              "select e.kind, e.payload from JournalEntry e where e.kind in"
                                  + " (:stale, :resumed) order by e.seq")
                          .setParameter("stale", ChangeKind.FEED_STALE.name())
                          .setParameter("resumed", ChangeKind.FEED_RESUMED.name())
                          .setMaxResults(100_000)
                          .getResultList());
      Map<String, Long> stale = new LinkedHashMap<>();
      for (Object[] r : rows) {
        Change c = Change.parseFrom((byte[]) r[1]);
        if (c.getKind() == ChangeKind.FEED_STALE) {
          stale.put(c.getFeed(), c.getTimeMicros());
        } else {
          stale.remove(c.getFeed());
        }
      }
      stale.forEach(watch::carryStale);
      if (!stale.isEmpty()) {
        LOG.infof("%d feeds were stale when state stopped: %s", stale.size(), stale.keySet());
      }
    } catch (Exception e) {
      LOG.warnf("could not read stale feeds from the journal: %s", e.toString());
    }
  }

  /** Writer thread: a batch was applied. */
  public void batch(RouteEventBatch b) {
    if (enabled) {
      publish(watch.batch(b, System.nanoTime(), System.currentTimeMillis() * 1000));
    }
  }

  /** Writer thread, every clock tick: judges the feeds (a feed that sends nothing, too). */
  public void tick() {
    long now = System.nanoTime();
    if (!enabled || now - nextCheck < 0) {
      return;
    }
    nextCheck = now + CHECK_NANOS;
    publish(watch.check(now));
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (FeedWatch.SourceStatus s : watch.stats().sourceStatus()) {
      rows.add(MultiGauge.Row.of(Tags.of("feed", s.feed()), s.silenceSeconds()));
    }
    silence.register(rows, true);
  }

  private void publish(List<FeedWatch.FeedChange> changes) {
    for (FeedWatch.FeedChange f : changes) {
      Change.Builder b =
          Change.newBuilder()
              .setKind(f.stale() ? ChangeKind.FEED_STALE : ChangeKind.FEED_RESUMED)
              .setTimeMicros(f.timeMicros())
              .setMovedAtMicros(f.timeMicros())
              .setFeed(f.feed())
              .setVpCount(f.vpCount())
              .setDetail(f.detail());
      Change c = journal.append(b);
      registry.counter("routewatch_state_changes_total", "kind", c.getKind().name()).increment();
      if (f.stale()) {
        LOG.warnf("feed stale: %s", f.detail());
      } else {
        LOG.infof("feed resumed: %s", f.detail());
      }
    }
  }
}
