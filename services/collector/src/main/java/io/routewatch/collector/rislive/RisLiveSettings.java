package io.routewatch.collector.rislive;

import io.routewatch.collector.CollectorConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** What the RIS Live client needs, taken from {@code routewatch.collector.ris-live.*}. */
public record RisLiveSettings(
    URI url,
    Optional<String> host,
    Optional<String> prefix,
    boolean moreSpecific,
    boolean lessSpecific,
    Optional<String> path,
    Optional<String> peer,
    Duration pingInterval,
    Duration idleTimeout,
    Duration reconnectMin,
    Duration reconnectMax,
    int maxMessageSize) {

  public static RisLiveSettings of(CollectorConfig.RisLive c) {
    return new RisLiveSettings(
        URI.create(c.url().orElseThrow()),
        c.host(),
        c.prefix(),
        c.moreSpecific(),
        c.lessSpecific(),
        c.path(),
        c.peer(),
        c.pingInterval(),
        c.idleTimeout(),
        c.reconnectMin(),
        c.reconnectMax(),
        c.maxMessageSize());
  }

  /** The RIS Live {@code ris_subscribe} message for these filters. */
  public String subscribeJson() {
    StringBuilder d = new StringBuilder();
    host.ifPresent(h -> d.append("\"host\":").append(quote(h)).append(','));
    prefix.ifPresent(
        p ->
            d.append("\"prefix\":")
                .append(quote(p))
                .append(",\"moreSpecific\":")
                .append(moreSpecific)
                .append(",\"lessSpecific\":")
                .append(lessSpecific)
                .append(','));
    path.ifPresent(p -> d.append("\"path\":").append(quote(p)).append(','));
    peer.ifPresent(p -> d.append("\"peer\":").append(quote(p)).append(','));
    d.append("\"socketOptions\":{\"includeRaw\":false}");
    return "{\"type\":\"ris_subscribe\",\"data\":{" + d + "}}";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
