package io.routewatch.state;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The web page's settings ({@code routewatch.web.*}). */
@ConfigMapping(prefix = "routewatch.web")
public interface WebConfig {
  /**
   * Alert service REST base URL (open alerts, watch list); unset or unreachable: the page says so.
   */
  Optional<String> alertUrl();

  /** Networks the page shows when the alert service's watch list is not available. */
  @WithDefault("AS131279")
  List<String> networks();

  /** How long one SSE wait for the change journal lasts before a keep-alive tick. */
  @WithDefault("15s")
  Duration keepAlive();

  /**
   * Pages following {@code /web/live} at once; one more gets 503 with {@code Retry-After: 30}. They
   * hold no thread each (one thread sends every tick).
   */
  @WithDefault("256")
  int maxLiveClients();

  /** Timeout of calls to the alert service. */
  @WithDefault("2s")
  Duration alertTimeout();
}
