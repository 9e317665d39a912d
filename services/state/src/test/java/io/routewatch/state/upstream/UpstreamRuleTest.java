package io.routewatch.state.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.state.route.AsPath;
import io.routewatch.state.upstream.UpstreamRule.Reason;
import org.junit.jupiter.api.Test;

/** Paths are real unless marked: taken from the bgpdump references under shared/data/mrt. */
class UpstreamRuleTest {
  private static void check(String path, long origin, long upstream, Reason reason) {
    UpstreamRule.Result r = UpstreamRule.analyze(AsPath.parse(path));
    assertEquals(new UpstreamRule.Result(origin, upstream, reason), r, path);
  }

  @Test
  void northKoreaBaseline() { // ripe-bgpdump/updates.et-header.2015
    check("2914 1239 4837 131279", 131279, 4837, Reason.OK);
  }

  @Test
  void prependsAreCollapsed() { // pyasn/rib.20140523
    check("7018 4323 7545 56203 56203 56203", 56203, 7545, Reason.OK);
    check("852 4788 4788 4788", 4788, 852, Reason.OK);
    check("7660 2516 3257 29119 198731 198731 198731 198731 198731", 198731, 29119, Reason.OK);
  }

  @Test
  void pathEndingInAsSetHasNoOrigin() { // pyasn/rib.20140523
    check("701 1299 1273 55410 38266 {38266}", -1, -1, Reason.NO_ORIGIN);
  }

  @Test
  void neighbourInAsSet() { // constructed
    check("3356 {64512,64513} 65000", 65000, -1, Reason.NEIGHBOUR_IN_SET);
  }

  @Test
  void repeatedAroundASetIsALoop() { // ripe-bgpdump/updates.et-header.2015
    check("101 47065 {61575} 47065", 47065, -1, Reason.LOOP);
  }

  @Test
  void vpIsTheOrigin() { // pyasn/rib.20140523: peer 1221 announcing its own 1.120.0.0/13
    check("1221", 1221, -1, Reason.ORIGIN_ONLY);
    check("286 286", 286, -1, Reason.ORIGIN_ONLY); // constructed: prepended
  }

  @Test
  void loop() { // pyasn/rib.20140523
    check("7660 2516 12989 26769 12989 20940 20940", 20940, -1, Reason.LOOP);
  }

  @Test
  void confederations() { // constructed (RFC 5065 segments do not occur in the MRT corpus)
    check("(65001 65002) 701 3356 15169", 15169, 3356, Reason.OK);
    check("(65001 65002) 15169", 15169, -1, Reason.NEIGHBOUR_IN_CONFED);
    check("[65001,65002] 15169 15169", 15169, -1, Reason.NEIGHBOUR_IN_CONFED);
  }

  @Test
  void fourByteAsns() { // mrtparse-samples/bird*: 4200000000 prepended before a private origin
    check("4200000000 4200000000 4200000000 64512 64512 64512", 64512, 4200000000L, Reason.OK);
    check("701 1299 6739 198731", 198731, 6739, Reason.OK); // pyasn/rib.20140523
    check("3356 4294967194", 4294967194L, 3356, Reason.OK);
  }

  @Test
  void emptyPath() { // iBGP-learned routes have an empty AS_PATH
    check("", -1, -1, Reason.NO_ORIGIN);
  }
}
