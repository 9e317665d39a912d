package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.alert.watch.WatchOverrides;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.NeighborSide;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The 2019 Verizon/DQE leak seen from a watch on Verizon's AS701: state reports AS396531 as a new
 * downstream of AS701 (Verizon carried routes learned from it), first on the path 3356 701 396531
 * 33154 3356 13335.
 */
class NewNeighborRuleTest {
  static final long SINCE = micros("2019-06-24T10:34:00Z");
  static final long T = micros("2019-06-24T10:36:30Z");
  final NewNeighborRule rule = new NewNeighborRule();

  static Change neighbor(ChangeKind kind, NeighborSide side, long neighbor, int vps, int... peers) {
    Change.Builder b =
        Change.newBuilder()
            .setKind(kind)
            .setTimeMicros(T)
            .setAsn(701)
            .setCountry("US")
            .setPrefix(prefix("104.20.0.0/20"))
            .setVpCount(vps)
            .setAsPath("3356 701 396531 33154 3356 13335")
            .setNeighborAsn((int) neighbor)
            .setNeighborSide(side)
            .setNeighborSinceMicros(SINCE);
    for (int p : peers) {
      b.addPeerAsns(p);
    }
    return b.build();
  }

  FakeContext ctx() {
    return new FakeContext(
        Target.asn(701, "US").withDescription("verizon"), AlertType.NEW_NEIGHBOR);
  }

  @Test
  void aNewDownstreamFiresWithTheNeighbourSideAndAdjacentPeersMarked() {
    Signal f =
        rule.evaluate(
                neighbor(
                    ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED,
                    NeighborSide.NEIGHBOR_SIDE_DOWNSTREAM,
                    396531,
                    4,
                    3356,
                    1299,
                    396531,
                    701),
                ctx())
            .get(0);
    assertTrue(f.fire());
    assertEquals("NewNeighbor|asn=AS701|neighbor=AS396531|side=downstream", f.key());
    assertEquals(
        Map.of(
            "alertname",
            "NewNeighbor",
            "asn",
            "AS701",
            "country",
            "US",
            "neighbor",
            "AS396531",
            "side",
            "downstream"),
        f.labels());
    assertEquals("New downstream neighbour AS396531 of AS701 (US)", f.summary());
    assertEquals(
        "AS701 (US) [verizon] has a new downstream neighbour AS396531 since 2019-06-24 10:34:00"
            + " UTC (AS701 carries routes from AS396531); first path 3356 701 396531 33154 3356"
            + " 13335 for 104.20.0.0/20; seen by 4 VPs in 4 peer ASes (AS701 (adjacent), AS1299,"
            + " AS3356, AS396531 (adjacent)).",
        f.description());
    assertEquals(4, f.evidence().peerCount(false));
    assertEquals(
        2, f.evidence().peerCount(true), "VPs in the watched AS or in the neighbour are adjacent");
    assertEquals("info", AlertType.NEW_NEIGHBOR.defaultSeverity());
  }

  @Test
  void aNewUpstreamIsItsOwnAlertAndSaysWhoPassesRoutesToWhom() {
    Signal up =
        rule.evaluate(
                neighbor(
                    ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED,
                    NeighborSide.NEIGHBOR_SIDE_UPSTREAM,
                    3356,
                    1,
                    3356),
                ctx())
            .get(0);
    assertEquals("NewNeighbor|asn=AS701|neighbor=AS3356|side=upstream", up.key());
    assertEquals("New upstream neighbour AS3356 of AS701 (US)", up.summary());
    assertTrue(up.description().contains("(AS701 passes routes to AS3356)"), up.description());
  }

