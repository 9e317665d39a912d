package io.routewatch.state.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.NeighborSide;
import io.routewatch.proto.v1.RouteLeakType;
import io.routewatch.proto.v1.RovState;
import io.routewatch.state.rib.ChangeEvent;
import io.routewatch.state.rib.Neighbor;
import io.routewatch.state.rib.RouteLeak;
import io.routewatch.state.rib.VantagePointKey;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.rpki.Vrp;
import io.routewatch.state.rpki.VrpTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engine knows travels in typed fields, not only in the display text. */
class ChangePublisherTest {
  private static ChangeEvent prefixEvent(
      ChangeEvent.Type type, String covering, long[] before, long[] after) {
    return new ChangeEvent(
        type,
        ChangeEvent.Scope.PREFIX,
        1_203_878_877_000_000L,
        after.length == 1 ? after[0] : -1,
        "PK",
        "208.65.153.0/24",
        -1,
        Double.NaN,
        Double.NaN,
        0.9,
        40,
        new long[0],
        covering,
        before,
        after,
        null);
  }

  @Test
  void moreSpecificCarriesItsCoveringPrefixAndBothOriginSets() {
    Change c =
        ChangePublisher.toProto(
                prefixEvent(
                    ChangeEvent.Type.MORE_SPECIFIC,
                    "208.65.152.0/22",
                    new long[] {36561},
                    new long[] {17557}))
            .build();
    assertEquals(ChangeKind.MORE_SPECIFIC, c.getKind());
    assertEquals(List.of(36561), c.getOriginsBeforeList());
    assertEquals(List.of(17557), c.getOriginsAfterList());
    assertEquals(22, c.getCoveringPrefix().getLength());
    assertEquals(ChangePublisher.prefix("208.65.152.0/22"), c.getCoveringPrefix());
    assertEquals(c.getTimeMicros(), c.getMovedAtMicros());
  }

  @Test
  void originChangeCarriesEveryOriginOfAMoas() {
    Change c =
        ChangePublisher.toProto(
                prefixEvent(
                    ChangeEvent.Type.ORIGIN_CHANGED,
                    null,
                    new long[] {36561},
                    new long[] {17557, 36561}))
            .build();
    assertEquals(List.of(36561), c.getOriginsBeforeList());
    assertEquals(List.of(17557, 36561), c.getOriginsAfterList());
    assertEquals(false, c.hasCoveringPrefix());
  }

  @Test
  void visibilityEventsCarryNoOrigins() {
    Change c =
        ChangePublisher.toProto(
                prefixEvent(
                    ChangeEvent.Type.VISIBILITY_LOST, null, new long[] {36561}, new long[] {36561}))
            .build();
    assertEquals(0, c.getOriginsBeforeCount());
    assertEquals(0, c.getOriginsAfterCount());
  }

  /** AS36561 holds a ROA for 208.65.152.0/22 up to /24; AS17557 none. */
  private static final VrpTable YOUTUBE_ROA =
      VrpTable.of(List.of(new Vrp(Prefix.parse("208.65.152.0/22"), 24, 36561)));

  @Test
  void originChangeCarriesEachOriginsRovStateAndTheWorst() {
    ChangeEvent e =
        prefixEvent(
            ChangeEvent.Type.ORIGIN_CHANGED, null, new long[] {36561}, new long[] {17557, 36561});
    Change.Builder b = ChangePublisher.toProto(e);
    ChangePublisher.validate(b, e, YOUTUBE_ROA);
    Change c = b.build();
    assertEquals(
        List.of(RovState.ROV_STATE_INVALID_ASN, RovState.ROV_STATE_VALID),
        c.getOriginRovStatesList());
    assertEquals(RovState.ROV_STATE_INVALID_ASN, c.getRovState());
  }

  @Test
  void announcementOfAValidOriginIsValidAndTooLongIsInvalidLength() {
    ChangeEvent ok =
        prefixEvent(ChangeEvent.Type.PREFIX_ANNOUNCED, null, new long[0], new long[] {36561});
    Change.Builder b = ChangePublisher.toProto(ok);
    ChangePublisher.validate(b, ok, YOUTUBE_ROA);
    assertEquals(RovState.ROV_STATE_VALID, b.getRovState());
    ChangeEvent tooLong =
        new ChangeEvent(
            ChangeEvent.Type.MORE_SPECIFIC,
            ChangeEvent.Scope.PREFIX,
            1L,
            36561,
            "US",
            "208.65.153.0/25",
            -1,
            Double.NaN,
            Double.NaN,
            0.9,
            4,
            new long[0],
            "208.65.152.0/22",
            new long[] {36561},
            new long[] {36561},
            null);
    Change.Builder m = ChangePublisher.toProto(tooLong);
    ChangePublisher.validate(m, tooLong, YOUTUBE_ROA);
    assertEquals(RovState.ROV_STATE_INVALID_LENGTH, m.getRovState());
    ChangeEvent elsewhere =
        prefixEvent(ChangeEvent.Type.PREFIX_ANNOUNCED, null, new long[0], new long[] {17557});
    Change.Builder n = ChangePublisher.toProto(elsewhere);
    ChangePublisher.validate(n, elsewhere, VrpTable.of(List.of()));
    assertEquals(RovState.ROV_STATE_NOT_FOUND, n.getRovState());
  }

