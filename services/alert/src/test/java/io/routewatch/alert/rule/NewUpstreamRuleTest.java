package io.routewatch.alert.rule;

import static io.routewatch.alert.support.Changes.micros;
import static io.routewatch.alert.support.Changes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ChangeKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 1 Oct 2017 09:07:51: AS20485 appears as upstream of Star JV (Dyn Research). */
class NewUpstreamRuleTest {
  static final long T0 = micros("2017-10-01T09:07:51Z");
  static final long T1 = micros("2017-10-01T10:14:45Z");
  final NewUpstreamRule rule = new NewUpstreamRule();
  final Target kp = Target.asn(131279, "KP");

  FakeContext ctx() {
    return new FakeContext(kp, AlertType.NEW_UPSTREAM)
        .upstream(4837, 0.25, 1, micros("2010-01-01T00:00:00Z"), 3356)
        .upstream(20485, 0.75, 3, T0, 2914, 3356, 20485);
  }

  @Test
  void firesWithTheNumbers() {
    List<Signal> s =
        rule.evaluate(
            upstream(
                ChangeKind.UPSTREAM_ADDED,
                T0,
                131279,
                "KP",
                "175.45.176.0/24",
                20485,
                0,
                0.75,
                3,
                3356,
                2914,
                20485),
            ctx());
    assertEquals(1, s.size());
    Signal f = s.get(0);
    assertTrue(f.fire());
    assertEquals("NewUpstream|asn=AS131279|upstream=AS20485", f.key());
    assertEquals(
        Map.of(
            "alertname", "NewUpstream", "asn", "AS131279", "country", "KP", "upstream", "AS20485"),
        f.labels());
    assertEquals("New upstream AS20485 for AS131279 (KP)", f.summary());
    assertEquals(
        "AS131279 (KP) is reached through a new upstream AS20485 since 2017-10-01 09:07:51 UTC: 75.0% of VP paths,"
            + " seen by 3 VPs in 3 peer ASes (AS2914, AS3356, AS20485 (adjacent)), e.g. for 175.45.176.0/24."
            + " Upstreams now: AS4837 25.0%, AS20485 75.0%.",
        f.description());
    assertEquals(3, f.evidence().peerCount(false));
    assertEquals(2, f.evidence().peerCount(true), "the VP inside AS20485 itself is adjacent");
  }

  @Test
  void baselineIsNotNew() {
    FakeContext c = ctx();
    c.baseline = true;
    assertTrue(
        rule.evaluate(
                upstream(
                    ChangeKind.UPSTREAM_ADDED, T0, 131279, "KP", null, 20485, 0, 0.75, 3, 3356),
                c)
            .isEmpty());
  }

  @Test
  void removalResolvesAndSaysForHowLong() {
    List<Signal> s =
        rule.evaluate(
            upstream(ChangeKind.UPSTREAM_REMOVED, T1, 131279, "KP", null, 20485, 0.75, 0, 0),
            ctx());
    assertEquals(1, s.size());
    assertFalse(s.get(0).fire());
    Signal fired =
        rule.evaluate(
                upstream(
                    ChangeKind.UPSTREAM_ADDED, T0, 131279, "KP", null, 20485, 0, 0.75, 3, 3356),
                ctx())
            .get(0);
    Annotations a = rule.resolved(FakeContext.asActive(fired, T0), T1);
    assertEquals("Resolved: new upstream AS20485 for AS131279 (KP)", a.summary());
    assertEquals(
        "AS20485 was a new upstream of AS131279 (KP) from 2017-10-01 09:07:51 UTC to 2017-10-01 10:14:45 UTC (1h06m54s).",
        a.description());
  }
}
