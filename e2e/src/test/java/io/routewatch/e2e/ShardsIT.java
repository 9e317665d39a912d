package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.GetPrefixRequest;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetVisibilityRequest;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Subject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, acceptance 3: three state shards on loopback (consistent hashing of the prefix space by
 * the collector, cross-shard queries merged by whichever instance answers) answer GetUpstreams and
 * GetVisibility for origins and countries, and GetVisibility for prefixes, exactly like one
 * instance after importing the same archives. Every question is put to each of the three shards.
 */
class ShardsIT {
  /** A RouteViews RIB excerpt and a RIS update file with North Korea's 2015 routing. */
  static final List<Path> FILES =
      List.of(
          Stack.data().resolve("mrt/pyasn/rib.20140523.0600_firstMB.bz2"),
          Stack.data().resolve("mrt/ripe-bgpdump/updates.et-header.2015.gz"));

  static final long[] ASNS = {
    131279, 4837, 15169, 3356, 7018, 4134, 701, 174, 1299, 2914, 9002, 20485, 12389
  };
  static final String[] COUNTRIES = {"KP", "CN", "US", "RU", "DE", "JP", "BR"};
  static final String[] PREFIXES = {
    "175.45.176.0/24",
    "175.45.176.0/22",
    "8.0.0.0/8",
    "1.0.0.0/8",
    "12.0.0.0/8",
    "2001::/16",
    "2a00::/12"
  };

  @Test
  void threeShardsAnswerLikeOneInstance() throws Exception {
    Map<String, String> single;
    GetStatsResponse singleStats;
    try (Stack one = new Stack(Map.of())) {
      one.startState();
      one.startCollector();
      importAll(one);
      awaitQuiet(List.of(one.state()));
      singleStats = one.stats(false);
      single = answers(one.state());
    }
    assertTrue(singleStats.getRoutes() > 50_000, "too little imported: " + singleStats);

    try (Stack sharded = new Stack(Map.of())) {
      int[] ports = {Stack.freePort(), Stack.freePort(), Stack.freePort()};
      List<String> peers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        peers.add("state-" + i + "=127.0.0.1:" + ports[i]);
      }
      String peerList = String.join(",", peers);
      for (int i = 0; i < 3; i++) {
        sharded.startStateShard(
            "state-" + i,
            ports[i],
            Map.of(
                "ROUTEWATCH_DB_URL",
                sharded.pg.database("shard" + i),
                "ROUTEWATCH_STATE_SHARD_NAME",
                "state-" + i,
                "ROUTEWATCH_STATE_SHARD_PEERS",
                peerList));
      }
      sharded.startCollector(Map.of("ROUTEWATCH_COLLECTOR_STATE_SHARDS", peerList));
      importAll(sharded);
      List<StateQueryGrpc.StateQueryBlockingStub> shards = new ArrayList<>();
      for (int port : ports) {
        shards.add(StateQueryGrpc.newBlockingStub(sharded.channel(port)));
      }
      awaitQuiet(shards);

      // The routes were spread, not copied: every shard holds part, together all of them.
      long routes = 0;
      StringBuilder spread = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        GetStatsResponse s = stats(shards.get(i));
        routes += s.getRoutes();
        spread.append(" state-").append(i).append(": ").append(s.getRoutes());
        assertTrue(
            s.getRoutes() > singleStats.getRoutes() / 6,
            "state-" + i + " holds too small a part:" + spread + " of " + singleStats.getRoutes());
      }
      assertEquals(singleStats.getRoutes(), routes, "routes over the shards:" + spread);
      System.out.println(
          "shards: routes" + spread + " (one instance: " + singleStats.getRoutes() + ")");

      int compared = 0;
      for (int i = 0; i < 3; i++) {
        Map<String, String> got = answers(shards.get(i));
        for (Map.Entry<String, String> q : single.entrySet()) {
          assertEquals(q.getValue(), got.get(q.getKey()), "state-" + i + " answers " + q.getKey());
          compared++;
        }
      }
      System.out.println(
          "shards: "
              + compared
              + " answers of 3 shards equal one instance's ("
              + single.size()
              + " questions each)");
    }
  }

  private static void importAll(Stack s) throws Exception {
    for (Path f : FILES) {
      assertEquals(
          ImportState.DONE,
          s.importFile(f, "shards-" + f.getFileName(), Duration.ofMinutes(5)).getState(),
          f.toString());
    }
  }

  private static GetStatsResponse stats(StateQueryGrpc.StateQueryBlockingStub s) {
    return s.withDeadlineAfter(60, TimeUnit.SECONDS).getStats(GetStatsRequest.getDefaultInstance());
  }

  /** Until no instance's journal or applied count moved for 3 s (bounded: 2 min). */
  private static void awaitQuiet(List<StateQueryGrpc.StateQueryBlockingStub> states)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    String last = "";
    long since = System.nanoTime();
    while (System.nanoTime() < deadline) {
      StringBuilder now = new StringBuilder();
      for (StateQueryGrpc.StateQueryBlockingStub s : states) {
        GetStatsResponse st = stats(s);
        now.append(st.getLastChangeSequence())
            .append('/')
            .append(st.getEventsApplied())
            .append(' ');
      }
      if (!now.toString().equals(last)) {
        last = now.toString();
        since = System.nanoTime();
      } else if (System.nanoTime() - since > Duration.ofSeconds(3).toNanos()) {
        return;
      }
      Thread.sleep(250);
    }
  }

  /**
   * Question → answer (protobuf text form): upstreams and visibility of origins and countries,
   * visibility of prefixes (with their more-specifics over all shards), and North Korea's prefixes'
   * routes (GetPrefix) whichever shard holds them.
   */
  private static Map<String, String> answers(StateQueryGrpc.StateQueryBlockingStub s) {
    StateQueryGrpc.StateQueryBlockingStub q = s.withDeadlineAfter(60, TimeUnit.SECONDS);
    Map<String, String> out = new LinkedHashMap<>();
    for (long asn : ASNS) {
      out.put(
          "upstreams AS" + asn,
          q.getUpstreams(GetUpstreamsRequest.newBuilder().setAsn((int) asn).build()).toString());
      out.put("visibility AS" + asn, visibility(q, Subject.newBuilder().setAsn((int) asn).build()));
    }
    for (String cc : COUNTRIES) {
      out.put(
          "upstreams " + cc,
          q.getUpstreams(GetUpstreamsRequest.newBuilder().setCountry(cc).build()).toString());
      out.put("visibility " + cc, visibility(q, Subject.newBuilder().setCountry(cc).build()));
    }
    for (String p : PREFIXES) {
      out.put("visibility " + p, visibility(q, Subject.newBuilder().setPrefix(p).build()));
    }
    // and the prefixes North Korea's origin announces, whichever shard holds them
    for (String p :
        List.of(
            "175.45.176.0/24",
            "175.45.177.0/24",
            "175.45.178.0/24",
            "175.45.179.0/24",
            "8.8.8.0/24",
            "1.0.0.0/24")) {
      out.put("visibility " + p, visibility(q, Subject.newBuilder().setPrefix(p).build()));
      out.put(
          "prefix " + p,
          q.getPrefix(GetPrefixRequest.newBuilder().setPrefix(p).build()).toString());
    }
    return out;
  }

  private static String visibility(StateQueryGrpc.StateQueryBlockingStub q, Subject subject) {
    return q.getVisibility(GetVisibilityRequest.newBuilder().setSubject(subject).build())
        .toString();
  }
}
