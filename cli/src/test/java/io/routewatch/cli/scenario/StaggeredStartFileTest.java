package io.routewatch.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Sessions that come up late ({@code up:}): one ExaBGP process per distinct time, the baseline
 * carrying only the sessions up at start, and each late VP's table (the timeline up to its {@code
 * up}) sent when it comes up; later steps go live to its process.
 */
class StaggeredStartFileTest {
  static Scenario staggered() throws Exception {
    return ScenarioParser.parse(ScenarioFilesTest.DIR.resolve("staggered-start.yaml"));
  }

  @Test
  void twelveSessionsComeUpOneAfterAnotherWithinThreeSeconds() throws Exception {
    Scenario s = staggered();
    Timeline tl = new Timeline(s, s.speed());
    List<Timeline.SessionGroup> g = tl.sessionGroups();
    assertEquals(12, g.size());
    assertEquals(List.of("level3"), g.get(0).names());
    assertEquals(s.startMicros(), g.get(0).upMicros());
    long last = tl.wallMillis(g.get(11).upMicros());
    assertEquals(3000, last, "the last session comes up 3 s (wall) after the first");
    for (int i = 1; i < g.size(); i++) {
      assertTrue(g.get(i).upMicros() > g.get(i - 1).upMicros());
      assertEquals(1, g.get(i).vps().size());
      // each late VP comes up with its full view: two IPv4 and two IPv6 routes
      List<String> table = tl.initialTable(g.get(i));
      assertEquals(4, table.size(), table.toString());
    }
    // the baseline step carries level3's routes only: what awaitBaseline waits for
    List<Timeline.Due> due = tl.schedule();
    assertEquals(2, due.get(0).commands().size(), due.get(0).commands().toString());
    int atStart =
        due.stream()
            .filter(d -> d.scenarioMicros() == s.startMicros())
            .mapToInt(d -> d.commands().size())
            .sum();
    assertEquals(4, atStart);
    assertTrue(
        tl.initialTable(s.vp("ntt"))
            .contains(
                "neighbor 127.0.0.1 local-ip 127.0.0.94 announce route 2001:db8:530::/48"
                    + " next-hop ::ffff:127.0.0.94 as-path [ 2914 64498 64530 ]"));
    // upstreams first seen through a late VP: AS64497 (4th to join), AS64499 (6th); the early VPs'
    // baseline paths (v4, v6) go through AS64496 and AS64498 only
    Set<Long> early =
        g.subList(0, 3).stream()
            .flatMap(x -> x.vps().stream())
            .flatMap(v -> java.util.stream.Stream.of(v.paths().get("v4"), v.paths().get("v6")))
            .map(p -> p.get(1))
            .collect(Collectors.toSet());
    assertEquals(Set.of(64496L, 64498L), early);
    // every process has its own configuration with its own sessions
    for (Timeline.SessionGroup x : g) {
      String conf = ExaBgpConfig.render(s, x, "127.0.0.1", 1179, Path.of("/tmp/f.fifo"));
      assertEquals(1, conf.split("\nneighbor ", -1).length - 1, conf);
      assertTrue(conf.contains("local-address " + x.vps().get(0).address() + ";"), conf);
    }
  }

  static final String HEAD =
      """
      name: t
      origin: 64500
      start: 2024-01-01T00:00:00Z
      end: 2024-01-01T03:00:00Z
      prefixes: [192.0.2.0/24, 198.51.100.0/24]
      vps:
        - {name: a, asn: 1, address: 127.0.0.11, paths: {p: "1 64496 64500", q: "1 64497 64500"}}
        - {name: b, asn: 2, address: 127.0.0.12, up: 2024-01-01T01:00:00Z,
           paths: {p: "2 64496 64500", q: "2 64497 64500"}}
      """;

  @Test
  void aLateTableIsTheTimelineUpToItsUpAndLaterStepsGoLive() {
    Scenario s =
        ScenarioParser.parse(
            new StringReader(
                HEAD
                    + """
                    timeline:
                      - {at: 2024-01-01T00:00:00Z, announce: {vps: all, prefixes: all, path: p}}
                      - {at: 2024-01-01T00:30:00Z, withdraw: {vps: all, prefixes: 192.0.2.0/24}}
                      - {at: 2024-01-01T01:00:00Z, announce: {vps: all, prefixes: 198.51.100.0/24, path: q}}
                      - {at: 2024-01-01T02:00:00Z, announce: {vps: all, prefixes: 192.0.2.0/24, path: q}}
                    """),
            "t.yaml");
    Timeline tl = new Timeline(s, 720);
    Scenario.Vp b = s.vp("b");
    // up at 01:00: the step at 01:00 is in its table, 192.0.2.0/24 withdrawn before
    assertEquals(
        List.of(
            "neighbor 127.0.0.1 local-ip 127.0.0.12 announce route 198.51.100.0/24"
                + " next-hop 127.0.0.12 as-path [ 2 64497 64500 ]"),
        tl.initialTable(b));
    List<Timeline.Due> due = tl.schedule();
    Timeline.SessionGroup late = tl.sessionGroups().get(1);
    assertEquals(List.of(), due.get(0).commands(late));
    assertEquals(2, due.get(0).commands().size());
    assertEquals(List.of(), due.get(2).commands(late));
    assertEquals(1, due.get(2).commands().size(), "a's own step at 01:00 is live");
    assertEquals(1, due.get(3).commands(late).size(), "b's step after its up goes to its process");
    assertTrue(tl.initialTable(s.vp("a")).isEmpty(), "a's baseline is a step of the schedule");
  }

  @Test
  void anUpOutsideTheRunOrNoSessionAtStartIsAnError() {
    String tl =
        """
        timeline:
          - {at: 2024-01-01T00:00:00Z, announce: {vps: all, prefixes: all, path: p}}
        """;
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                ScenarioParser.parse(
                    new StringReader(
                        HEAD.replace("up: 2024-01-01T01:00:00Z", "up: 2024-01-01T04:00:00Z") + tl),
                    "t.yaml"));
    assertTrue(e.getMessage().startsWith("vps[1].up:"), e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                ScenarioParser.parse(
                    new StringReader(
                        HEAD.replace(
                                "address: 127.0.0.11,",
                                "address: 127.0.0.11, up: 2024-01-01T00:10:00Z,")
                            + tl),
                    "t.yaml"));
    assertTrue(e.getMessage().contains("must be up at start"), e.getMessage());
  }
}
