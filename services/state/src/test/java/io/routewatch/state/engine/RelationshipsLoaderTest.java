package io.routewatch.state.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.state.StateConfig;
import io.routewatch.state.leak.AsRelationships;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader behind routewatch.state.relationships: file, overrides, bad input counted. */
class RelationshipsLoaderTest {
  @TempDir Path dir;

  private static RelationshipsLoader loader(
      Optional<String> file, Optional<List<String>> overrides, SimpleMeterRegistry registry) {
    StateConfig.Relationships rel =
        (StateConfig.Relationships)
            Proxy.newProxyInstance(
                StateConfig.class.getClassLoader(),
                new Class<?>[] {StateConfig.Relationships.class},
                (p, m, a) ->
                    switch (m.getName()) {
                      case "file" -> file;
                      case "overrides" -> overrides;
                      case "maxLinks" -> 1000;
                      default -> throw new UnsupportedOperationException(m.getName());
                    });
    RelationshipsLoader l = new RelationshipsLoader();
    l.config =
        (StateConfig)
            Proxy.newProxyInstance(
                StateConfig.class.getClassLoader(),
                new Class<?>[] {StateConfig.class},
                (p, m, a) -> {
                  if (m.getName().equals("relationships")) {
                    return rel;
                  }
                  throw new UnsupportedOperationException(m.getName());
                });
    l.registry = registry;
    return l;
  }

  private static double count(SimpleMeterRegistry r, String name) {
    return r.get(name).counter().count();
  }

  @Test
  void fileThenOverridesAndBadLinesCounted() throws Exception {
    Path f = dir.resolve("as-rel.txt");
    Files.writeString(f, "# test\n64496|64499|-1\n64497|64499|0\nbroken\n");
    SimpleMeterRegistry reg = new SimpleMeterRegistry();
    AsRelationships r =
        loader(
                Optional.of(f.toString()),
                Optional.of(List.of("64497|64499|-1", "64500|64500|0")),
                reg)
            .load();
    assertEquals(AsRelationships.PROVIDER, r.relation(64496, 64499));
    assertEquals(AsRelationships.PROVIDER, r.relation(64497, 64499)); // override replaced p2p
    assertEquals(2, r.p2cLinks());
    assertEquals(0, r.p2pLinks());
    assertEquals(2.0, count(reg, "routewatch_state_relationships_rejected_lines_total"));
    assertEquals(
        2.0,
        reg.get("routewatch_state_relationships_links").tag("relationship", "p2c").gauge().value());
  }

  @Test
  void unreadableFileLeavesLeakDetectionOff() {
    SimpleMeterRegistry reg = new SimpleMeterRegistry();
    AsRelationships r =
        loader(Optional.of(dir.resolve("missing.bz2").toString()), Optional.empty(), reg).load();
    assertSame(AsRelationships.EMPTY, r);
    assertEquals(1.0, count(reg, "routewatch_state_relationships_load_failures_total"));
  }

  @Test
  void nothingConfiguredIsOff() {
    assertSame(
        AsRelationships.EMPTY,
        loader(Optional.empty(), Optional.empty(), new SimpleMeterRegistry()).load());
  }
}
