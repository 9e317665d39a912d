package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RouteLeakType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 2019 Verizon/DQE leak as state would report it for a watched Cloudflare prefix. */
class RouteLeakRuleTest {
  static final long T = micros("2019-06-24T10:34:00Z");
  final RouteLeakRule rule = new RouteLeakRule();

  static Change leak(ChangeKind kind, int vps, int... peers) {
    Change.Builder b =
        Change.newBuilder()
            .setKind(kind)
            .setTimeMicros(T)
            .setAsn(13335)
            .setPrefix(prefix("104.20.0.0/20"))
            .setVpCount(vps)
            .setAsPath("3356 701 396531 33154 3356 13335")
            .setLeakerAsn(396531)
            .addAllLeakSegment(List.of(701, 396531, 33154))
            .setLeakType(RouteLeakType.ROUTE_LEAK_TYPE_HAIRPIN);
    for (int p : peers) {
      b.addPeerAsns(p);
    }
    return b.build();
  }

  FakeContext ctx() {
    return new FakeContext(
        new Target(Target.Kind.PREFIX, "104.16.0.0/12", 13335, "US", "cloudflare"),
        AlertType.ROUTE_LEAK);
  }

  @Test
  void leakFiresWithLeakerAndSegmentLabels() {
    Signal f =
        rule.evaluate(leak(ChangeKind.CHANGE_KIND_ROUTE_LEAK, 3, 3356, 1299, 174), ctx()).get(0);
    assertTrue(f.fire());
    assertEquals(
        "RouteLeak|asn=AS13335|prefix=104.20.0.0/20|leaker=AS396531|segment=701 396531 33154",
        f.key());
    assertEquals("AS396531", f.labels().get("leaker"));
    assertEquals("701 396531 33154", f.labels().get("segment"));
    assertEquals("Route leak of 104.20.0.0/20 by AS396531 (type 1, hairpin turn)", f.summary());
    assertEquals(
        "AS396531 passed 104.20.0.0/20 (origin AS13335) learned from its provider AS33154 and"
            + " passed to its provider AS701: segment 701 396531 33154, RFC 7908 type 1, hairpin"
            + " turn, since 2019-06-24 10:34:00 UTC; path 3356 701 396531 33154 3356 13335;"
            + " carried by 3 VPs in 3 peer ASes (AS174, AS1299, AS3356); watched: 104.16.0.0/12"
            + " [cloudflare].",
        f.description());
    assertEquals(3, f.evidence().peerCount(false));
  }

  @Test
  void endResolvesTheSameKey() {
    Signal f = rule.evaluate(leak(ChangeKind.CHANGE_KIND_ROUTE_LEAK, 1, 3356), ctx()).get(0);
    Signal r = rule.evaluate(leak(ChangeKind.CHANGE_KIND_ROUTE_LEAK_ENDED, 0), ctx()).get(0);
    assertFalse(r.fire());
    assertEquals(f.key(), r.key());
  }

  @Test
  void otherKindsAreIgnored() {
    Change c = leak(ChangeKind.ORIGIN_CHANGED, 3, 3356).toBuilder().build();
    assertTrue(rule.evaluate(c, ctx()).isEmpty());
  }

  @Test
  void typesAreNamed() {
    assertEquals(
        "type 2, lateral ISP-ISP-ISP", RouteLeakRule.kind(RouteLeakType.ROUTE_LEAK_TYPE_LATERAL));
    assertEquals(
        "type 4, peer prefixes to a provider",
        RouteLeakRule.kind(RouteLeakType.ROUTE_LEAK_TYPE_PEER_TO_PROVIDER));
  }
}
