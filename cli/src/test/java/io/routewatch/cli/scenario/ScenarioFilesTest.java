package io.routewatch.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file under scenarios/ (pending ones too) parses and validates, its ExaBGP configuration
 * carries each family it announces, and IPv6 routes go out with IPv6 next hops.
 */
class ScenarioFilesTest {
  static final Path DIR = Path.of("../scenarios");
  static final Set<String> TYPES =
      Set.of(
          "NewUpstream",
          "NewNeighbor",
          "LostUpstream",
          "UpstreamShareShift",
          "SingleHomed",
          "VisibilityLoss",
          "OriginChange",
          "MoreSpecific",
          "RouteLeak",
          "Hijack",
          "RpkiInvalid",
          "NewPrefix",
          "RoaChange",
          "FeedStale");

  static List<Path> files() throws Exception {
    try (Stream<Path> s = Files.walk(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyScenarioFileParsesAndValidates() throws Exception {
    List<Path> all = files();
    assertTrue(all.size() >= 4, "scenario files: " + all);
    for (Path f : all) {
      Scenario s = ScenarioParser.parse(f);
      String at = f.getFileName().toString();
      assertEquals(at, s.name() + ".yaml", "a scenario's name is its file name");
      assertFalse(s.description().isEmpty(), at + ": description");
      assertFalse(s.steps().isEmpty(), at + ": timeline");
      assertEquals(
          s.startMicros(),
          s.steps().get(0).atMicros(),
          at + ": the first step (the baseline) is at start");
      assertEquals(
          s.vps().size(),
          s.vps().stream().map(Scenario.Vp::address).distinct().count(),
          at + ": VP addresses");
      assertFalse(s.watch().isEmpty(), at + ": watch list");
      for (Scenario.ExpectedAlert a : s.alerts()) {
        assertTrue(TYPES.contains(a.type()), at + ": unknown alert type " + a.type());
        assertTrue(
            a.atMicros() >= s.startMicros() && a.atMicros() <= s.endMicros(),
            at + ": " + a.describe() + " outside start..end");
      }
      // what run/check/service-env/exabgp-config do with it must not throw
      Timeline tl = new Timeline(s, s.speed());
      tl.schedule();
      ScenarioRunner.serviceEnv(s, s.speed());
      StringBuilder confs = new StringBuilder();
      for (Timeline.SessionGroup g : tl.sessionGroups()) {
        confs.append(ExaBgpConfig.render(s, g, "127.0.0.1", 1179, Path.of("/tmp/feed.fifo")));
      }
      String conf = confs.toString();
      boolean v6 = s.prefixes().stream().anyMatch(Scenario::isIpv6);
      assertEquals(s.vps().size(), count(conf, "ipv4 unicast;"), at);
      assertEquals(v6 ? s.vps().size() : 0, count(conf, "ipv6 unicast;"), at);
      System.out.printf(
          "ScenarioFilesTest: %s: %d VPs, %d prefixes (%d IPv6), %d steps, %d expected alerts%s%n",
          at,
          s.vps().size(),
          s.prefixes().size(),
          s.prefixes().stream().filter(Scenario::isIpv6).count(),
          s.steps().size(),
          s.alerts().size(),
          s.isPending() ? ", pending: " + s.pending() : "");
    }
  }

  /**
   * The dual-stack scenarios run on shipped defaults: a watch entry without overrides and only the
   * full-feed thresholds plus durations (in scenario time) in their settings.
   */
  @Test
  void dualStackScenariosUseShippedDefaults() throws Exception {
    for (String name :
        List.of(
            "dual-stack-new-upstream",
            "upstream-swap-dual-stack",
            "total-outage-dual-stack",
            "staggered-start",
            "covered-more-specific-withdrawn")) {
      Scenario s = ScenarioParser.parse(DIR.resolve(name + ".yaml"));
      assertTrue(
          s.prefixes().stream().anyMatch(Scenario::isIpv6)
              && s.prefixes().stream().anyMatch(p -> !Scenario.isIpv6(p)),
          name);
      s.watch()
          .forEach(w -> assertTrue(w.overrides().isEmpty(), name + ": overrides " + w.overrides()));
      s.serviceConfig()
          .forEach(
              (k, v) ->
                  assertTrue(
                      k.contains("full-feed") || v.matches("(\\d+(ms|h|m|s))+"),
                      name + ": " + k + "=" + v));
    }
  }

  @Test
  void ipv6RoutesCarryIpv6NextHops() throws Exception {
    Scenario s = ScenarioParser.parse(DIR.resolve("dual-stack-new-upstream.yaml"));
    List<String> cmds = new Timeline(s, s.speed()).schedule().get(0).commands();
    assertEquals(s.vps().size() * s.prefixes().size(), cmds.size());
    assertTrue(
        cmds.contains(
            "neighbor 127.0.0.1 local-ip 127.0.0.32 announce route 2001:db8:100::/48 next-hop ::ffff:127.0.0.32 as-path [ 1299 64496 64500 ]"),
        cmds.toString());
    assertTrue(
        cmds.contains(
            "neighbor 127.0.0.1 local-ip 127.0.0.31 announce route 2001:db8:200::/48 next-hop 2001:db8:ffff::31 as-path [ 3356 64496 64500 ]"),
        cmds.toString());
    assertTrue(
        cmds.contains(
            "neighbor 127.0.0.1 local-ip 127.0.0.31 announce route 192.0.2.0/24 next-hop 127.0.0.31 as-path [ 3356 64496 64500 ]"),
        cmds.toString());
  }

  @Test
  void badPrefixesAndNextHopsAreRefusedNamingThePlace() {
    String base =
        """
        name: t
        origin: AS64500
        start: 2024-01-01T00:00:00Z
        end: 2024-01-01T01:00:00Z
        prefixes: [%s]
        vps: [{name: a, asn: 3356, address: 127.0.0.9, %s paths: {p: "3356 64500"}}]
        timeline: [{at: 2024-01-01T00:00:00Z, announce: {vps: all, prefixes: all, path: p}}]
        """;
    assertEquals(
        2,
        ScenarioParser.parse(
                new StringReader(base.formatted("192.0.2.0/24, \"2001:db8::/32\"", "")), "t")
            .prefixes()
            .size());
    for (String[] bad :
        new String[][] {
          {"192.0.2.1/24", "", "prefixes[0]: host bits set"},
          {"192.0.2.0/33", "", "prefixes[0]: not a prefix"},
          {"300.0.2.0/24", "", "prefixes[0]: not a prefix"},
          {"\"2001:db8::1/32\"", "", "prefixes[0]: host bits set"},
          {"\"2001:db8::/129\"", "", "prefixes[0]: not a prefix"},
          {"\"2001:zz8::/32\"", "", "prefixes[0]: not a prefix"},
          {"example.com/24", "", "prefixes[0]: not a prefix"},
          {
            "192.0.2.0/24",
            "next-hop: {ipv6: \"not-an-address\"},",
            "vps[0].next-hop.ipv6: not an IPv6 address"
          },
          {
            "192.0.2.0/24",
            "next-hop: {ipv5: \"::1\"},",
            "vps[0].next-hop: families are ipv4 and ipv6"
          },
          {
            "192.0.2.0/24",
            "next-hop: {ipv4: 127.0.0.8},",
            "vps[0].next-hop.ipv4: the IPv4 next hop is the VP's address"
          },
        }) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> ScenarioParser.parse(new StringReader(base.formatted(bad[0], bad[1])), "t"),
              bad[0] + " " + bad[1]);
      assertTrue(e.getMessage().startsWith(bad[2]), e.getMessage());
    }
  }

  /** A path ends with the origin, or with an AS the file names in foreign-origins (a hijacker). */
  @Test
  void onlyForeignOriginsMayEndAPathBesideTheOrigin() {
    String base =
        """
        name: t
        origin: AS64500
        %s
        start: 2024-01-01T00:00:00Z
        end: 2024-01-01T01:00:00Z
        prefixes: [192.0.2.0/24]
        vps: [{name: a, asn: 3356, address: 127.0.0.9, paths: {p: "3356 64500", h: "3356 64666"}}]
        timeline: [{at: 2024-01-01T00:00:00Z, announce: {vps: all, prefixes: all, path: p}}]
        """;
    assertEquals(
        1,
        ScenarioParser.parse(new StringReader(base.formatted("foreign-origins: [AS64666]")), "t")
            .vps()
            .size());
    for (String[] bad :
        new String[][] {
          {"", "vps[0].paths.h: path must end with the origin AS 64500"},
          {
            "foreign-origins: [AS64667]",
            "vps[0].paths.h: path must end with the origin AS 64500 or"
          },
          {"foreign-origins: [AS64500]", "foreign-origins: AS64500 is the scenario's origin"},
        }) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> ScenarioParser.parse(new StringReader(base.formatted(bad[0])), "t"),
              bad[0]);
      assertTrue(e.getMessage().startsWith(bad[1]), e.getMessage());
    }
  }

  /**
   * The exact-prefix hijack scenario (issue 19 acceptance 3): the watch entry names the owner as
   * origins, the hijack path ends in the foreign origin, and the Hijack fires and resolves.
   */
  @Test
  void exactPrefixHijackScenarioExpectsOneHijackThatResolves() throws Exception {
    Scenario s = ScenarioParser.parse(DIR.resolve("exact-prefix-hijack.yaml"));
    assertFalse(s.isPending());
    assertEquals(List.of("192.0.2.0/24"), s.watch().stream().map(Scenario.Watch::value).toList());
    assertEquals("AS64510", s.watch().get(0).overrides().get("origins"));
    assertEquals(
        64666L,
        s.vps().get(0).paths().get("hijack").get(s.vps().get(0).paths().get("hijack").size() - 1));
    assertEquals(
        List.of("Hijack FIRING", "Hijack RESOLVED"),
        s.alerts().stream().map(a -> a.type() + " " + a.state()).toList());
  }

  /**
   * The RPKI scenario carries its VRPs: service-env writes them as rpki-client JSON and points
   * state at the file; a ROA-valid hijack is expected as info, an invalid one as critical.
   */
  @Test
  void rpkiScenarioWritesItsVrpsForState(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Scenario s = ScenarioParser.parse(DIR.resolve("rpki-invalid.yaml"));
    assertEquals(4, s.vrps().size());
    assertEquals(new Scenario.Vrp("192.0.2.0/24", 24, 64500), s.vrps().get(1));
    java.util.Map<String, String> env = ScenarioRunner.serviceEnv(s, s.speed(), tmp);
    Path f = Path.of(env.get("ROUTEWATCH_STATE_RPKI_FILE"));
    assertEquals(tmp.resolve("vrps.json").toAbsolutePath(), f);
    String json = Files.readString(f);
    assertTrue(
        json.contains(
            "{\"asn\": 64500, \"prefix\": \"192.0.2.0/24\", \"maxLength\": 24,"
                + " \"ta\": \"scenario\"}"),
        json);
    assertEquals(
        List.of("info", "critical", "critical"),
        s.alerts().stream()
            .filter(a -> a.state().equals("FIRING"))
            .map(a -> a.labels().get("severity"))
            .toList());
    assertFalse(
        ScenarioRunner.serviceEnv(ScenarioParser.parse(DIR.resolve("squatting.yaml")), 720)
            .containsKey("ROUTEWATCH_STATE_RPKI_FILE"),
        "no vrps: RPKI stays off");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ScenarioParser.parse(
                new StringReader(
                    Files.readString(DIR.resolve("rpki-invalid.yaml"))
                        .replace("max-length: 48", "max-length: 47")),
                "t"));
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
