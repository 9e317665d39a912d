package io.routewatch.state.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.state.rib.ChangeEvent;
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
}
