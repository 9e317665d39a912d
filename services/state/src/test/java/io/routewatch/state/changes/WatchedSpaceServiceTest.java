package io.routewatch.state.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.SetWatchedSpaceRequest;
import io.routewatch.state.route.WatchedSpace;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class WatchedSpaceServiceTest {
  private static Prefix v4(int a, int b, int c, int len) {
    return Prefix.newBuilder()
        .setAfi(Afi.IPV4)
        .setAddress(ByteString.copyFrom(new byte[] {(byte) a, (byte) b, (byte) c}))
        .setLength(len)
        .build();
  }

  @Test
  void theRequestBecomesTheSpace() {
    WatchedSpace w =
        WatchedSpaceService.parse(
            SetWatchedSpaceRequest.newBuilder()
                .addPrefixes(v4(208, 65, 152, 22))
                .addPrefixes(v4(208, 65, 152, 22))
                .addAsns(36561)
                .build());
    assertEquals(1, w.prefixCount());
    assertEquals(1, w.asnCount());
    assertTrue(w.watches(io.routewatch.state.route.Prefix.parse("208.65.153.0/24"), new int[0]));
  }

  @Test
  void badEntriesAreRefusedNamingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WatchedSpaceService.parse(
                    SetWatchedSpaceRequest.newBuilder()
                        .addPrefixes(v4(10, 0, 0, 8))
                        .addPrefixes(v4(10, 0, 0, 33))
                        .build()));
    assertTrue(e.getMessage().startsWith("prefixes[1]: "), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WatchedSpaceService.parse(
                    SetWatchedSpaceRequest.newBuilder()
                        .addPrefixes(v4(10, 0, 0, 8).toBuilder().setAfi(Afi.AFI_UNSPECIFIED))
                        .build()));
    assertTrue(e.getMessage().startsWith("prefixes[0]: address family"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WatchedSpaceService.parse(
                    SetWatchedSpaceRequest.newBuilder()
                        .addAllAsns(Collections.nCopies(WatchedSpaceService.MAX_ENTRIES + 1, 1))
                        .build()));
    assertTrue(e.getMessage().startsWith("asns: 500001 given"), e.getMessage());
  }
}
