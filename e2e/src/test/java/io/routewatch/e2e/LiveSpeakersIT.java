package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.proto.v1.GetPrefixRequest;
import io.routewatch.proto.v1.VantagePointRoute;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, acceptance 2 for BIRD 2 and FRR as BGP speakers (ExaBGP is in {@link LiveDaemonsIT}):
 * each establishes a session, announces IPv4 and IPv6 routes, withdraws one, and a SIGKILL takes
 * its routes out of state within the 9 s hold time.
 */
class LiveSpeakersIT {
  static Stack stack;
  static int bgpPort;

  @BeforeAll
  static void start() throws Exception {
    bgpPort = Stack.freePort();
    stack =
        new Stack(
            Map.of(
                "ROUTEWATCH_COLLECTOR_BGP_PORT",
                Integer.toString(bgpPort),
                "ROUTEWATCH_COLLECTOR_BMP_PORT",
                Integer.toString(Stack.freePort()),
                "ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS",
                "address=127.0.0.51;asn=65051;name=bird,address=127.0.0.31;asn=65031;name=frr",
                "ROUTEWATCH_COLLECTOR_BGP_HOLD_TIME",
                "9s"));
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
        // not yet
      }
      Thread.sleep(250);
    }
    String log = stack.log("collector");
    throw new AssertionError(
        "not true after "
            + timeout
            + ": "
            + what
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

  @Test
  void birdAnnouncesWithdrawsAndGoesDown() throws Exception {
    Path dir = Daemon.workDir("bird");
    int listen = Stack.freePort(); // BIRD also listens; 179 is not ours to bind
    Path conf =
        Daemon.write(
            dir,
            "bird.conf",
            String.join(
                "\n",
                "log stderr all;",
                "router id 192.0.2.51;",
                "protocol device {}",
                "protocol static s4a { ipv4; route 100.64.51.0/24 blackhole; }",
                "protocol static s4b { ipv4; route 100.64.52.0/24 blackhole; }",
                "protocol static s6 { ipv6; route 2001:db8:51::/48 blackhole; }",
                "protocol bgp rw {",
                "  local 127.0.0.51 port " + listen + " as 65051;",
                "  neighbor 127.0.0.1 port " + bgpPort + " as 65000;",
                "  multihop;",
                "  hold time 9;",
                "  ipv4 { import none; export all; next hop address 192.0.2.51; add paths tx; };",
                "  ipv6 { import none; export all; next hop address 2001:db8::51; add paths tx; };",
                "}",
                ""));
    String ctl = dir.resolve("bird.ctl").toString();
    try (Daemon d =
        Daemon.start(
            "bird",
            dir,
            Map.of(),
            "bird",
            "-f",
            "-c",
            conf.toString(),
            "-s",
            ctl,
            "-P",
            dir.resolve("bird.pid").toString())) {
      await(
          "BIRD routes in state\n" + d.log(),
          Duration.ofSeconds(60),
          () ->
              routes("100.64.51.0/24", "127.0.0.51").size() == 1
                  && routes("100.64.52.0/24", "127.0.0.51").size() == 1
                  && routes("2001:db8:51::/48", "127.0.0.51").size() == 1);
      assertEquals("65051", routes("100.64.51.0/24", "127.0.0.51").get(0).getAsPath());
      String out = Daemon.run(Duration.ofSeconds(10), "birdc", "-s", ctl, "disable", "s4b");
      await(
          "BIRD withdrawal applied (" + out.trim() + ")",
          Duration.ofSeconds(30),
          () -> routes("100.64.52.0/24", "127.0.0.51").isEmpty());
      long t0 = System.nanoTime();
      d.kill();
      await(
          "BIRD crash: routes gone within the hold time",
          Duration.ofSeconds(9),
          () ->
              routes("100.64.51.0/24", "127.0.0.51").isEmpty()
                  && routes("2001:db8:51::/48", "127.0.0.51").isEmpty());
      System.out.printf("BIRD: routes gone %.1f s after SIGKILL%n", (System.nanoTime() - t0) / 1e9);
    }
  }

  @Test
  void frrAnnouncesWithdrawsAndGoesDown() throws Exception {
    Path dir = Daemon.workDir("frr-speaker");
    Path conf =
        Daemon.write(
            dir,
            "bgpd.conf",
            String.join(
                "\n",
                "frr defaults traditional",
                "hostname frr-speaker",
                "log stdout",
                "!",
                "router bgp 65031",
                " bgp router-id 192.0.2.31",
                " no bgp ebgp-requires-policy",
                " no bgp network import-check",
                " neighbor 127.0.0.1 remote-as 65000",
                " neighbor 127.0.0.1 port " + bgpPort,
                " neighbor 127.0.0.1 update-source 127.0.0.31",
                " neighbor 127.0.0.1 disable-connected-check",
                " neighbor 127.0.0.1 timers 3 9",
                " address-family ipv4 unicast",
                "  network 100.64.41.0/24",
                "  network 100.64.42.0/24",
                " exit-address-family",
                " address-family ipv6 unicast",
                "  network 2001:db8:41::/48",
                "  neighbor 127.0.0.1 activate",
                " exit-address-family",
                "!",
                ""));
    String[] cmd = {
      "/usr/lib/frr/bgpd",
      "-Z",
      "-S",
      "-n",
      "-l",
      "127.0.0.31",
      "-p",
      "0",
      "-P",
      "0",
      "-f",
      conf.toString(),
      "-i",
      dir.resolve("bgpd.pid").toString(),
      "--vty_socket",
      dir.toString(),
      "--log",
      "stdout"
    };
    try (Daemon d = Daemon.start("bgpd", dir, Map.of(), cmd)) {
      await(
          "FRR routes in state\n" + d.log(),
          Duration.ofSeconds(90),
          () ->
              routes("100.64.41.0/24", "127.0.0.31").size() == 1
                  && routes("100.64.42.0/24", "127.0.0.31").size() == 1
                  && routes("2001:db8:41::/48", "127.0.0.31").size() == 1);
      String out =
          Daemon.run(
              Duration.ofSeconds(20),
              "vtysh",
              "--vty_socket",
              dir.toString(),
              "-c",
              "configure terminal",
              "-c",
              "router bgp 65031",
              "-c",
              "address-family ipv4 unicast",
              "-c",
              "no network 100.64.42.0/24");
      await(
          "FRR withdrawal applied (" + out.trim() + ")",
          Duration.ofSeconds(30),
          () -> routes("100.64.42.0/24", "127.0.0.31").isEmpty());
      long t0 = System.nanoTime();
      d.kill();
      await(
          "FRR crash: routes gone within the hold time",
          Duration.ofSeconds(9),
          () ->
              routes("100.64.41.0/24", "127.0.0.31").isEmpty()
                  && routes("2001:db8:41::/48", "127.0.0.31").isEmpty());
      System.out.printf("FRR: routes gone %.1f s after SIGKILL%n", (System.nanoTime() - t0) / 1e9);
    }
  }
}
