package io.routewatch.e2e.cluster;

import static io.routewatch.e2e.cluster.ClusterLab.await;
import static io.routewatch.e2e.cluster.ClusterLab.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the chart deploys a monitor that works. The rendered manifests of
 * ci/values-cluster.yaml run as pods in their own network namespaces ({@link Cluster}); real
 * routers peer with the collector through the rendered neighbour list and routers Service; the
 * watched network's alert reaches a real Alertmanager; the web page (through state's Service, from
 * a client pod) shows it with the token on; state is killed and comes back from its snapshot on its
 * claim with the same routes; the NetworkPolicies admit only what they say.
 */
class ClusterIT {
  private final List<String> seen = new ArrayList<>();

  private void say(String format, Object... args) {
    String line = String.format(format, args);
    seen.add(line);
    System.out.println("ClusterIT: " + line);
  }

  @Test
  void renderedChartRunsAsAMonitor() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
    Path repo = Path.of(System.getProperty("routewatch.root", "..")).toAbsolutePath().normalize();
    Path work = repo.resolve("e2e/target/cluster-" + ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    try (ClusterLab lab = ClusterLab.up(repo, work)) {
      Cluster c = lab.cluster;
      lab.cluster.report().forEach(l -> System.out.println("ClusterIT: " + l));
      say("pods Ready %.1f s after start", (System.nanoTime() - t0) / 1e9);
      String collectorPod = c.podOf("collector").name;

      // routes reach state: edge1 (FRR) over BGP, edge2 (ExaBGP) over BGP, edge2's routes via
      // edge1's BMP
      double t =
          await(
              "FRR's own route from 198.18.0.21 in state\n" + lab.frrSummary(),
              Duration.ofSeconds(120),
              () -> routes(lab, "198.51.100.0/24").contains("\"peerAddress\": \"198.18.0.21\""));
      say("edge1 (FRR) BGP route in state after %.1f s", t);
      t =
          await(
              "edge2's routes over BGP and over edge1's BMP",
              Duration.ofSeconds(120),
              () -> {
                String r = routes(lab, "203.0.113.0/24");
                return r.contains("\"collector\": \"" + collectorPod + "\"")
                    && r.contains("\"peerAddress\": \"198.18.0.22\"")
                    && r.contains("\"collector\": \"edge1\"");
              });
      say("edge2 (ExaBGP) BGP routes and edge1's BMP feed in state after %.1f more s", t);
      String v6 = routes(lab, "2001:db8:6460::/48");
      assertTrue(v6.contains("198.18.0.22"), "IPv6 route from edge2: " + v6);
      String frr = lab.frrSummary();
      say(
          "FRR sessions (vtysh 'show bgp summary' on edge1):%n%s",
          frr.lines()
              .filter(
                  l -> l.contains("198.18.") || l.startsWith("Neighbor") || l.contains("family"))
              .reduce("", (a, b) -> a + "    " + b + "\n"));
      assertTrue(
          frr.lines()
              .anyMatch(
                  l ->
                      l.startsWith(c.serviceIp("routewatch-collector-routers") + " ")
                          && !l.contains("Active")
                          && !l.contains("Connect")),
          "edge1's session with the collector is established:\n" + frr);
      String cm = lab.metrics("collector");
      assertTrue(
          metric(cm, "routewatch_collector_bmp_") > 0 || cm.contains("routewatch_collector_bmp"),
          "BMP metrics");

      // the unlisted router reached the collector (its CIDR is admitted) and was refused by it
      t =
          await(
              "rogue refused",
              Duration.ofSeconds(60),
              () ->
                  metric(
                          lab.metrics("collector"),
                          "routewatch_collector_bgp_connections_refused_total{reason=\"unconfigured\"")
                      >= 1);
      assertFalse(
          routes(lab, "203.0.113.0/24").contains("198.18.0.23"), "no route of the rogue router");
      say(
          "rogue 198.18.0.23 refused (connections_refused_total{reason=unconfigured} = %.0f), none of its routes in state",
          metric(
              lab.metrics("collector"),
              "routewatch_collector_bgp_connections_refused_total{reason=\"unconfigured\""));

      // the watched network's alert reaches the real Alertmanager
      String amUrl = "http://" + ClusterLab.AM_IP + ":9093/api/v2/alerts";
      t =
          await(
              "SingleHomed for AS64601 in Alertmanager",
              Duration.ofSeconds(120),
              () -> {
                String a = lab.get(amUrl, false);
                return a.contains("\"alertname\":\"SingleHomed\"") && a.contains("AS64601");
              });
      say("SingleHomed AS64601 (upstream AS64600) in Alertmanager after %.1f s", t);

      // the web page through state's Service, from a client pod, with the token
      String page = "http://routewatch-state:8080/?live=0";
      String withToken = chromium(lab, page + "#token=" + lab.token);
      assertTrue(
          withToken.contains("AS64601 is single-homed behind AS64600"),
          "page with token shows the alert:\n" + excerpt(withToken));
      assertFalse(withToken.contains("token-form"), "no token form once the token is given");
      String without = chromium(lab, page);
      // without it every data route answers 401: the page shows no data and asks for the token
      assertTrue(
          without.contains("token-form")
              && without.contains("state: unauthenticated")
              && !without.contains("single-homed behind"),
          "page without token asks for it and shows nothing:\n" + excerpt(without));
      say(
          "web page via Service routewatch-state:8080 from the client pod: with the token stats and alert panel"
              + " ('AS64601 is single-homed behind AS64600'); without it 'state: unauthenticated', the token form and no alert");

      // NetworkPolicies: who may open which port
      String state = c.podOf("state").ip;
      String alert = c.podOf("alert").ip;
      String collector = c.podOf("collector").ip;
      String pg = c.podOf("postgres").ip;
      check(lab, "rogue", collector, 1179, true, "router CIDR -> collector BGP");
      check(lab, "edge1", collector, 11019, true, "router CIDR -> collector BMP");
      check(lab, "rogue", state, 8082, false, "router -> state API");
      check(lab, "edge1", alert, 8083, false, "router -> alert API");
      check(
          lab,
          ClusterLab.CLIENT,
          c.serviceIp("routewatch-state"),
          8080,
          true,
          "client pod -> state Service");
      check(lab, ClusterLab.CLIENT, collector, 1179, false, "client pod -> collector BGP");
      check(lab, c.podOf("state").host, alert, 8083, true, "state -> alert (page's alert panel)");
      check(lab, c.podOf("collector").host, pg, 5432, false, "collector -> PostgreSQL");
      check(lab, c.podOf("alert").host, pg, 5432, true, "alert -> PostgreSQL");

      // one credential per role: a reader can neither publish routes nor edit the watch list, the
      // ingest token cannot read, the admin token edits
      String watchUrl = "http://" + alert + ":8083/api/v1/watch";
      String body = "{\"kind\":\"ASN\",\"value\":\"64602\"}";
      String asReader = lab.send(watchUrl, lab.token, body);
      assertTrue(
          asReader.startsWith("HTTP 403"), "watch-list edit with the read token: " + asReader);
      String asIngest = lab.send("http://" + state + ":8082/api/v1/stats", lab.ingestToken, null);
      assertTrue(asIngest.startsWith("HTTP 403"), "query with the ingest token: " + asIngest);
      String asAdmin = lab.send(watchUrl, lab.adminToken, body);
      assertFalse(
          asAdmin.startsWith("HTTP 4") || asAdmin.startsWith("HTTP 5") || asAdmin.isEmpty(),
          "watch-list edit with the admin token: " + asAdmin);
      io.grpc.ManagedChannel ch =
          io.grpc.netty.NettyChannelBuilder.forAddress(state, 8082).usePlaintext().build();
      try {
        io.grpc.Metadata md = new io.grpc.Metadata();
        md.put(
            io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
            "Bearer " + lab.token);
        var ingest =
            io.routewatch.proto.v1.IngestServiceGrpc.newBlockingStub(ch)
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS);
        io.grpc.StatusRuntimeException denied =
            org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class,
                () ->
                    ingest.getStreamPositions(
                        io.routewatch.proto.v1.GetStreamPositionsRequest.getDefaultInstance()));
        assertEquals(
            io.grpc.Status.Code.PERMISSION_DENIED, denied.getStatus().getCode(), denied.toString());
        say(
            "roles: read token -> watch-list edit %s, IngestService/GetStreamPositions %s; ingest token -> query %s; admin token -> watch-list edit OK",
            asReader.substring(0, 8), denied.getStatus().getCode(), asIngest.substring(0, 8));
      } finally {
        ch.shutdownNow();
      }

