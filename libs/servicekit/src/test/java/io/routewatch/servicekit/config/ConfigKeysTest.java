package io.routewatch.servicekit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {
  @ConfigMapping(prefix = "routewatch.demo")
  interface Demo {
    @WithDefault("1179")
    int port();

    Bgp bgp();

    Map<String, Rule> rules();

    interface Bgp {
      @WithDefault("65000")
      long localAsn();

      Optional<List<String>> neighbors();

      Optional<Duration> holdTime();
    }

    interface Rule {
      Optional<Duration> hold();
    }
  }

  private final ConfigKeys keys =
      ConfigKeys.of(List.of(Demo.class), List.of("routewatch.bgp.bzip2"));

  @Test
  void propertyFormIsCheckedAgainstTheMapping() {
    assertTrue(keys.accepts("routewatch.demo.port"));
    assertTrue(keys.accepts("routewatch.demo.bgp.local-asn"));
    assertTrue(keys.accepts("routewatch.demo.bgp.neighbors"));
    assertTrue(keys.accepts("routewatch.demo.bgp.neighbors[3]"));
    assertTrue(keys.accepts("routewatch.demo.rules.new-upstream.hold"));
    assertTrue(keys.accepts("%test.routewatch.demo.port"));
    assertTrue(keys.accepts("routewatch.bgp.bzip2"));
    assertFalse(keys.accepts("routewatch.demo.bgp.asn"), "the chart's old spelling");
    assertFalse(keys.accepts("routewatch.demo.bgp.neighbors[0].address"));
    assertFalse(keys.accepts("routewatch.demo.rules.new-upstream.hld"));
    assertFalse(keys.accepts("routewatch.bogus"));
    assertTrue(keys.accepts("quarkus.http.port"), "not a routewatch key: not ours to judge");
  }

  @Test
  void environmentFormIsCheckedInTheServicesOwnNamespaces() {
    assertTrue(keys.accepts("ROUTEWATCH_DEMO_PORT"));
    assertTrue(keys.accepts("ROUTEWATCH_DEMO_BGP_LOCAL_ASN"));
    assertTrue(keys.accepts("ROUTEWATCH_DEMO_BGP_NEIGHBORS"));
    assertTrue(keys.accepts("ROUTEWATCH_DEMO_RULES_NEW_UPSTREAM_HOLD"));
    assertTrue(keys.accepts("_TEST_ROUTEWATCH_DEMO_PORT"));
    assertFalse(keys.accepts("ROUTEWATCH_DEMO_BGP_ASN"));
    assertFalse(keys.accepts("ROUTEWATCH_DEMO_PORTS"));
    assertTrue(keys.accepts("ROUTEWATCH_SCENARIO"), "not this service's namespace");
  }

  @Test
  void unknownKeysAreListedWithTheirSourceAndAClosestName() {
    var unknown =
        keys.unknown(
            Map.of(
                "ROUTEWATCH_DEMO_BGP_ASN", "EnvConfigSource",
                "routewatch.demo.port", "application.properties"));
    assertEquals(
        List.of(new ConfigKeys.Unknown("ROUTEWATCH_DEMO_BGP_ASN", "EnvConfigSource")), unknown);
    assertEquals("routewatch.demo.bgp.local-asn", keys.closest("ROUTEWATCH_DEMO_BGP_LOCALASN"));
  }
}
