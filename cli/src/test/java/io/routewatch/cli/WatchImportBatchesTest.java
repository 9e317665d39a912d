package io.routewatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.WatchEntry;
import io.routewatch.proto.v1.WatchKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `watch import` sends request-sized slices: under the alert service's 256 KiB message limit. */
class WatchImportBatchesTest {
  @Test
  void slicesStayUnderTheMessageLimitAndKeepEveryEntryInOrder() {
    List<WatchEntry> all = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      all.add(
          WatchEntry.newBuilder()
              .setKind(WatchKind.PREFIX)
              .setValue("100.64." + (i / 256 % 256) + "." + (i % 256) + "/32")
              .putOverrides("origins", "64512,64513")
              .setDescription("x".repeat(i % 200))
              .build());
    }
    List<List<WatchEntry>> b = WatchCommand.batches(all);
    List<WatchEntry> back = new ArrayList<>();
    for (List<WatchEntry> one : b) {
      assertTrue(one.size() <= 10_000);
      int bytes = one.stream().mapToInt(e -> e.getSerializedSize() + 4).sum();
      assertTrue(bytes <= 200_000, "slice of " + bytes + " bytes");
      back.addAll(one);
    }
    assertEquals(all, back);
    assertEquals(List.of(), WatchCommand.batches(List.of()));
  }
}
