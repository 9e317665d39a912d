package io.routewatch.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** scenarios/north-korea-2017.yaml: parsed, checked against DOMAIN.md §4, and replayed on paper. */
class NorthKoreaScenarioFileTest {
  static final Path FILE = Path.of("../scenarios/north-korea-2017.yaml");

  static Scenario scenario() throws Exception {
    return ScenarioParser.parse(FILE);
  }

  @Test
  void tenVpsWithDistinctPeerAsnsOnTheirOwnLoopbackAddresses() throws Exception {
    Scenario s = scenario();
    assertTrue(s.vps().size() >= 10);
    assertEquals(s.vps().size(), s.vps().stream().map(Scenario.Vp::asn).distinct().count());
    assertEquals(s.vps().size(), s.vps().stream().map(Scenario.Vp::address).distinct().count());
    assertEquals(
        List.of("175.45.176.0/24", "175.45.177.0/24", "175.45.178.0/24", "175.45.179.0/24"),
        s.prefixes());
  }

  @Test
  void theDynTimelineIsThere() throws Exception {
    Map<String, Long> at =
        scenario().steps().stream()
            .collect(Collectors.toMap(Scenario.Step::note, Scenario.Step::atMicros, (a, b) -> a));
    assertEquals(1506848871L * 1_000_000L, at.get("AS20485 appears (.176 .178 .179)")); // 09:07:51
    assertEquals(1506852885L * 1_000_000L, at.get("AS20485 disappears")); // 10:14:45
    assertEquals(1506860515L * 1_000_000L, at.get("AS20485 returns (.176 .178 .179)")); // 12:21:55
    assertEquals(1506930999L * 1_000_000L, at.get(".176 loses AS20485")); // 2 Oct 07:56:39
    assertEquals(1506935429L * 1_000_000L, at.get(".179 loses AS20485")); // 2 Oct 09:10:29
    assertEquals(
        4, scenario().steps().stream().filter(x -> x.action() == Scenario.Action.WITHDRAW).count());
  }

  /**
   * Replays the steps into a (VP, prefix) → path table and counts upstream shares independently.
   */
  static Map<Long, Double> sharesAt(Scenario s, long t) {
    Map<String, List<Long>> rib = new HashMap<>();
    for (Scenario.Step st : s.steps()) {
      if (st.atMicros() > t) {
        break;
      }
      for (String vp : st.vps()) {
        for (String p : st.prefixes()) {
          if (st.action() == Scenario.Action.WITHDRAW) {
            rib.remove(vp + "|" + p);
          } else {
            rib.put(vp + "|" + p, s.vp(vp).paths().get(st.path()));
          }
        }
      }
    }
    Map<Long, Double> shares = new HashMap<>();
    for (List<Long> path : rib.values()) {
      // upstream: the AS left of the origin after collapsing prepends
      int i = path.size() - 1;
      while (i > 0 && path.get(i - 1).equals(path.get(path.size() - 1))) i--;
      long up = path.get(i - 1);
      shares.merge(up, 1.0 / rib.size(), Double::sum);
    }
    return shares;
  }

  @Test
  void afterTheReturnTransTelecomHas60AndUnicom40PercentOfVpPaths() throws Exception {
    Scenario s = scenario();
    Map<Long, Double> after = sharesAt(s, 1506866400L * 1_000_000L); // 2017-10-01T14:00Z
    assertEquals(0.60, after.get(20485L), 1e-9);
    assertEquals(0.40, after.get(4837L), 1e-9);
    Map<Long, Double> before = sharesAt(s, 1506848000L * 1_000_000L);
    assertEquals(1, before.size());
    assertEquals(1.0, before.get(4837L), 1e-9);
    // 2 Oct: .176 then .179 lose AS20485
    assertEquals(0.40, sharesAt(s, 1506933000L * 1_000_000L).get(20485L), 1e-9);
    assertEquals(0.20, sharesAt(s, 1506936000L * 1_000_000L).get(20485L), 1e-9);
    // and the file's own share expectations agree with this replay
    for (Scenario.ExpectedShare e : s.shares()) {
      assertEquals(
          e.vpShare(),
          sharesAt(s, e.atMicros()).getOrDefault(e.upstream(), 0.0),
          1e-9,
          "share at " + e.atMicros());
    }
  }

