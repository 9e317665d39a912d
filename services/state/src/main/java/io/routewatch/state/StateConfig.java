package io.routewatch.state;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** State settings ({@code routewatch.state.*}; env {@code ROUTEWATCH_STATE_*}). */
@ConfigMapping(prefix = "routewatch.state")
public interface StateConfig {
  Journal journal();

  interface Journal {
    /** How long journal entries are kept; subscribers further behind get OUT_OF_RANGE. */
    @WithDefault("30d")
    Duration retention();

    /** A heartbeat is sent on an idle subscription this often. */
    @WithDefault("5s")
    Duration heartbeat();
  }
}
