package io.routewatch.alert.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.routewatch.alert.watch.WatchEntry;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.SetWatchedSpaceRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The watched space state is told: the PREFIX and ASN entries, typed; COUNTRY entries not. */
class WatchedSpaceSyncTest {
  private static WatchEntry entry(WatchEntry.Kind k, String value) {
    return new WatchEntry(k, value, Map.of(), "", "test");
  }

  @Test
  void prefixAndAsnEntriesMakeTheSpace() {
    SetWatchedSpaceRequest r =
        WatchedSpaceSync.request(
            List.of(
                entry(WatchEntry.Kind.PREFIX, "208.65.152.0/22"),
                entry(WatchEntry.Kind.PREFIX, "2001:db8:100::/40"),
                entry(WatchEntry.Kind.ASN, "AS36561"),
                entry(WatchEntry.Kind.ASN, "AS4200000000"),
                entry(WatchEntry.Kind.COUNTRY, "KP")));
    assertEquals(
        List.of(
            Prefix.newBuilder()
                .setAfi(Afi.IPV4)
                .setAddress(ByteString.copyFrom(new byte[] {(byte) 208, 65, (byte) 152}))
                .setLength(22)
                .build(),
            Prefix.newBuilder()
                .setAfi(Afi.IPV6)
                .setAddress(ByteString.copyFrom(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0x01}))
                .setLength(40)
                .build()),
        r.getPrefixesList());
    assertEquals(List.of(36561, (int) 4_200_000_000L), r.getAsnsList());
  }

  @Test
  void anEmptyListWatchesNothing() {
    assertEquals(SetWatchedSpaceRequest.getDefaultInstance(), WatchedSpaceSync.request(List.of()));
  }
}