  @Test
  void goneResolvesTheSameKeyAndSaysForHowLong() {
    Change appeared =
        neighbor(
            ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED,
            NeighborSide.NEIGHBOR_SIDE_DOWNSTREAM,
            396531,
            3,
            3356,
            1299,
            174);
    Signal f = rule.evaluate(appeared, ctx()).get(0);
    Change gone =
        appeared.toBuilder()
            .setKind(ChangeKind.CHANGE_KIND_NEIGHBOR_GONE)
            .setVpCount(0)
            .clearPeerAsns()
            .build();
    Signal r = rule.evaluate(gone, ctx()).get(0);
    assertFalse(r.fire());
    assertEquals(f.key(), r.key());
    Annotations a = rule.resolved(FakeContext.asActive(f, SINCE), micros("2019-06-24T12:26:00Z"));
    assertEquals("Resolved: new downstream neighbour AS396531 of AS701 (US)", a.summary());
    assertEquals(
        "AS396531 was a new downstream neighbour of AS701 (US) (first path 3356 701 396531 33154"
            + " 3356 13335) from 2019-06-24 10:34:00 UTC to 2019-06-24 12:26:00 UTC (1h52m00s).",
        a.description());
  }

  @Test
  void evidenceThatGrowsAfterTheAutoResolveTimeIsNotNew() {
    FakeContext c = ctx();
    c.thresholds =
        new Thresholds(true, "info", 3, 0, 0, 0, 24 * 3_600_000_000L, false, 0.2, 0.5, Set.of());
    Change late =
        neighbor(
                ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED,
                NeighborSide.NEIGHBOR_SIDE_DOWNSTREAM,
                396531,
                5,
                3356)
            .toBuilder()
            .setSpreadUpdate(true)
            .setTimeMicros(SINCE + 25 * 3_600_000_000L)
            .build();
    assertTrue(rule.evaluate(late, c).isEmpty());
    assertEquals(1, rule.evaluate(late.toBuilder().setTimeMicros(T).build(), c).size());
  }

  @Test
  void aNeighbourTheEntryListsNeverAlerts() {
    Map<String, String> ov =
        WatchOverrides.validate(
            Map.of("new-neighbor.downstreams", "AS396531, 64500", "upstreams", "3356"));
    assertEquals(Set.of(396531L, 64500L), WatchOverrides.neighbors(ov, "downstream"));
    assertEquals(Set.of(3356L), WatchOverrides.neighbors(ov, "upstream"));
    FakeContext c = ctx();
    c.allowedNeighbors.put("downstream", WatchOverrides.neighbors(ov, "downstream"));
    Change listed =
        neighbor(
            ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED,
            NeighborSide.NEIGHBOR_SIDE_DOWNSTREAM,
            396531,
            3,
            3356,
            1299,
            174);
    List<Signal> s = rule.evaluate(listed, c);
    assertEquals(1, s.size());
    assertFalse(s.get(0).fire(), "listed: a firing alert of it ends, none fires");
    // the same AS on the other side is not listed there
    Change up = listed.toBuilder().setNeighborSide(NeighborSide.NEIGHBOR_SIDE_UPSTREAM).build();
    assertTrue(rule.evaluate(up, c).get(0).fire());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WatchOverrides.validate(Map.of("new-neighbor.upstreams", "3356, ASX")));
    assertTrue(e.getMessage().startsWith("override 'new-neighbor.upstreams'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> WatchOverrides.validate(Map.of("downstreams", "AS0")));
  }

  @Test
  void nothingIsNewDuringTheNetworksBaselinePeriod() {
    FakeContext c = ctx();
    c.baseline = true;
    Change first =
        neighbor(
            ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED,
            NeighborSide.NEIGHBOR_SIDE_DOWNSTREAM,
            396531,
            3,
            3356,
            1299,
            174);
    assertTrue(rule.evaluate(first, c).isEmpty());
    assertTrue(rule.evaluate(first.toBuilder().setSpreadUpdate(true).build(), c).isEmpty());
  }

  @Test
  void otherKindsAndOtherAsesAreIgnored() {
    Change c =
        neighbor(
            ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED,
            NeighborSide.NEIGHBOR_SIDE_DOWNSTREAM,
            396531,
            1,
            3356);
    assertTrue(
        rule.evaluate(c.toBuilder().setKind(ChangeKind.UPSTREAM_ADDED).build(), ctx()).isEmpty());
    assertTrue(rule.evaluate(c.toBuilder().setAsn(3356).build(), ctx()).isEmpty());
    assertTrue(
        rule.evaluate(
                c.toBuilder().setNeighborSide(NeighborSide.NEIGHBOR_SIDE_UNSPECIFIED).build(),
                ctx())
            .isEmpty());
  }
}
