package io.routewatch.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 acceptance 3, route leaks: the leak scenario files played end to end through real ExaBGP
 * on shipped defaults, as {@link HijackScenariosIT} plays the hijack ones (the scenario's {@code
 * relationships} reach state as {@code routewatch.state.relationships.overrides}).
 */
@Tag("serial") // see e2e/pom.xml: plays a scenario timeline
class LeakScenariosIT {
  /**
   * A customer of two transit networks passes one's route to the other (RFC 7908 type 1); four of
   * ten VPs take the leaked path, then all go back: one RouteLeak naming the leaker and the
   * segment, firing after the shipped hold and resolving after the shipped clear time, nothing
   * else.
   */
  @Test
  void type1RouteLeak() throws Exception {
    ScenarioPlay.play("type1-route-leak.yaml");
  }

  /**
   * A watched transit AS carries a route from a downstream it never had, seen by four of ten VPs,
   * then no more: one NewNeighbor naming the neighbour and its side, firing after the shipped hold
   * and resolving after the shipped clear time, nothing else.
   */
  @Test
  void newDownstreamNeighbor() throws Exception {
    ScenarioPlay.play("new-neighbor.yaml");
  }
}
