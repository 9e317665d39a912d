package io.routewatch.state.rpki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.RoaChangeType;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ROA changes of the watched space between two VRP loads. */
class RoaDiffTest {
  static Vrp vrp(String p, int max, long asn) {
    return new Vrp(Prefix.parse(p), max, asn);
  }

  static final WatchedSpace SPACE =
      WatchedSpace.of(List.of(Prefix.parse("192.0.2.0/24")), new int[] {64510});

  @Test
  void addedRemovedAndMaxLengthChangedOfTheWatchedSpaceOnly() {
    List<Vrp> before =
        List.of(
            vrp("192.0.2.0/24", 24, 64500), // the watched prefix: removed below
            vrp("192.0.0.0/16", 24, 64500), // covers it: maxLength changes
            vrp("198.51.100.0/24", 24, 64510), // the watched AS's: stays
            vrp("203.0.113.0/24", 24, 64999)); // not watched: changes unseen
    List<Vrp> after =
        List.of(
            vrp("192.0.0.0/16", 22, 64500),
            vrp("192.0.0.0/16", 20, 64500), // two VRPs, one (prefix, AS): the longest counts
            vrp("198.51.100.0/24", 24, 64510),
            vrp("2001:db8::/32", 48, 64510), // the watched AS's new ROA
            vrp("192.0.2.128/25", 25, 0), // AS0 inside the watched prefix
            vrp("203.0.113.0/24", 32, 64999));
    Map<RoaDiff.Key, Integer> b = RoaDiff.watched(before, SPACE);
    Map<RoaDiff.Key, Integer> a = RoaDiff.watched(after, SPACE);
    assertEquals(3, b.size(), "203.0.113.0/24 of AS64999 is not watched");
    List<RoaDiff.Delta> d = RoaDiff.diff(b, SPACE, a, SPACE);
    assertEquals(
        List.of(
            new RoaDiff.Delta(
                Prefix.parse("192.0.0.0/16"),
                64500,
                RoaChangeType.ROA_CHANGE_TYPE_MAX_LENGTH_CHANGED,
                24,
                22),
            new RoaDiff.Delta(
                Prefix.parse("192.0.2.0/24"), 64500, RoaChangeType.ROA_CHANGE_TYPE_REMOVED, 24, 0),
            new RoaDiff.Delta(
                Prefix.parse("192.0.2.128/25"), 0, RoaChangeType.ROA_CHANGE_TYPE_ADDED, 0, 25),
            new RoaDiff.Delta(
                Prefix.parse("2001:db8::/32"), 64510, RoaChangeType.ROA_CHANGE_TYPE_ADDED, 0, 48)),
        d);
  }

  @Test
  void whatEntersOrLeavesTheSpaceIsNoChange() {
    List<Vrp> vrps = List.of(vrp("192.0.2.0/24", 24, 64500), vrp("198.51.100.0/24", 24, 64777));
    WatchedSpace more =
        WatchedSpace.of(
            List.of(Prefix.parse("192.0.2.0/24"), Prefix.parse("198.51.100.0/24")), new int[0]);
    // a new watch entry: its ROAs are its baseline
    assertTrue(
        RoaDiff.diff(RoaDiff.watched(vrps, SPACE), SPACE, RoaDiff.watched(vrps, more), more)
            .isEmpty());
    // an entry gone, and its ROA with it: not reported either
    List<Vrp> fewer = List.of(vrp("192.0.2.0/24", 24, 64500));
    assertTrue(
        RoaDiff.diff(RoaDiff.watched(vrps, more), more, RoaDiff.watched(fewer, SPACE), SPACE)
            .isEmpty());
    // nothing watched: nothing kept
    assertTrue(RoaDiff.watched(vrps, WatchedSpace.NONE).isEmpty());
  }
}
