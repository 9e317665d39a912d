package io.routewatch.bgp.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routewatch.bgp.TestData;
import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API contract of {@link MrtRouteReader} on small corpus files (counts are pinned by
 * RouteRecordParityTest).
 */
class MrtRouteReaderTest {
  @BeforeAll
  static void data() {
    assumeTrue(TestData.available(), "shared data not found at " + TestData.mrt());
  }

  @Test
  void ribEntriesShareThePeerIndexPeers() throws IOException {
    List<PeerIndexTable> tables = new ArrayList<>();
    List<RouteRecord> routes = new ArrayList<>();
    try (MrtRouteReader r =
        MrtRouteReader.open(
            TestData.mrt("ripe-bgpdump/bview.ipv4_unicast_add_path.gz"), MrtReader.Mode.STRICT)) {
      r.readAll(
          new RouteRecordSink() {
            @Override
            public void route(RouteRecord rec) {
              routes.add(rec);
            }

            @Override
            public void peerIndex(PeerIndexTable t) {
              tables.add(t);
            }
          });
      assertEquals(1, tables.size());
      assertSame(tables.get(0), r.peerIndex());
    }
    PeerIndexTable t = tables.get(0);
    assertEquals(62, routes.size());
    for (RouteRecord rec : routes) {
      assertEquals(RouteRecord.Kind.RIB_ENTRY, rec.kind());
      assertTrue(rec.peer().hasBgpId(), "TABLE_DUMP_V2 peers carry their BGP id");
      assertTrue(
          t.peers().stream().anyMatch(p -> p == rec.peer()),
          "same MrtPeer instance as the peer index");
      assertTrue(rec.pathId() >= 0, "RIB_IPV4_UNICAST_ADDPATH entries carry a path id");
      assertEquals(MrtType.RIB_IPV4_UNICAST_ADDPATH, rec.mrtSubtype());
    }
  }

  @Test
  void recordsOfOneUpdateShareOneAttributeObjectAndIteratorAgreesWithSink() throws IOException {
    var file = TestData.mrt("ripe-bgpdump/updates.20100722.2015.gz");
    Map<Long, PathAttributes> byRecord = new HashMap<>();
    Map<PathAttributes, Boolean> distinct = new IdentityHashMap<>();
    long pushed;
    try (MrtRouteReader r = MrtRouteReader.open(file, MrtReader.Mode.LENIENT)) {
      pushed =
          r.readAll(
              rec -> {
                if (rec.kind() != RouteRecord.Kind.ANNOUNCE) return;
                PathAttributes first = byRecord.putIfAbsent(rec.recordNumber(), rec.attributes());
                if (first != null)
                  assertSame(first, rec.attributes(), "record " + rec.recordNumber());
                distinct.put(rec.attributes(), true);
                assertNotNull(rec.asPath());
                assertTrue(rec.peer().localAsn() >= 0, "BGP4MP names the local AS");
              });
    }
    assertEquals(byRecord.size(), distinct.size());
    long iterated = 0;
    try (MrtRouteReader r = MrtRouteReader.open(file, MrtReader.Mode.LENIENT)) {
      for (RouteRecord rec : r) iterated++;
    }
    assertEquals(pushed, iterated);
  }

  @Test
  void endOfRibCarriesTheAddressFamily() throws IOException {
    List<RouteRecord> eor = new ArrayList<>();
    try (MrtRouteReader r =
        MrtRouteReader.open(
            TestData.mrt("mrtparse-samples/bird6-mrtdump_bgp"), MrtReader.Mode.STRICT)) {
      r.readAll(
          rec -> {
            if (rec.kind() == RouteRecord.Kind.END_OF_RIB) eor.add(rec);
          });
    }
    assertEquals(2, eor.size());
    for (RouteRecord rec : eor) {
      assertEquals(2, rec.afi());
      assertEquals(1, rec.safi());
    }
  }

  @Test
  void strictThrowsLocatedAndLenientReports() throws IOException {
    var file =
        TestData.mrt("pyasn/bview.20140112.1600_3samples.bz2"); // RIB records, no PEER_INDEX_TABLE
    try (MrtRouteReader r = MrtRouteReader.open(file, MrtReader.Mode.STRICT)) {
      DecodeException e = assertThrows(DecodeException.class, () -> r.readAll(rec -> {}));
      assertEquals(1, e.recordNumber());
      assertTrue(e.byteOffset() >= 12);
    }
    try (MrtRouteReader r = MrtRouteReader.open(file, MrtReader.Mode.LENIENT)) {
      assertEquals(0, r.readAll(rec -> {}));
      assertEquals(3, r.problems().size());
      assertTrue(
          r.problems().stream().allMatch(p -> p.outcome() == DecodeProblem.Outcome.SKIPPED_RECORD));
    }
  }

  @Test
  void birdAddPathUnderPlainSubtypeIsRepairedAndSaysSo() throws IOException {
    try (MrtRouteReader r =
        MrtRouteReader.open(TestData.mrt("mrtparse-samples/bird_bgp"), MrtReader.Mode.LENIENT)) {
      List<RouteRecord> a = new ArrayList<>();
      r.readAll(
          rec -> {
            if (rec.kind() == RouteRecord.Kind.ANNOUNCE) a.add(rec);
          });
      assertEquals("172.17.0.0/24", a.get(0).prefix().toString());
      assertEquals(2, a.get(0).pathId());
      assertEquals(
          6,
          r.problems().stream().filter(p -> p.outcome() == DecodeProblem.Outcome.REPAIRED).count());
    }
  }
}
