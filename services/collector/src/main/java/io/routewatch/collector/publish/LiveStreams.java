package io.routewatch.collector.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.proto.v1.FeedKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Opens {@link LiveStream}s with the configured batch size, linger and buffer bounds. */
@ApplicationScoped
public class LiveStreams {
  @Inject StateLink link;
  @Inject MeterRegistry registry;
  @Inject CollectorConfig config;

  public LiveStream open(String collector, String streamId, FeedKind feed) {
    return new LiveStream(
        link,
        registry,
        collector,
        streamId,
        feed,
        config.publish().batchSize(),
        config.publish().maxBatchBytes(),
        config.publish().lingerMax(),
        config.live().bufferEvents(),
        config.live().bufferWait());
  }
}
