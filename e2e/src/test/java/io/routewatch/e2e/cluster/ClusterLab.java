package io.routewatch.e2e.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * The topology of helm/routewatch/ci/values-cluster.yaml on one machine: the chart's pods
 * (PostgreSQL, state, alert, collector), Alertmanager in namespace "monitoring", a client pod
 * labelled routewatch-client=true, and three routers in namespace "routers":
 *
 * <ul>
 *   <li>edge1 (FRR, AS65021, 198.18.0.21): a listed neighbour; BGP to the collector through the
 *       routers Service, BMP monitoring of its session with edge2, originates 198.51.100.0/24;
 *   <li>edge2 (ExaBGP, AS65022, 198.18.0.22): a listed neighbour; announces AS64601's prefixes
 *       (IPv4 and IPv6) via AS64600, to the collector and to edge1;
 *   <li>rogue (ExaBGP, AS65023, 198.18.0.23): inside the routers' CIDR but not listed: refused.
 * </ul>
 *
 * Used by ClusterIT and by {@code make cluster} ({@link #main}).
 */
public final class ClusterLab implements AutoCloseable {
  static final String VALUES = "ci/values-cluster.yaml";
  static final String CLIENT = "client";
  static final String ALERTMANAGER = "alertmanager";
  static final String AM_IP = "198.18.0.6";
  static final Map<String, String> EXABGP_ENV =
      Map.of(
          "exabgp_daemon_daemonize",
          "false",
          "exabgp_log_destination",
          "stdout",
          "exabgp_api_cli",
          "false");

  final Cluster cluster;

  /** The read token (the page, queries); ingest and admin tokens beside it. */
  final String token;

  final String ingestToken;
  final String adminToken;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  final Path frrDir;

  private ClusterLab(Cluster cluster, Manifests m, Path frrDir) {
    this.cluster = cluster;
    this.token = m.secret("routewatch-token-read").get("token");
    this.ingestToken = m.secret("routewatch-token-ingest").get("token");
    this.adminToken = m.secret("routewatch-token-admin").get("token");
    this.frrDir = frrDir;
  }

  /** Renders the chart, wires the network, starts Alertmanager and every pod until Ready. */
  public static ClusterLab up(Path repo, Path work) throws Exception {
    return up(repo, work, Cluster.render(repo, VALUES));
  }

  /** As {@link #up(Path, Path)}, from manifests rendered earlier. */
  public static ClusterLab up(Path repo, Path work, Manifests m) throws Exception {
    Cluster c = new Cluster(repo, m, work, "rwc" + (ProcessHandle.current().pid() % 10000));
    try {
      c.addExternal(
          new Cluster.External(
              CLIENT, "198.18.0.5", m.namespace, Map.of("routewatch-client", "true"), List.of()));
      c.addExternal(
          new Cluster.External(
              ALERTMANAGER,
              AM_IP,
              "monitoring",
              Map.of("app", "alertmanager"),
              List.of("alertmanager.monitoring.svc", "alertmanager.monitoring.svc.cluster.local")));
      for (String[] r :
          new String[][] {
            {"edge1", "198.18.0.21"}, {"edge2", "198.18.0.22"}, {"rogue", "198.18.0.23"}
          }) {
        c.addExternal(
            new Cluster.External(r[0], r[1], "routers", Map.of("role", "router"), List.of()));
      }
      c.wire();
      Path am = c.daemonDir("alertmanager");
      Files.writeString(
          am.resolve("am.yml"),
          "route: {receiver: default, group_wait: 1s, group_interval: 1s, repeat_interval: 1h}\nreceivers: [{name: default}]\n");
      c.startIn(
          ALERTMANAGER,
          "alertmanager",
          Map.of(),
          List.of(
              "prometheus-alertmanager",
              "--config.file=" + am.resolve("am.yml"),
              "--storage.path=" + am.resolve("data"),
              "--web.listen-address=" + AM_IP + ":9093",
              "--cluster.listen-address="));
      c.startAll(Duration.ofMinutes(4));
      ClusterLab lab = new ClusterLab(c, m, c.daemonDir("edge1"));
      lab.startRouters();
      return lab;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private void startRouters() throws IOException {
    String routers = cluster.serviceIp("routewatch-collector-routers");
    // edge2: the network under watch, AS64601 behind AS64600, to the collector and to edge1
    Path e2 = cluster.daemonDir("edge2");
    String routes =
        "  static {\n"
            + "    route 203.0.113.0/24 next-hop 198.18.0.22 as-path [ 65022 64600 64601 ];\n"
            + "    route 192.0.2.0/24 next-hop 198.18.0.22 as-path [ 65022 64600 64601 ];\n"
            + "    route 2001:db8:6460::/48 next-hop 2001:db8::22 as-path [ 65022 64600 64601 ];\n"
            + "  }\n";
    Files.writeString(
        e2.resolve("exabgp.conf"),
        neighbor(routers, "198.18.0.22", 65022, 65000, 179)
            + routes
            + "}\n"
            + neighbor("198.18.0.21", "198.18.0.22", 65022, 65021, 1790)
            + routes
            + "}\n");
    cluster.startIn(
        "edge2", "edge2", EXABGP_ENV, List.of("exabgp", e2.resolve("exabgp.conf").toString()));
    // rogue: reaches the collector (its address is in the routers' CIDR) but is not a neighbour
    Path r = cluster.daemonDir("rogue");
    Files.writeString(
        r.resolve("exabgp.conf"),
        neighbor(routers, "198.18.0.23", 65023, 65000, 179)
            + "  static {\n    route 203.0.113.0/24 next-hop 198.18.0.23 as-path [ 65023 64601 ];\n  }\n}\n");
    cluster.startIn(
        "rogue", "rogue", EXABGP_ENV, List.of("exabgp", r.resolve("exabgp.conf").toString()));
    // edge1: FRR, BGP to the collector, BMP of its session with edge2
    Files.writeString(
        frrDir.resolve("bgpd.conf"),
        String.join(
            "\n",
            "frr defaults traditional",
            "hostname edge1",
            "log stdout",
            "!",
            "router bgp 65021",
            " bgp router-id 198.18.0.21",
            " no bgp ebgp-requires-policy",
            " no bgp network import-check",
            " neighbor 198.18.0.22 remote-as 65022",
            " neighbor 198.18.0.22 passive",
            " neighbor " + routers + " remote-as 65000",
            " address-family ipv4 unicast",
            "  network 198.51.100.0/24",
            // pre-policy BMP reports from the Adj-RIB-In, kept only with soft reconfiguration
            // inbound
            "  neighbor 198.18.0.22 soft-reconfiguration inbound",
            " exit-address-family",
            " address-family ipv6 unicast",
            "  neighbor 198.18.0.22 activate",
            "  neighbor 198.18.0.22 soft-reconfiguration inbound",
            "  neighbor " + routers + " activate",
            " exit-address-family",
            " !",
            " bmp targets rw",
            "  bmp monitor ipv4 unicast pre-policy",
            "  bmp monitor ipv6 unicast pre-policy",
            "  bmp connect " + routers + " port 11019 min-retry 100 max-retry 1000",
            " exit",
            "!",
            ""));
    cluster.startIn(
        "edge1",
        "edge1",
        Map.of(),
        List.of(
            "/usr/lib/frr/bgpd",
            "-M",
            "bmp",
            "-Z",
            "-S",
            "-n",
            "-l",
            "198.18.0.21",
            "-p",
            "1790",
            "-P",
            "0",
            "-f",
            frrDir.resolve("bgpd.conf").toString(),
            "-i",
            frrDir.resolve("bgpd.pid").toString(),
            "--vty_socket",
            frrDir.toString(),
            "--log",
            "stdout"));
  }

  private static String neighbor(String peer, String local, long localAs, long peerAs, int port) {
    return "neighbor "
        + peer
        + " {\n  router-id "
        + local
        + ";\n  local-address "
        + local
        + ";\n  local-as "
        + localAs
        + ";\n"
        + "  peer-as "
        + peerAs
        + ";\n  hold-time 30;\n  connect "
        + port
        + ";\n"
        + "  family {\n    ipv4 unicast;\n    ipv6 unicast;\n  }\n";
  }

  /** FRR's view of its sessions (vtysh in edge1's namespace). */
  String frrSummary() {
    return Sh.tryRun(
            Duration.ofSeconds(10),
            cluster.net.exec(
                "edge1",
                List.of("vtysh", "--vty_socket", frrDir.toString(), "-c", "show bgp summary")))
        .out();
  }

  /** GET with the read token from the node to a pod address; the body, or "" on failure. */
  String get(String url, boolean withToken) {
    return send(url, withToken ? token : null, null);
  }

  /** GET (body null) or POST a JSON body with a token; the body, or "HTTP <code> ..." when not 2xx. */
  String send(String url, String bearer, String jsonBody) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
      if (jsonBody == null) {
        b.GET();
      } else {
        b.header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
      }
      if (bearer != null) {
        b.header("Authorization", "Bearer " + bearer);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() / 100 == 2 ? r.body() : "HTTP " + r.statusCode() + " " + r.body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  String state(String path) {
    return get("http://" + cluster.podOf("state").ip + ":8082" + path, true);
  }

  String metrics(String service) {
    return get(
        "http://"
            + cluster.podOf(service).ip
            + ":"
            + cluster.podOf(service).container.getPorts().get(0).getContainerPort()
            + "/q/metrics",
        false);
  }

  /** Sum of a metric's samples whose line starts with the given text. */
  static double metric(String metrics, String start) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(start))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static double await(String what, Duration limit, BooleanSupplier ok) throws InterruptedException {
    long t0 = System.nanoTime();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() - t0 > limit.toNanos()) {
        throw new AssertionError("timed out after " + limit + ": " + what);
      }
      Thread.sleep(250);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  @Override
  public void close() {
    cluster.close();
  }

  /**
   * {@code make cluster}, in two processes: {@code render REPO FILE} renders the chart (Helm runs
   * in-process as a Go library, whose runtime takes over SIGINT, so the process that must stop
   * everything on Ctrl-C never loads it), then {@code run REPO FILE} brings the lab up from the
   * file, prints where everything is and runs until Ctrl-C.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !List.of("render", "run").contains(args[0])) {
      System.err.println("usage: ClusterLab render|run REPO RENDERED.yaml");
      System.exit(2);
    }
    Path repo = Path.of(args[1]).toAbsolutePath().normalize();
    Path rendered = Path.of(args[2]).toAbsolutePath();
    if (args[0].equals("render")) {
      io.routewatch.deploy.Chart chart = new io.routewatch.deploy.Chart(repo);
      Files.createDirectories(rendered.getParent());
      Files.writeString(rendered, chart.render(chart.values(VALUES)));
      System.out.println("cluster: rendered helm/routewatch/" + VALUES + " into " + rendered);
      System.exit(0); // Helm's Go runtime keeps threads of its own
    }
    Path work = repo.resolve(".run/cluster");
    Sh.run("rm", "-rf", work.toString());
    Manifests manifests =
        new Manifests(
            io.routewatch.deploy.Chart.NAMESPACE,
            io.routewatch.deploy.Chart.documents(Files.readString(rendered)));
    CountDownLatch stopped = new CountDownLatch(1);
    ClusterLab lab = up(repo, work, manifests);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\ncluster: stopping (pods, routers, namespaces, bridge)...");
                  lab.close();
                  System.out.println("cluster: stopped; nothing left behind.");
                  stopped.countDown();
                }));
    lab.cluster.report().forEach(l -> System.out.println("cluster: " + l));
    String state = lab.cluster.podOf("state").ip;
    System.out.println(
        "cluster: routers   edge1 FRR 198.18.0.21 (BGP+BMP), edge2 ExaBGP 198.18.0.22, rogue ExaBGP 198.18.0.23 (refused)");
    System.out.println(
        "cluster: web page  http://"
            + state
            + ":8082/#token="
            + lab.token
            + "  (from this machine)");
    System.out.println(
        "cluster: tokens    read "
            + lab.token
            + ", ingest "
            + lab.ingestToken
            + ", admin "
            + lab.adminToken);
    System.out.println(
        "cluster: API       curl -H 'Authorization: Bearer "
            + lab.token
            + "' http://"
            + state
            + ":8082/api/v1/upstreams/AS64601");
    System.out.println(
        "cluster: Alertmanager http://" + AM_IP + ":9093/   logs and volumes under " + work);
    System.out.println(
        "cluster: a shell in a pod: ip netns exec "
            + lab.cluster.net.ns(CLIENT)
            + " bash   (Ctrl-C here stops everything)");
    stopped.await();
  }
}