      // imports: only from the rendered import directory (a volume), only with the admin role
      Path demo = repo.resolve("demo/ris-rrc-2015-10-23-nk-baseline.gz");
      Path imports = c.podOf("collector").volume("imports");
      Files.copy(demo, imports.resolve(demo.getFileName()));
      Sh.run("chown", "185:185", imports.resolve(demo.getFileName()).toString());
      String importsUrl = "http://" + collector + ":8081/api/v1/imports";
      String inVolume = "{\"path\":\"/var/lib/routewatch/imports/" + demo.getFileName() + "\"}";
      String passwd = lab.send(importsUrl, lab.adminToken, "{\"path\":\"/etc/passwd\"}");
      assertTrue(
          passwd.startsWith("HTTP 403") && passwd.contains("/var/lib/routewatch/imports"),
          "/etc/passwd: " + passwd);
      String asReaderImport = lab.send(importsUrl, lab.token, inVolume);
      assertTrue(
          asReaderImport.startsWith("HTTP 403"), "import with the read token: " + asReaderImport);
      String started = lab.send(importsUrl, lab.adminToken, inVolume);
      assertFalse(
          started.startsWith("HTTP 4") || started.startsWith("HTTP 5") || started.isEmpty(),
          "import: " + started);
      String jobId = json(started).get("id").getAsString();
      t =
          await(
              "the demo import DONE",
              Duration.ofSeconds(120),
              () -> lab.send(importsUrl + "/" + jobId, lab.token, null).contains("\"DONE\""));
      String kp = lab.state("/api/v1/upstreams/AS131279");
      assertTrue(kp.contains("\"asn\": 4837"), "AS131279 behind AS4837 after the import: " + kp);
      say(
          "imports: /etc/passwd 403 naming the import dir, read token 403, admin token imports the demo archive from the volume: DONE in %.1f s, AS131279 via AS4837",
          t);