  @Test
  void otherKindsCarryNoRovState() {
    ChangeEvent e =
        prefixEvent(ChangeEvent.Type.PREFIX_WITHDRAWN, null, new long[] {17557}, new long[0]);
    Change.Builder b = ChangePublisher.toProto(e);
    ChangePublisher.validate(b, e, YOUTUBE_ROA);
    assertEquals(RovState.ROV_STATE_UNSPECIFIED, b.getRovState());
    assertEquals(0, b.getOriginRovStatesCount());
  }

  @Test
  void routeLeakCarriesLeakerSegmentTypeAndVantagePoints() {
    // the 2019 Verizon/DQE leak: AS396531 passed DQE's (AS33154) route to Verizon (AS701)
    VantagePointKey vp = new VantagePointKey("rrc00", new byte[] {127, 0, 0, 11}, 3356, 7);
    ChangeEvent e =
        new ChangeEvent(
            ChangeEvent.Type.ROUTE_LEAK,
            ChangeEvent.Scope.PREFIX,
            1_561_364_400_000_000L,
            13335,
            "US",
            "104.20.0.0/20",
            -1,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            1,
            new long[] {3356},
            null,
            new long[0],
            new long[0],
            null,
            1_561_364_400_000_000L,
            "3356 701 396531 33154 3356 13335",
            false,
            new RouteLeak(396531, new long[] {701, 396531, 33154}, 1, List.of(vp)));
    Change c = ChangePublisher.toProto(e).build();
    assertEquals(ChangeKind.CHANGE_KIND_ROUTE_LEAK, c.getKind());
    assertEquals(396531, c.getLeakerAsn());
    assertEquals(List.of(701, 396531, 33154), c.getLeakSegmentList());
    assertEquals(RouteLeakType.ROUTE_LEAK_TYPE_HAIRPIN, c.getLeakType());
    assertEquals(1, c.getLeakVantagePointsCount());
    assertEquals(3356, c.getLeakVantagePoints(0).getPeerAsn());
    assertEquals("rrc00", c.getLeakVantagePoints(0).getCollector());
    assertEquals(4, c.getLeakVantagePoints(0).getPeerAddress().size());
    assertEquals("3356 701 396531 33154 3356 13335", c.getAsPath());
    assertEquals(List.of(3356), c.getPeerAsnsList());
    assertEquals(0, c.getOriginsBeforeCount());
  }

  @Test
  void aNewNeighbourCarriesTheWatchedAsTheNeighbourItsSideAndSince() {
    ChangeEvent e =
        new ChangeEvent(
            ChangeEvent.Type.NEIGHBOR_APPEARED,
            ChangeEvent.Scope.ORIGIN,
            1_561_364_460_000_000L,
            701,
            "US",
            "104.20.0.0/20",
            -1,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            2,
            new long[] {3356, 4294967295L},
            null,
            new long[0],
            new long[0],
            null,
            1_561_364_460_000_000L,
            "3356 701 396531 33154 3356 13335",
            true,
            null,
            new Neighbor(701, 396531, Neighbor.DOWNSTREAM, 1_561_364_400_000_000L));
    Change c = ChangePublisher.toProto(e).build();
    assertEquals(ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED, c.getKind());
    assertEquals(701, c.getAsn());
    assertEquals(396531, c.getNeighborAsn());
    assertEquals(NeighborSide.NEIGHBOR_SIDE_DOWNSTREAM, c.getNeighborSide());
    assertEquals(1_561_364_400_000_000L, c.getNeighborSinceMicros());
    assertEquals(0, c.getUpstream()); // not an upstream change
    assertEquals(List.of(3356, -1), c.getPeerAsnsList()); // uint32 4294967295 as a Java int
    assertEquals(2, c.getVpCount());
    assertEquals(true, c.getSpreadUpdate());
    assertEquals("3356 701 396531 33154 3356 13335", c.getAsPath());
    assertEquals(
        ChangeKind.CHANGE_KIND_NEIGHBOR_GONE, ChangePublisher.kind(ChangeEvent.Type.NEIGHBOR_GONE));
  }
}