  @Test
  void expectedAlertsAreTheIssueList() throws Exception {
    List<String> got = scenario().alerts().stream().map(a -> a.type() + " " + a.state()).toList();
    // shipped defaults: SingleHomed behind AS4837 is true at first sight and again while AS20485
    // is lost; outages 3 and 4 (6m40s apart, within the 10m clear time) are one page
    assertEquals(
        List.of(
            "SingleHomed FIRING",
            "NewUpstream FIRING",
            "SingleHomed RESOLVED",
            "LostUpstream FIRING",
            "NewUpstream RESOLVED",
            "SingleHomed FIRING",
            "VisibilityLoss FIRING",
            "VisibilityLoss RESOLVED",
            "VisibilityLoss FIRING",
            "VisibilityLoss RESOLVED",
            "VisibilityLoss FIRING",
            "VisibilityLoss RESOLVED",
            "NewUpstream FIRING",
            "LostUpstream RESOLVED",
            "SingleHomed RESOLVED",
            "UpstreamShareShift FIRING"),
        got);
    assertEquals(
        List.of(690L, 450L, 1660L),
        scenario().alerts().stream()
            .filter(a -> a.type().equals("VisibilityLoss") && a.state().equals("RESOLVED"))
            .map(a -> a.durationMicros() / 1_000_000L)
            .toList());
    // no tuning: the watch entry is the origin alone
    assertEquals(1, scenario().watch().size());
    assertTrue(scenario().watch().get(0).overrides().isEmpty());
  }

  @Test
  void compressionDefaultsToOneHourInFiveSeconds() throws Exception {
    Scenario s = scenario();
    Timeline tl = new Timeline(s, s.speed());
    assertEquals(5_000, tl.wallMillis(s.startMicros() + 3_600_000_000L));
    assertEquals(125_000, tl.wallMillis(s.endMicros()));
    assertEquals("PT0.167S", tl.compressIso(120_000_000L)); // a 2 min hold
    Timeline.Due appears = tl.schedule().get(1);
    assertEquals(3154, appears.wallMillis()); // 37 min 51 s after 08:30
    assertEquals(24, appears.commands().size());
    assertEquals(
        "neighbor 127.0.0.1 local-ip 127.0.0.11 announce route 175.45.176.0/24 next-hop 127.0.0.11 as-path [ 3356 20485 131279 ]",
        appears.commands().get(0));
  }

  @Test
  void serviceSettingsAreCompressed() throws Exception {
    Map<String, String> env = ScenarioRunner.serviceEnv(scenario(), 720);
    assertEquals("1", env.get("ROUTEWATCH_STATE_ENGINE_FULL_FEED_V4"));
    assertEquals("PT0.417S", env.get("ROUTEWATCH_STATE_ENGINE_OUTAGE_HOLD")); // the shipped 5m
    Map<String, String> c = ExaBgpConfig.collectorEnv(scenario(), 1179);
    assertTrue(
        c.get("ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS")
            .startsWith("address=127.0.0.11;asn=3356;name=level3,address=127.0.0.12;asn=1299"));
  }

  @Test
  void exabgpConfigHasOneNeighbourPerVp() throws Exception {
    Scenario s = scenario();
    String conf = ExaBgpConfig.render(s, "127.0.0.1", 1179, Path.of("/tmp/x/feed.fifo"));
    assertEquals(10, conf.split("neighbor 127.0.0.1 \\{", -1).length - 1);
    assertTrue(conf.contains("  run /bin/cat /tmp/x/feed.fifo;\n"));
    assertTrue(
        conf.contains(
            "  local-address 127.0.0.20;\n  local-as 4134;\n  peer-as 65000;\n  connect 1179;\n"));
  }

  @Test
  void errorsNameThePlace() {
    String yaml =
        """
        name: x
        origin: AS131279
        start: 2017-10-01T08:30:00Z
        end: 2017-10-01T09:30:00Z
        prefixes: [175.45.176.0/24]
        vps:
          - {name: a, asn: 3356, address: 127.0.0.11, paths: {unicom: "3356 4837 131279"}}
        timeline:
          - {at: 2017-10-01T08:30:00Z, announce: {vps: all, prefixes: all, path: ttk}}
        """;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ScenarioParser.parse(new StringReader(yaml), "x.yaml"));
    assertEquals("timeline[0].announce.path: VP a has no path 'ttk'", e.getMessage());
    String badPath = yaml.replace("\"3356 4837 131279\"", "\"4837 131279\"");
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ScenarioParser.parse(new StringReader(badPath), "x.yaml"));
    assertEquals("vps[0].paths.unicom: path must start with the VP's own AS 3356", e.getMessage());
  }
}
