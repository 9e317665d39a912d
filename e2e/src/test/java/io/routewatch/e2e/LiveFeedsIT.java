package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.cli.Main;
import io.routewatch.proto.v1.GetPrefixRequest;
import io.routewatch.proto.v1.GetPrefixResponse;
import io.routewatch.proto.v1.VantagePointRoute;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 7: the collector's live feeds against real captures and real routing daemons (ExaBGP,
 * GoBGP, FRR with BMP), through the whole chain to state. Daemons run as nobody on 127.0.0.x.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveFeedsIT {
  static Stack stack;
  static int bgpPort;
  static int bmpPort;

  static final String NEIGHBORS =
      String.join(
          ",",
          "address=127.0.0.1;name=replay",
          "address=127.0.0.10;asn=65010;name=gobgp",
          "address=127.0.0.21;asn=65021;name=exabgp",
          "address=127.0.0.31;asn=65031;name=frr",
          "address=127.0.0.41;asn=65041;name=bird");

  @BeforeAll
  static void start() throws Exception {
    bgpPort = Stack.freePort();
    bmpPort = Stack.freePort();
    stack =
        new Stack(
            Map.of(
                "ROUTEWATCH_COLLECTOR_BGP_PORT",
                Integer.toString(bgpPort),
                "ROUTEWATCH_COLLECTOR_BMP_PORT",
                Integer.toString(bmpPort),
                "ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS",
                NEIGHBORS,
                "ROUTEWATCH_COLLECTOR_BMP_ROUTERS",
                "address=127.0.0.1;name=local",
                "ROUTEWATCH_COLLECTOR_BMP_SETTLE",
                "5s"));
    stack.startState();
    stack.startCollector();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static String metrics() throws Exception {
    return Metrics.scrape(stack.collectorPort);
  }

  static void await(String what, java.time.Duration timeout, BooleanSupplier ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ok.getAsBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "not true after "
            + timeout
            + ": "
            + what
            + "\ncollector log tail:\n"
            + tail(stack.log("collector")));
  }

  static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  static GetPrefixResponse prefix(String p) {
    return stack
        .state()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getPrefix(GetPrefixRequest.newBuilder().setPrefix(p).build());
  }

  /** Routes of a prefix seen from the VP with this peer address. */
  static List<VantagePointRoute> routes(String p, String peer) {
    return prefix(p).getRoutesList().stream().filter(r -> r.getPeerAddress().equals(peer)).toList();
  }

  static List<Path> captures(String sub) throws IOException {
    try (Stream<Path> s = Files.walk(Stack.data().resolve(sub))) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap)$"))
          .sorted()
          .toList();
    }
  }

  static Map<Integer, Long> tsharkCounts(Path capture, String field) throws IOException {
    Map<Integer, Long> counts = new TreeMap<>();
    Path tsv = capture.resolveSibling(capture.getFileName() + ".tshark-fields.tsv.gz");
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(tsv)), StandardCharsets.UTF_8))) {
      int col = List.of(r.readLine().split("\t", -1)).indexOf(field);
      for (String line; (line = r.readLine()) != null; ) {
        String[] c = line.split("\t", -1);
        if (col < c.length && !c[col].isEmpty()) {
          for (String v : c[col].split(",")) {
            counts.merge(Integer.parseInt(v.trim()), 1L, Long::sum);
          }
        }
      }
    }
    return counts;
  }

  static final String[] BMP_TYPES = {
    "route_monitoring",
    "statistics_report",
    "peer_down",
    "peer_up",
    "initiation",
    "termination",
    "route_mirroring"
  };

  /**
   * Same known differences as the codec's BmpCaptureCountsTest: this capture is BMP v4 draft, where
   * tshark 4.0 stops early; NetGauze's own decode lists 21 Route Monitoring + 9 Peer Up.
   */
  static final Map<String, Map<Integer, Long>> BMP_KNOWN =
      Map.of("bmp/netgauze/stateless-with-add-path/ipv4_unicast_all.pcap", Map.of(0, 21L, 3, 9L));

  /** Acceptance 4: the station counts every captured BMP message by type as tshark does. */
  @Test
  @Order(1)
  void everyBmpCaptureReplayedCountsLikeTshark() throws Exception {
    StringBuilder report = new StringBuilder();
    for (Path f : captures("bmp")) {
      String name = Stack.data().relativize(f).toString();
      Map<Integer, Long> want = BMP_KNOWN.getOrDefault(name, tsharkCounts(f, "bmp.type"));
      String before = metrics();
      int rc =
          Main.run(
              "pcap",
              "replay",
              f.toString(),
              "--kind",
              "bmp",
              "--to",
              "127.0.0.1:" + bmpPort,
              "--linger-ms",
              "200");
      assertEquals(0, rc, name + " replay exit code");
      long total = want.values().stream().mapToLong(Long::longValue).sum();
      await(
          name + " all " + total + " messages counted",
          java.time.Duration.ofSeconds(20),
          () -> {
            try {
              String now = metrics();
              return Metrics.sum(now, "routewatch_collector_bmp_messages_total")
                      - Metrics.sum(before, "routewatch_collector_bmp_messages_total")
                  >= total;
            } catch (Exception e) {
              return false;
            }
          });
      String after = metrics();
      Map<Integer, Long> got = new TreeMap<>();
      for (int t = 0; t < BMP_TYPES.length; t++) {
        String l = "type=\"" + BMP_TYPES[t] + "\"";
        long d =
            Math.round(
                Metrics.sum(after, "routewatch_collector_bmp_messages_total", l)
                    - Metrics.sum(before, "routewatch_collector_bmp_messages_total", l));
        if (d > 0) {
          got.put(t, d);
        }
      }
      assertEquals(want, got, name + " BMP messages by type");
      report.append(String.format("%-80s %s%n", name, got));
    }
    System.out.print(report);
  }

  /**
   * UPDATEs a session replay can deliver: per direction (source → destination address and port),
   * those after that direction's first OPEN. A capture that starts mid-session has no OPEN in a
   * direction; the collector refuses such a flow at its first message (FSM error, RFC 4271 §8).
   */
  static long[] replayableUpdates(Path capture) throws IOException {
    Path tsv = capture.resolveSibling(capture.getFileName() + ".tshark-fields.tsv.gz");
    Map<String, Boolean> opened = new TreeMap<>();
    long replayable = 0;
    long all = 0;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(tsv)), StandardCharsets.UTF_8))) {
      List<String> h = List.of(r.readLine().split("\t", -1));
      int type = h.indexOf("bgp.type");
      int[] key = {
        h.indexOf("ip.src"),
        h.indexOf("ipv6.src"),
        h.indexOf("tcp.srcport"),
        h.indexOf("ip.dst"),
        h.indexOf("ipv6.dst"),
        h.indexOf("tcp.dstport")
      };
      for (String line; (line = r.readLine()) != null; ) {
        String[] c = line.split("\t", -1);
        if (type >= c.length || c[type].isEmpty()) {
          continue;
        }
        StringBuilder k = new StringBuilder();
        for (int i : key) {
          k.append(i < c.length ? c[i] : "").append('|');
        }
        for (String v : c[type].split(",")) {
          int t = Integer.parseInt(v.trim());
          if (t == 1) {
            opened.put(k.toString(), true);
          } else if (t == 2) {
            all++;
            if (opened.getOrDefault(k.toString(), false)) {
              replayable++;
            }
          }
        }
      }
    }
    return new long[] {replayable, all};
  }

  /** Acceptance 4: BGP captures replayed as sessions: every UPDATE of a replayable flow decoded. */
  @Test
  @Order(2)
  void everyBgpCaptureReplayedDecodesEveryUpdate() throws Exception {
    StringBuilder report = new StringBuilder();
    String dec = "routewatch_collector_bgp_updates_decoded_total";
    for (Path f : captures("bgp-pcap")) {
      String name = Stack.data().relativize(f).toString();
      long[] counts = replayableUpdates(f);
      long want = counts[0];
      String before = metrics();
      int rc =
          Main.run(
              "pcap",
              "replay",
              f.toString(),
              "--kind",
              "bgp",
              "--to",
              "127.0.0.1:" + bgpPort,
              "--linger-ms",
              "1000");
      assertEquals(0, rc, name + " replay exit code");
      await(
          name + " " + want + " UPDATEs",
          java.time.Duration.ofSeconds(20),
          () -> {
            try {
              return Metrics.sum(metrics(), dec, "peer=\"replay\"")
                      - Metrics.sum(before, dec, "peer=\"replay\"")
                  >= want;
            } catch (Exception e) {
              return false;
            }
          });
      Thread.sleep(300);
      String after = metrics();
      double got =
          Metrics.sum(after, dec, "peer=\"replay\"") - Metrics.sum(before, dec, "peer=\"replay\"");
      double resets =
          Metrics.sum(after, "routewatch_collector_bgp_rfc7606_total", "action=\"session_reset\"")
              - Metrics.sum(
                  before, "routewatch_collector_bgp_rfc7606_total", "action=\"session_reset\"");
      report.append(
          String.format(
              "%-70s updates decoded=%d replayable=%d in capture=%d%n",
              name, (long) got, want, counts[1]));
      assertEquals(want, (long) got, name + " UPDATEs decoded");
      assertEquals(0, resets, name + " UPDATEs that could not be decoded");
    }
    System.out.print(report);
  }
}
