package io.routewatch.state.rib;

import io.routewatch.state.country.CountryRegistry;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.util.List;
import java.util.function.Consumer;

/**
 * The small table the change-event tests of this package start from: four VPs (collector rrc00,
 * peer addresses 10.9.9.0–3, peer ASNs 100..400) each load P1 and P2 of AS65001 via AS10 in their
 * initial table dump, and end it.
 */
final class SmallTable {
  static final long S = 1_000_000L;
  static final long T0 = 1_000 * S;
  static final RouteAttributes A = RouteAttributes.NONE;
  static final Prefix P1 = Prefix.parse("10.0.0.0/24");
  static final Prefix P2 = Prefix.parse("10.0.1.0/24");

  /** Full feed at 2 prefixes / 1; outage and settle times of a minute (clear ten). */
  static final EngineConfig CONFIG =
      EngineConfig.defaults()
          .withFullFeed(2, 1)
          .withOutage(0.5, 0.5, 60 * S, 60 * S)
          .withSettle(60 * S, 600 * S);

  private SmallTable() {}

  /**
   * A new engine on {@code cfg} whose changes go to {@code sink}, set up by {@code before} (the
   * relationships, a watch list) and then loaded with the table; the VP ids go to {@code vp}.
   */
  static RoutingEngine load(
      EngineConfig cfg, List<ChangeEvent> sink, int[] vp, Consumer<RoutingEngine> before) {
    RoutingEngine rib = new RoutingEngine(cfg, CountryRegistry.empty(), sink::add);
    before.accept(rib);
    for (int i = 0; i < 4; i++) {
      vp[i] = rib.vantagePoint("rrc00", new byte[] {10, 9, 9, (byte) i}, 100 * (i + 1), 0);
      rib.ribDumpBegin(vp[i], T0);
      for (Prefix p : List.of(P1, P2)) {
        rib.announce(vp[i], p, 0, path(i, "10 65001"), A, T0);
      }
    }
    for (int i = 0; i < 4; i++) {
      rib.ribDumpEnd(vp[i], T0 + S);
    }
    return rib;
  }

  /** VP {@code vpIndex}'s path: its peer AS, then {@code rest}. */
  static AsPath path(int vpIndex, String rest) {
    return AsPath.parse((100 * (vpIndex + 1)) + " " + rest);
  }
}
