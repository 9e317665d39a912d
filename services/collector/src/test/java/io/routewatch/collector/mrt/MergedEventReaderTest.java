package io.routewatch.collector.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.collector.publish.BatchBuilder;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Archive range imports read several collectors' files as one input merged by time. */
class MergedEventReaderTest {
  static final Path DATA = Path.of(ImportSafetyResource.data());
  static final Path RRC06 = DATA.resolve("mrt/libbgpstream/ris.rrc06.updates.1427846400.gz");
  static final Path JINX =
      DATA.resolve("mrt/libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2");

  static List<RouteEvent> read(ImportSource r) {
    List<RouteEvent> out = new ArrayList<>();
    try (r) {
      BatchBuilder b = r.newBatch("test", "s");
      while (r.next(b)) {
        if (b.size() > 1000) {
          out.addAll(b.build(1, false).getEventsList());
          b = r.newBatch("test", "s");
        }
      }
      RouteEventBatch last = b.build(1, true);
      out.addAll(last.getEventsList());
    }
    return out;
  }

  @Test
  void mergesTwoCollectorsByTimeAndLosesNothing() {
    int n06 = read(MrtEventReader.open(RRC06, "rrc06", 1 << 24, (a, b, c) -> {})).size();
    int nJinx =
        read(MrtEventReader.open(JINX, "route-views.jinx", 1 << 24, (a, b, c) -> {})).size();
    Map<String, List<Path>> lanes = new LinkedHashMap<>();
    lanes.put("rrc06", List.of(RRC06));
    lanes.put("route-views.jinx", List.of(JINX));
    List<String> errors = new ArrayList<>();
    MergedEventReader merged =
        new MergedEventReader(
            lanes,
            "rrc06,route-views.jinx",
            FeedKind.MRT_UPDATES,
            1 << 24,
            (r, o, m) -> errors.add(m));
    List<RouteEvent> all = read(merged);
    assertEquals(n06 + nJinx, all.size());
    assertTrue(n06 > 1000 && nJinx > 1000, n06 + " " + nJinx);
    long prev = 0;
    int switches = 0;
    for (int i = 0; i < all.size(); i++) {
      long ts = all.get(i).getTimestampMicros();
      assertTrue(ts >= prev, "time order at event " + i + ": " + ts + " < " + prev);
      prev = ts;
      if (i > 0 && all.get(i).getVpRef() != all.get(i - 1).getVpRef()) {
        switches++;
      }
    }
    assertTrue(switches > 100, "events interleave across the collectors: " + switches);
    // reading again yields the same events (repeatable batches)
    MergedEventReader again =
        new MergedEventReader(
            lanes, "rrc06,route-views.jinx", FeedKind.MRT_UPDATES, 1 << 24, (r, o, m) -> {});
    assertEquals(
        all.stream().map(RouteEvent::getTimestampMicros).toList(),
        read(again).stream().map(RouteEvent::getTimestampMicros).toList());
  }
}
