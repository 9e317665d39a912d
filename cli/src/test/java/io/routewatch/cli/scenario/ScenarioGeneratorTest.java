package io.routewatch.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The generated scenarios on paper: reproducible, valid files, the ranges the issue names. */
class ScenarioGeneratorTest {
  static List<Long> seeds(long from, int n) {
    return LongStream.range(from, from + n).boxed().toList();
  }

  @Test
  void aSeedGivesTheSameScenarioEveryTime() {
    ScenarioGenerator.Batch a = ScenarioGenerator.batch(seeds(1, 20));
    ScenarioGenerator.Batch b = ScenarioGenerator.batch(seeds(1, 20));
    assertEquals(ScenarioGenerator.yaml(a, "x", null), ScenarioGenerator.yaml(b, "x", null));
    // a seed's network does not depend on the seeds beside it, only on the batch's VP count and
    // its place (which numbers its ASNs and prefixes)
    ScenarioGenerator.Batch alone = ScenarioGenerator.batch(List.of(7L), a.vps());
    assertEquals(
        a.network(7).incidents().stream().map(i -> i.kind() + " " + i.atMicros()).toList(),
        alone.network(7).incidents().stream().map(i -> i.kind() + " " + i.atMicros()).toList());
  }

  @Test
  void batchesParseAndStayInTheirRanges() {
    Map<ScenarioGenerator.Kind, Integer> kinds = new EnumMap<>(ScenarioGenerator.Kind.class);
    Set<Integer> upstreamCounts = new HashSet<>();
    Set<Integer> vpCounts = new HashSet<>();
    int staggered = 0;
    for (List<Long> batch : ScenarioGenerator.batches(seeds(1, 400), 20)) {
      ScenarioGenerator.Batch b = ScenarioGenerator.batch(batch);
      Scenario sc =
          ScenarioParser.parse(new StringReader(ScenarioGenerator.yaml(b, "g", null)), "g.yaml");
      assertEquals(batch.size(), sc.origins().size(), "one origin per seed");
      assertEquals(batch.size(), sc.watch().size(), "one watch entry per seed");
      assertTrue(b.vps() >= 5 && b.vps() <= 20);
      vpCounts.add(b.vps());
      staggered += b.upMicros().isEmpty() ? 0 : 1;
      Set<String> prefixes = new HashSet<>();
      Set<Long> asns = new HashSet<>();
      for (ScenarioGenerator.Network n : b.networks()) {
        assertTrue(n.upstreams().size() >= 1 && n.upstreams().size() <= 6, n.upstreams() + "");
        upstreamCounts.add(n.upstreams().size());
        assertTrue(n.prefixes().size() >= 1 && n.prefixes().size() <= 20);
        assertTrue(n.incidents().size() >= 1 && n.incidents().size() <= 3);
        n.incidents().forEach(i -> kinds.merge(i.kind(), 1, Integer::sum));
        for (String p : n.prefixes()) {
          assertTrue(prefixes.add(p), "prefix of two networks: " + p);
        }
        assertTrue(asns.add(n.origin()));
        n.upstreams().forEach(u -> assertTrue(asns.add(u), "ASN twice: " + u));
        // every firing of a temporary incident resolves with it
        for (ScenarioGenerator.Alert a : n.alerts()) {
          if (a.state().equals("FIRING") && !permanent(n, a)) {
            assertTrue(
                n.alerts().stream()
                    .anyMatch(
                        x ->
                            x.state().equals("RESOLVED")
                                && x.type().equals(a.type())
                                && x.labels().equals(a.labels())
                                && x.atMicros() > a.atMicros()),
                "no resolve for " + a + " (seed " + n.seed() + ")");
          }
        }
      }
      // expected shares are between 0 and 1, checked against the replayed timeline
      sc.shares().forEach(s -> assertTrue(s.vpShare() >= 0 && s.vpShare() <= 1));
    }
    for (ScenarioGenerator.Kind k : ScenarioGenerator.Kind.values()) {
      assertTrue(kinds.getOrDefault(k, 0) >= 10, "too few " + k + ": " + kinds);
    }
    assertTrue(upstreamCounts.containsAll(List.of(1, 2, 3, 4, 5, 6)), "" + upstreamCounts);
    assertTrue(vpCounts.contains(5) && vpCounts.contains(20), "" + vpCounts);
    assertTrue(staggered >= 3, "staggered batches: " + staggered);
  }

  /**
   * Alerts whose cause lasts to the end: the single-homed state at first sight, an upstream added
   * for good, both ends of a swap.
   */
  static boolean permanent(ScenarioGenerator.Network n, ScenarioGenerator.Alert a) {
    List<ScenarioGenerator.Kind> last = new ArrayList<>();
    n.incidents().forEach(i -> last.add(i.kind()));
    return a.type().equals("SingleHomed")
        || a.type().equals("NewUpstream")
        || (a.type().equals("LostUpstream")
            && last.get(last.size() - 1) == ScenarioGenerator.Kind.UPSTREAM_SWAP
            && a.atMicros() >= n.incidents().get(n.incidents().size() - 1).atMicros());
  }

  @Test
  void noiseRaisesNothing() {
    for (long seed = 1; seed <= 400; seed++) {
      ScenarioGenerator.Network n = ScenarioGenerator.batch(List.of(seed)).network(seed);
      for (ScenarioGenerator.Incident i : n.incidents()) {
        if (i.kind() == ScenarioGenerator.Kind.NOISE || i.kind() == ScenarioGenerator.Kind.FLAP) {
          long from = i.atMicros();
          long to = from + 10 * ScenarioGenerator.M;
          assertTrue(
              n.alerts().stream().noneMatch(a -> a.atMicros() >= from && a.atMicros() <= to),
              "seed " + seed + ": an alert during " + i);
        }
      }
    }
  }
}
