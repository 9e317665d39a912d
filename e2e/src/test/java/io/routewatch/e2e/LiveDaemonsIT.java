package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.bgp.attr.AsPath;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRouteReader;
import io.routewatch.bgp.mrt.RouteRecord;
import io.routewatch.proto.v1.GetPrefixRequest;
import io.routewatch.proto.v1.VantagePointRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 7, acceptance 1–3: real BGP speakers (GoBGP 3, ExaBGP 4, FRR 8 with BMP) peer with the
 * collector on 127.0.0.x as nobody; what state holds is read back through its gRPC API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveDaemonsIT {
  static Stack stack;
  static int bgpPort;
  static int bmpPort;
  static final Map<String, String> EXABGP_ENV =
      Map.of(
          "exabgp_daemon_daemonize",
          "false",
          "exabgp_log_destination",
          "stdout",
          "exabgp_api_cli",
          "false");

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
                "address=127.0.0.10;asn=65010;name=gobgp,address=127.0.0.21;asn=65021;name=exabgp",
                "ROUTEWATCH_COLLECTOR_BGP_HOLD_TIME",
                "9s",
                "ROUTEWATCH_COLLECTOR_BMP_SETTLE",
                "10s",
                "ROUTEWATCH_COLLECTOR_BMP_DOWN_AFTER",
                "1h"));
    stack.startState();
    stack.startCollector();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (ok.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // state busy: try again
      }
      Thread.sleep(250);
    }
    String log = stack.log("collector");
    String m;
    try {
      m =
          String.join(
              "\n",
              Metrics.scrape(stack.collectorPort)
                  .lines()
                  .filter(
                      l ->
                          l.startsWith("routewatch_collector_bmp")
                              || l.startsWith("routewatch_collector_events"))
                  .toList());
    } catch (Exception e) {
      m = e.toString();
    }
    throw new AssertionError(
        "not true after "
            + timeout
            + ": "
            + what
            + "\n"
            + m
            + "\n"
            + log.substring(Math.max(0, log.length() - 3000)));
  }

  static List<VantagePointRoute> routes(String prefix, String peer) {
    return stack
        .state()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getPrefix(GetPrefixRequest.newBuilder().setPrefix(prefix).build())
        .getRoutesList()
        .stream()
        .filter(r -> r.getPeerAddress().equals(peer))
        .toList();
  }

  /** Hands ExaBGP's API process its next batch of commands (it polls cmd-N.txt). */
  static void commands(Path dir, int n, String... lines) throws Exception {
    Path tmp = Daemon.write(dir, "cmd.tmp", String.join("\n", lines) + "\n");
    Files.move(tmp, dir.resolve("cmd-" + n + ".txt"), StandardCopyOption.ATOMIC_MOVE);
  }

  static final String FEED_PY =
      String.join(
          "\n",
          "import os, sys, time",
          "d = os.path.dirname(os.path.abspath(__file__))",
          "n = 1",
          "while True:",
          "    p = os.path.join(d, 'cmd-%d.txt' % n)",
          "    if os.path.exists(p):",
          "        for line in open(p):",
          "            if line.strip():",
          "                sys.stdout.write(line.strip() + '\\n')",
          "                sys.stdout.flush()",
          "        n += 1",
          "    time.sleep(0.2)",
          "");

  static String exabgpConf(
      Path dir, String local, long localAs, String peer, long peerAs, int port, boolean addPath) {
    return "process feed {\n  run /usr/bin/python3 "
        + dir.resolve("feed.py")
        + ";\n  encoder text;\n}\n"
        + "neighbor "
        + peer
        + " {\n  router-id 192.0.2."
        + local.substring(local.lastIndexOf('.') + 1)
        + ";\n"
        + "  local-address "
        + local
        + ";\n  local-as "
        + localAs
        + ";\n  peer-as "
        + peerAs
        + ";\n  hold-time 9;\n"
        + "  connect "
        + port
        + ";\n  family {\n    ipv4 unicast;\n    ipv6 unicast;\n  }\n"
        + (addPath ? "  capability {\n    add-path send;\n  }\n" : "")
        + "  api {\n    processes [ feed ];\n  }\n}\n";
  }

  /**
   * Acceptance 2 (ExaBGP): IPv4 + IPv6, add-path, withdrawals; a crash is PEER_DOWN within the hold
   * time.
   */
  @Test
  @Order(1)
  void exabgpAnnouncesWithdrawsAndGoesDown() throws Exception {
    Path dir = Daemon.workDir("exabgp");
    Daemon.write(dir, "feed.py", FEED_PY);
    Path conf =
        Daemon.write(
            dir,
            "exabgp.conf",
            exabgpConf(dir, "127.0.0.21", 65021, "127.0.0.1", 65000, bgpPort, true));
    try (Daemon d = Daemon.start("exabgp", dir, EXABGP_ENV, "exabgp", conf.toString())) {
      commands(
          dir,
          1,
          "announce route 100.64.21.0/24 next-hop 192.0.2.21 path-information 1 as-path [ 65021 65100 ]",
          "announce route 100.64.21.0/24 next-hop 192.0.2.21 path-information 2 as-path [ 65021 65200 65100 ]",
          "announce route 100.64.22.0/24 next-hop 192.0.2.21 path-information 1 as-path [ 65021 65300 ]",
          "announce route 2001:db8:21::/48 next-hop 2001:db8::21 path-information 1 as-path [ 65021 65400 ]");
      await(
          "ExaBGP routes in state\n" + d.log(),
          Duration.ofSeconds(60),
          () ->
              routes("100.64.21.0/24", "127.0.0.21").size() == 2
                  && routes("100.64.22.0/24", "127.0.0.21").size() == 1
                  && routes("2001:db8:21::/48", "127.0.0.21").size() == 1);
      List<VantagePointRoute> two = routes("100.64.21.0/24", "127.0.0.21");
      assertEquals(
          List.of(1, 2),
          two.stream().map(VantagePointRoute::getPathId).sorted().toList(),
          "add-path ids");
      assertEquals(65021, two.get(0).getPeerAsn());

      commands(
          dir,
          2,
          "withdraw route 100.64.21.0/24 next-hop 192.0.2.21 path-information 2",
          "withdraw route 100.64.22.0/24 next-hop 192.0.2.21 path-information 1",
          "withdraw route 2001:db8:21::/48 next-hop 2001:db8::21 path-information 1");
      await(
          "withdrawals applied",
          Duration.ofSeconds(30),
          () ->
              routes("100.64.21.0/24", "127.0.0.21").size() == 1
                  && routes("100.64.22.0/24", "127.0.0.21").isEmpty()
                  && routes("2001:db8:21::/48", "127.0.0.21").isEmpty());
      assertEquals("65021 65100", routes("100.64.21.0/24", "127.0.0.21").get(0).getAsPath());

      long t0 = System.nanoTime();
      d.kill();
      await(
          "PEER_DOWN removes the routes within the 9 s hold time",
          Duration.ofSeconds(9),
          () -> routes("100.64.21.0/24", "127.0.0.21").isEmpty());
      System.out.printf(
          "ExaBGP: routes gone %.1f s after SIGKILL%n", (System.nanoTime() - t0) / 1e9);
      String m = Metrics.scrape(stack.collectorPort);
      assertTrue(
          Metrics.sum(m, "routewatch_collector_bgp_session_downs_total", "peer=\"exabgp\"") >= 1,
          "session down counted");
    }
  }

  /** The first {@code n} distinct IPv4 prefixes of a real RIB with a plain AS_SEQUENCE path. */
  static Map<String, String> ribRoutes(Path file, int n) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (MrtRouteReader r = MrtRouteReader.open(file, MrtReader.Mode.LENIENT)) {
      for (RouteRecord rec : r) {
        if (out.size() >= n) {
          break;
        }
        if (rec.kind() != RouteRecord.Kind.RIB_ENTRY
            || rec.prefix().afi() != io.routewatch.bgp.nlri.Afi.IPV4) {
          continue;
        }
        AsPath p = rec.attributes().asPath();
        if (p == null) {
          continue;
        }
        int[] s = p.segments();
        if (s.length < 3 || s[0] != 2 || s[1] + 2 != s.length) {
          continue; // one AS_SEQUENCE only
        }
        StringBuilder asns = new StringBuilder();
        for (int i = 2; i < s.length; i++) {
          asns.append(i > 2 ? "," : "").append(Integer.toUnsignedString(s[i]));
        }
        out.putIfAbsent(rec.prefix().toString(), asns.toString());
      }
    }
    return out;
  }

  static final Pattern ADJ_OUT =
      Pattern.compile(
          "^\\s*\\S*?\\s*(\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+)\\s+(\\S+)\\s+([\\d ]+?)\\s+\\[");

  /** GoBGP's own account of what it advertises to the collector: prefix → AS path. */
  static Map<String, String> adjOut(int api) throws Exception {
    String text =
        Daemon.run(
            Duration.ofSeconds(60),
            "gobgp",
            "-p",
            Integer.toString(api),
            "neighbor",
            "127.0.0.1",
            "adj-out",
            "-a",
            "ipv4");
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = ADJ_OUT.matcher(line);
      if (m.find()) {
        out.put(m.group(1), m.group(3).trim().replaceAll("\\s+", " "));
      }
    }
    return out;
  }

  /**
   * Acceptance 1: GoBGP advertises ≥ 10,000 routes of a real RIB; state holds exactly its adj-out.
   */
  @Test
  @Order(2)
  void gobgpAdvertisesARealRibAndStateHoldsExactlyItsAdjOut() throws Exception {
    Path rib = Stack.data().resolve("mrt/ripe-bgpdump/bview.20020722.2337.gz");
    // 2,000 routes in make test (each one is a gobgp CLI process: ~10 ms of CPU apiece), 10,000
    // with -Droutewatch.e2e.full=true (make test-full) or -Droutewatch.e2e.gobgp.routes=N
    int n =
        Integer.getInteger(
            "routewatch.e2e.gobgp.routes",
            Boolean.getBoolean("routewatch.e2e.full") ? 10_000 : 2_000);
    Map<String, String> load = ribRoutes(rib, n);
    assertEquals(n, load.size());
    Path dir = Daemon.workDir("gobgp");
    int api = Stack.freePort();
    Path conf =
        Daemon.write(
            dir,
            "gobgpd.toml",
            String.join(
                "\n",
                "[global.config]",
                "  as = 65010",
                "  router-id = \"192.0.2.10\"",
                "  port = -1",
                "[[neighbors]]",
                "  [neighbors.config]",
                "    neighbor-address = \"127.0.0.1\"",
                "    peer-as = 65000",
                "  [neighbors.transport.config]",
                "    local-address = \"127.0.0.10\"",
                "    remote-port = " + bgpPort,
                "  [neighbors.timers.config]",
                "    hold-time = 9",
                "    keepalive-interval = 3",
                "    connect-retry = 1",
                "  [[neighbors.afi-safis]]",
                "    [neighbors.afi-safis.config]",
                "      afi-safi-name = \"ipv4-unicast\"",
                ""));
    long routesBefore = stack.stats(false).getRoutes();
    try (Daemon d =
        Daemon.start(
            "gobgpd",
            dir,
            Map.of(),
            "gobgpd",
            "-f",
            conf.toString(),
            "--api-hosts=127.0.0.1:" + api,
            "--pprof-disable")) {
      await(
          "gobgpd API up",
          Duration.ofSeconds(20),
          () -> {
            try {
              return Daemon.run(
                      Duration.ofSeconds(5), "gobgp", "-p", Integer.toString(api), "global")
                  .contains("65010");
            } catch (Exception e) {
              return false;
            }
          });
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      AtomicInteger failed = new AtomicInteger();
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (Map.Entry<String, String> e : load.entrySet()) {
          fs.add(
              pool.submit(
                  () -> {
                    try {
                      String out =
                          Daemon.run(
                              Duration.ofSeconds(30),
                              "gobgp",
                              "-p",
                              Integer.toString(api),
                              "global",
                              "rib",
                              "add",
                              "-a",
                              "ipv4",
                              e.getKey(),
                              "nexthop",
                              "192.0.2.10",
                              "aspath",
                              e.getValue(),
                              "origin",
                              "igp");
                      if (!out.isBlank()) {
                        failed.incrementAndGet();
                      }
                    } catch (Exception ex) {
                      failed.incrementAndGet();
                    }
                  }));
        }
        for (Future<?> f : fs) {
          f.get(10, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.printf(
          "GoBGP: %d routes loaded in %.0f s (%d CLI errors)%n",
          load.size(), (System.nanoTime() - t0) / 1e9, failed.get());
      Map<String, String>[] adj = new Map[1];
      await(
          "GoBGP advertises its RIB and state holds as many routes",
          Duration.ofMinutes(3),
          () -> {
            try {
              adj[0] = adjOut(api);
              return adj[0].size() >= n
                  && stack.stats(false).getRoutes() - routesBefore == adj[0].size();
            } catch (Exception e) {
              return false;
            }
          });
      int checked = 0;
      for (Map.Entry<String, String> e : adj[0].entrySet()) {
        List<VantagePointRoute> r = routes(e.getKey(), "127.0.0.10");
        assertEquals(1, r.size(), e.getKey() + " from GoBGP");
        assertEquals(e.getValue(), r.get(0).getAsPath(), e.getKey() + " AS path");
        checked++;
      }
      System.out.printf(
          "GoBGP: adj-out %d routes, state %d routes for the VP, all %d compared%n",
          adj[0].size(), stack.stats(false).getRoutes() - routesBefore, checked);
      assertEquals(adj[0].size(), stack.stats(false).getRoutes() - routesBefore);
    }
    await(
        "GoBGP stop: its routes leave state",
        Duration.ofSeconds(30),
        () -> stack.stats(false).getRoutes() == routesBefore);
  }

  /** Acceptance 3: FRR exports BMP for its peer (ExaBGP); a restart re-dumps without duplicates. */
  @Test
  @Order(3)
  void frrBmpExportsItsPeersAndRestartReDumpsWithoutDuplicates() throws Exception {
    int frrPort = Stack.freePort();
    Path fdir = Daemon.workDir("frr");
    Path fconf =
        Daemon.write(
            fdir,
            "bgpd.conf",
            String.join(
                "\n",
                "frr defaults traditional",
                "hostname frr-rw",
                "log stdout",
                "!",
                "router bgp 65031",
                " bgp router-id 192.0.2.31",
                " no bgp ebgp-requires-policy",
                " no bgp network import-check",
                " neighbor 127.0.0.22 remote-as 65022",
                " neighbor 127.0.0.22 disable-connected-check",
                " neighbor 127.0.0.22 passive",
                // FRR keeps an Adj-RIB-In, which pre-policy BMP monitoring reports from, only with
                // soft
                // reconfiguration inbound; without it bgpd 8.4 reports every received route as
                // withdrawn.
                " address-family ipv4 unicast",
                "  neighbor 127.0.0.22 soft-reconfiguration inbound",
                " exit-address-family",
                " address-family ipv6 unicast",
                "  neighbor 127.0.0.22 activate",
                "  neighbor 127.0.0.22 soft-reconfiguration inbound",
                " exit-address-family",
                " !",
                " bmp targets rw",
                "  bmp monitor ipv4 unicast pre-policy",
                "  bmp monitor ipv6 unicast pre-policy",
                "  bmp connect 127.0.0.1 port " + bmpPort + " min-retry 100 max-retry 1000",
                " exit",
                "!",
                ""));
    Path edir = Daemon.workDir("exabgp-frr");
    Daemon.write(edir, "feed.py", FEED_PY);
    Path econf =
        Daemon.write(
            edir,
            "exabgp.conf",
            exabgpConf(edir, "127.0.0.22", 65022, "127.0.0.31", 65031, frrPort, false));
    String[] frrCmd = {
      "/usr/lib/frr/bgpd",
      "-M",
      "bmp",
      "-Z",
      "-S",
      "-n",
      "-l",
      "127.0.0.31",
      "-p",
      Integer.toString(frrPort),
      "-P",
      "0",
      "-f",
      fconf.toString(),
      "-i",
      fdir.resolve("bgpd.pid").toString(),
      "--vty_socket",
      fdir.toString(),
      "--log",
      "stdout"
    };
    List<String> prefixes = List.of("100.64.31.0/24", "100.64.32.0/24", "100.64.33.0/24");
    try (Daemon exa = Daemon.start("exabgp", edir, EXABGP_ENV, "exabgp", econf.toString())) {
      commands(
          edir,
          1,
          "announce route 100.64.31.0/24 next-hop 192.0.2.22 as-path [ 65022 65500 ]",
          "announce route 100.64.32.0/24 next-hop 192.0.2.22 as-path [ 65022 65501 ]",
          "announce route 100.64.33.0/24 next-hop 192.0.2.22 as-path [ 65022 65502 ]",
          "announce route 2001:db8:31::/48 next-hop 2001:db8::22 as-path [ 65022 65503 ]");
      long before;
      try (Daemon frr = Daemon.start("bgpd", fdir, Map.of(), frrCmd)) {
        await(
            "FRR's peer appears as a BMP VP with its routes",
            Duration.ofSeconds(90),
            () ->
                prefixes.stream().allMatch(p -> routes(p, "127.0.0.22").size() == 1)
                    && routes("2001:db8:31::/48", "127.0.0.22").size() == 1);
        VantagePointRoute r = routes("100.64.31.0/24", "127.0.0.22").get(0);
        assertEquals("frr-rw", r.getCollector(), "collector = router sysName");
        assertEquals(65022, r.getPeerAsn());
        // FRR 8.4 builds pre-policy Route Monitoring attributes as if re-advertising them, its own
        // AS in front; the station records what the router reports.
        assertTrue(r.getAsPath().endsWith("65022 65500"), r.getAsPath());
        before = stack.stats(false).getRoutes();
        frr.kill();
      }
      // While FRR is down ExaBGP withdraws one route: the re-dump must drop it from state too.
      commands(edir, 2, "withdraw route 100.64.33.0/24 next-hop 192.0.2.22");
      String m0 = Metrics.scrape(stack.collectorPort);
      try (Daemon frr = Daemon.start("bgpd", fdir, Map.of(), frrCmd)) {
        await(
            "FRR reconnects and re-dumps",
            Duration.ofSeconds(90),
            () -> {
              try {
                return Metrics.sum(
                        Metrics.scrape(stack.collectorPort),
                        "routewatch_collector_bmp_messages_total",
                        "type=\"peer_up\"")
                    > Metrics.sum(
                        m0, "routewatch_collector_bmp_messages_total", "type=\"peer_up\"");
              } catch (Exception e) {
                return false;
              }
            });
        await(
            "re-dump replaced the table (withdrawn route gone, no duplicates)",
            Duration.ofSeconds(60),
            () ->
                routes("100.64.33.0/24", "127.0.0.22").isEmpty()
                    && routes("100.64.31.0/24", "127.0.0.22").size() == 1
                    && routes("100.64.32.0/24", "127.0.0.22").size() == 1);
        assertEquals(
            before - 1,
            stack.stats(false).getRoutes(),
            "routes after the re-dump: one withdrawn, none duplicated");
        String m = Metrics.scrape(stack.collectorPort);
        System.out.printf(
            "FRR BMP: routes %d before restart, %d after re-dump; reconnects %.0f%n",
            before,
            stack.stats(false).getRoutes(),
            Metrics.sum(m, "routewatch_collector_feed_reconnects_total", "source=\"bmp\""));
        assertTrue(
            Metrics.sum(m, "routewatch_collector_feed_reconnects_total", "source=\"bmp\"") >= 1);
      }
    }
  }
}