      // state keeps its snapshots on its claim: SIGKILL, restart, same routes
      String before = stats(lab);
      long routes = json(before).get("routes").getAsLong();
      String digest = json(before).get("routeDigest").getAsString();
      double written = metric(lab.metrics("state"), "routewatch_state_snapshots_written_total");
      t =
          await(
              "a snapshot holding every route",
              Duration.ofSeconds(90),
              () -> {
                String m = lab.metrics("state");
                return metric(m, "routewatch_state_snapshots_written_total") > written
                    && metric(m, "routewatch_state_snapshot_routes") == routes;
              });
      Path claim = c.podOf("state").claim("snapshots");
      try (var files = Files.list(claim)) {
        say(
            "snapshot of %d routes on the claim after %.1f s: %s",
            routes, t, files.map(p -> p.getFileName().toString()).toList());
      }
      Pod statePod = c.podOf("state");
      statePod.kill();
      long k = System.nanoTime();
      statePod.start();
      double ready = statePod.awaitReady(Duration.ofMinutes(3));
      String after = stats(lab);
      assertEquals(
          digest,
          json(after).get("routeDigest").getAsString(),
          "route digest after restart: " + after);
      assertEquals(routes, json(after).get("routes").getAsLong());
      double loaded = metric(lab.metrics("state"), "routewatch_state_snapshot_load_seconds");
      assertTrue(loaded > 0, "state loaded its snapshot");
      say(
          "state SIGKILLed and restarted: Ready in %.1f s, snapshot loaded in %.3f s, %d routes, digest %s unchanged (%.1f s in all)",
          ready, loaded, routes, digest, (System.nanoTime() - k) / 1e9);
      // the others follow state back (alert re-subscribes, the collector's link reconnects)
      List<String> back = new ArrayList<>();
      for (Pod p : List.of(c.podOf("postgres"), c.podOf("alert"), c.podOf("collector"))) {
        double r =
            await(
                p.name + " Ready again after state's restart",
                Duration.ofSeconds(90),
                () -> p.probe(p.container.getReadinessProbe()));
        assertTrue(p.probe(p.container.getLivenessProbe()), p.name + " live");
        back.add(String.format("%s %.1f s", p.name, r));
      }
      say(
          "every probe Ready and live again (%s); whole run %.1f s",
          String.join(", ", back), (System.nanoTime() - t0) / 1e9);
    }
    try (var left = Files.list(Path.of("/etc/netns"))) {
      assertTrue(
          left.noneMatch(
              p ->
                  p.getFileName()
                      .toString()
                      .startsWith("rwc" + (ProcessHandle.current().pid() % 10000) + "-")),
          "namespaces removed");
    } catch (java.nio.file.NoSuchFileException ok) {
      // nothing left at all
    }
  }

  private void check(
      ClusterLab lab, String from, String ip, int port, boolean expected, String what) {
    boolean got = lab.cluster.net.canConnect(from, ip, port);
    say("policy %-40s %s:%d %s", what, ip, port, got ? "open" : "refused");
    assertEquals(expected, got, what);
  }

  private static String routes(ClusterLab lab, String prefix) {
    return lab.state(
        "/api/v1/prefix?p="
            + java.net.URLEncoder.encode(prefix, java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String stats(ClusterLab lab) {
    return lab.state("/api/v1/stats?digest=true");
  }

  private static JsonObject json(String s) {
    return JsonParser.parseString(s).getAsJsonObject();
  }

  private static String excerpt(String dom) {
    int i = dom.indexOf("<body");
    return dom.substring(Math.max(0, i), Math.min(dom.length(), Math.max(0, i) + 3000));
  }

  /** Headless Chromium in the client pod's namespace; the DOM after the page's scripts ran. */
  private static String chromium(ClusterLab lab, String url) throws Exception {
    Path profile = lab.cluster.daemonDir("chromium-" + System.nanoTime());
    List<String> cmd =
        List.of(
            "timeout",
            "90",
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--user-data-dir=" + profile,
            "--virtual-time-budget=8000",
            "--dump-dom",
            url);
    Sh.Result r = Sh.tryRun(Duration.ofSeconds(100), lab.cluster.net.exec(ClusterLab.CLIENT, cmd));
    return r.out();
  }
}
