package io.routewatch.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The type-1 route leak scenario (issue 19 acceptance 3): its {@code relationships} reach state as
 * {@code routewatch.state.relationships.overrides}, and it expects one RouteLeak that resolves; the
 * new-neighbour scenario expects one NewNeighbor that resolves.
 */
class LeakScenarioFileTest {
  private static final Path DIR = Path.of("..", "scenarios");

  @Test
  void relationshipsBecomeStateOverrides() throws Exception {
    Scenario s = ScenarioParser.parse(DIR.resolve("type1-route-leak.yaml"));
    assertFalse(s.isPending());
    String links = s.serviceConfig().get(ScenarioParser.RELATIONSHIPS_KEY);
    assertEquals("64496|64540|-1,64496|64499|-1,64497|64499|-1,64496|64497|0,3356|64497|-1", links);
    Map<String, String> env = ScenarioRunner.serviceEnv(s, s.speed());
    assertEquals(links, env.get("ROUTEWATCH_STATE_RELATIONSHIPS_OVERRIDES"));
    assertEquals(
        List.of("RouteLeak FIRING", "RouteLeak RESOLVED"),
        s.alerts().stream().map(a -> a.type() + " " + a.state()).toList());
    assertEquals("AS64499", s.alerts().get(0).labels().get("leaker"));
    assertEquals("64497 64499 64496", s.alerts().get(0).labels().get("segment"));
    // the leaked path holds the segment in path order: to AS64497, leaker AS64499, from AS64496
    assertEquals(
        List.of(3356L, 64497L, 64499L, 64496L, 64540L), s.vps().get(0).paths().get("leaked"));
  }

  @Test
  void theNewNeighbourScenarioWatchesTheTransitAsAndExpectsOneNewNeighbor() throws Exception {
    Scenario s = ScenarioParser.parse(DIR.resolve("new-neighbor.yaml"));
    assertFalse(s.isPending());
    assertEquals(
        List.of("NewNeighbor FIRING", "NewNeighbor RESOLVED"),
        s.alerts().stream().map(a -> a.type() + " " + a.state()).toList());
    assertEquals(
        Map.of("asn", "AS64496", "neighbor", "AS64542", "side", "downstream", "severity", "info"),
        s.alerts().get(0).labels());
    // the new path puts AS64542 right of the watched AS64496, on four VPs in four peer ASes
    assertEquals(List.of(3356L, 64496L, 64542L, 64540L), s.vps().get(0).paths().get("via"));
  }

  @Test
  void badLinksAreRefusedWithTheirPlace() throws Exception {
    Path f = Files.createTempFile("leak", ".yaml");
    try {
      String text =
          Files.readString(DIR.resolve("type1-route-leak.yaml"))
              .replace("\"64496|64497|0\"", "\"64496|64497|2\"");
      Files.writeString(f, text);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ScenarioParser.parse(f));
      assertTrue(e.getMessage().contains("relationships[3]"), e.getMessage());
    } finally {
      Files.deleteIfExists(f);
    }
  }
}
