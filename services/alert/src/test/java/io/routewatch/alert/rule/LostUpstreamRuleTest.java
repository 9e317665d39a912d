package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ChangeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 1 Oct 2017 10:14:45: AS20485 disappears; back at 12:21:55. */
class LostUpstreamRuleTest {
  static final long T1 = micros("2017-10-01T10:14:45Z");
  static final long T2 = micros("2017-10-01T12:21:55Z");
  final LostUpstreamRule rule = new LostUpstreamRule();

  @Test
  void firesOnRemovalAndResolvesWhenBack() {
    FakeContext ctx =
        new FakeContext(Target.asn(131279, "KP"), AlertType.LOST_UPSTREAM)
            .upstream(4837, 1.0, 4, 0, 3356, 1299);
    List<Signal> s =
        rule.evaluate(
            upstream(
                ChangeKind.UPSTREAM_REMOVED,
                T1,
                131279,
                "KP",
                "175.45.178.0/24",
                20485,
                0.75,
                0,
                3,
                3356,
                2914,
                1299),
            ctx);
    Signal f = s.get(0);
    assertTrue(f.fire());
    assertEquals("LostUpstream|asn=AS131279|upstream=AS20485", f.key());
    assertEquals("AS131279 (KP) lost upstream AS20485", f.summary());
    assertEquals(
        "AS131279 (KP) is no longer reached through AS20485 since 2017-10-01 10:14:45 UTC: it carried up to 75.0%"
            + " of VP paths and was seen by 3 VPs in 3 peer ASes (AS1299, AS2914, AS3356), e.g. for"
            + " 175.45.178.0/24. Upstreams now: AS4837 100.0%.",
        f.description());
    List<Signal> back =
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_ADDED, T2, 131279, "KP", null, 20485, 0, 0.75, 3, 3356),
            ctx);
    assertFalse(back.get(0).fire());
    assertEquals(f.key(), back.get(0).key());
    Annotations a = rule.resolved(FakeContext.asActive(f, T1), T2);
    assertEquals("Resolved: AS131279 (KP) lost upstream AS20485", a.summary());
    assertEquals(
        "AS20485 was missing as an upstream of AS131279 (KP) from 2017-10-01 10:14:45 UTC to 2017-10-01 12:21:55 UTC (2h07m10s).",
        a.description());
  }

  @Test
  void countryScope() {
    FakeContext ctx = new FakeContext(Target.country("KP"), AlertType.LOST_UPSTREAM);
    Signal f =
        rule.evaluate(
                upstream(
                    ChangeKind.UPSTREAM_REMOVED, T1, 0, "KP", null, 20485, 0.6, 0, 2, 3356, 1299),
                ctx)
            .get(0);
    assertEquals("LostUpstream|country=KP|upstream=AS20485", f.key());
    assertEquals("KP lost upstream AS20485", f.summary());
  }
}
