package io.routewatch.collector.rislive;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.publish.LiveStream;
import io.routewatch.collector.publish.LiveStreams;
import io.routewatch.proto.v1.FeedKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Runs the RIS Live client when {@code routewatch.collector.ris-live.url} is set. Its events go to
 * one stream ({@code rislive/<start-ms>}). RIS Live cannot replay the past, so a rewind after a
 * state restart only continues the sequence; routes re-appear as RIS sends them.
 */
@ApplicationScoped
public class RisLiveFeed {
  private static final Logger LOG = Logger.getLogger(RisLiveFeed.class);

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;
  @Inject LiveStreams streams;
  @Inject FeedHealth health;

  private RisLiveClient client;
  private LiveStream stream;

  void onStart(@Observes StartupEvent ev) {
    if (config.risLive().url().isEmpty()) {
      return;
    }
    RisLiveSettings s = RisLiveSettings.of(config.risLive());
    stream = streams.open("ris-live", "rislive/" + System.currentTimeMillis(), FeedKind.RIS_LIVE);
    stream.onRewind(() -> LOG.warn("state lost RIS Live events; RIS Live cannot replay them"));
    client = new RisLiveClient(s, stream::offer, registry, health.feed("rislive", "rislive"));
    client.start();
    LOG.infof("RIS Live client for %s", s.url());
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (client != null) {
      client.close();
      stream.close(Duration.ofSeconds(5));
    }
  }
}
