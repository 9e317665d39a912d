package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.Upstream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 acceptance 2 through the whole chain (collector → state, answers read over gRPC): the
 * North Korea baseline from the real 2015 archive, and upstream shares on a RouteViews RIB checked
 * against a count made here directly from bgpdump's reference lines.
 */
class UpstreamsIT {
  /** One stack per test: the RIB share check must not see the RIS peer of the 2015 import. */
  Stack stack;

  @BeforeEach
  void start() throws Exception {
    stack = new Stack(Map.of());
    stack.startState();
    stack.startCollector();
  }

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void northKoreaBaseline2015() throws Exception {
    Path f = Stack.data().resolve("mrt/ripe-bgpdump/updates.et-header.2015.gz");
    assertEquals(ImportState.DONE, stack.importFile(f, "rrc-nk", Duration.ofMinutes(5)).getState());
    GetUpstreamsResponse byAsn = upstreams(GetUpstreamsRequest.newBuilder().setAsn(131279).build());
    assertEquals(1, byAsn.getUpstreamsCount(), byAsn.toString());
    assertEquals("KP", byAsn.getCountry(), "AS131279's country by APNIC delegation");
    Upstream u = byAsn.getUpstreams(0);
    assertEquals(4837, u.getAsn());
    assertEquals(1.0, u.getVpShare(), 1e-9);
    assertEquals(
        Instant.parse("2015-10-23T02:01:48Z").getEpochSecond(), u.getFirstSeenMicros() / 1_000_000);
    GetUpstreamsResponse kp = upstreams(GetUpstreamsRequest.newBuilder().setCountry("KP").build());
    assertEquals(1, kp.getUpstreamsCount(), kp.toString());
    assertEquals(4837, kp.getUpstreams(0).getAsn());
    assertEquals(1.0, kp.getUpstreams(0).getVpShare(), 1e-9);
  }

  @Test
  void ribSharesMatchAnIndependentCount() throws Exception {
    Path f = Stack.data().resolve("mrt/pyasn/rib.20140523.0600_firstMB.bz2");
    assertEquals(
        ImportState.DONE, stack.importFile(f, "route-views2", Duration.ofMinutes(5)).getState());
    // Independent count from the reference text: per origin, (peer, prefix) → upstream.
    Map<Long, Map<Long, Integer>> perOrigin = new HashMap<>();
    Map<Long, Integer> totals = new HashMap<>();
    Reference.lines(
        f,
        x -> {
          String[] path = x[6].trim().split(" ");
          if (path[0].isEmpty() || path[path.length - 1].startsWith("{")) {
            return; // no single origin
          }
          long origin = Long.parseLong(path[path.length - 1]);
          // DOMAIN §2: the share is over all (VP, prefix) best paths of the origin, including those
          // with no upstream (the VP is the origin itself, a set or confed neighbour, a loop).
          totals.merge(origin, 1, Integer::sum);
          int i = path.length - 2;
          while (i >= 0 && path[i].equals(path[path.length - 1])) {
            i--; // prepends
          }
          if (i < 0
              || path[i].startsWith("{")
              || path[i].startsWith("(")
              || path[i].startsWith("[")) {
            return;
          }
          Set<String> seen = new HashSet<>();
          for (int j = 0; j <= i + 1; j++) {
            if (!seen.add(path[j]) && (j == 0 || !path[j].equals(path[j - 1]))) {
              return; // a loop: no upstream
            }
          }
          perOrigin
              .computeIfAbsent(origin, k -> new HashMap<>())
              .merge(Long.parseLong(path[i]), 1, Integer::sum);
        });
    int checked = 0;
    for (long origin : new long[] {15169, 3356, 7018, 4134, 701}) {
      Map<Long, Integer> want = perOrigin.get(origin);
      if (want == null) {
        continue;
      }
      GetUpstreamsResponse got =
          upstreams(GetUpstreamsRequest.newBuilder().setAsn((int) origin).build());
      for (Upstream u : got.getUpstreamsList()) {
        double share =
            (double) want.getOrDefault(Integer.toUnsignedLong(u.getAsn()), 0) / totals.get(origin);
        assertEquals(share, u.getVpShare(), 1e-9, "AS" + origin + " via AS" + u.getAsn());
      }
      assertEquals(want.size(), got.getUpstreamsCount(), "AS" + origin + " upstream count");
      checked++;
    }
    assertTrue(checked >= 3, "too few origins present in the RIB to check: " + checked);
  }

  private GetUpstreamsResponse upstreams(GetUpstreamsRequest req) {
    return stack.state().withDeadlineAfter(30, TimeUnit.SECONDS).getUpstreams(req);
  }
}
