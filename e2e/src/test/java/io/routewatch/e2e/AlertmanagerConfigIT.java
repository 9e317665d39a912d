package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.routewatch.cli.scenario.ExaBgpConfig;
import io.routewatch.cli.scenario.Scenario;
import io.routewatch.cli.scenario.ScenarioParser;
import io.routewatch.cli.scenario.ScenarioRunner;
import io.routewatch.deploy.Chart;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "one incident, one page": the Alertmanager configuration the chart ships
 * (helm/routewatch/files/alertmanager.yml, rendered by the chart with alertmanagerConfig enabled)
 * in a real Alertmanager, fed what the alert service sends for a total outage of a multi-homed
 * origin: the 8 alerts the issue counted (three LostUpstream while VPs converge, four per-prefix
 * VisibilityLoss, the origin's VisibilityLoss), labelled as the alert service labels them
 * (docs/alerts.md "Labels and annotations"), posted to /api/v2/alerts in convergence order over
 * about a second. A webhook receiver on loopback gets exactly one notification for the outage (the
 * origin's VisibilityLoss, its consequences inhibited) and one resolve notification; a partial
 * outage of another origin at the same time is its own page (grouped per subject, not inhibited by
 * a foreign outage), and routewatch-ops gets nothing.
 *
 * <p>Timers: group_wait 3 s and group_interval 2 s instead of the shipped 30 s / 5 m, so the
 * recorded case takes ~11 s and the whole outage-and-recovery fits in a few group intervals. The
 * recorded alerts start when they are posted, so 3 s covers their 1 s spread; the alert service's
 * own alerts start before their hold, for which group_wait does not wait (second test).
 */
class AlertmanagerConfigIT {
  private static final String DARK = "AS64501"; // total outage: 4 upstreams, 4 prefixes
  private static final String PARTIAL = "AS64502"; // one prefix of two dark, origin visible

  record Notification(String receiver, String status, List<Map<String, String>> alerts) {}

  @Test
  void totalOutageIsOnePageAndOneResolve() throws Exception {
    List<Notification> notifications = new CopyOnWriteArrayList<>();
    HttpServer hook = webhook(notifications);
    Path work = Files.createTempDirectory("routewatch-am-config-");
    String config = renderedConfig(work, hook.getAddress().getPort());
    long t0 = System.nanoTime();
    try (Alertmanager am = new Alertmanager(work, config)) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      Instant start = Instant.now();
      List<Map<String, String>> incident = new ArrayList<>();
      // convergence order: upstreams vanish VP by VP first, then prefixes, then the origin
      for (String up : List.of("AS64510", "AS64511", "AS64512")) {
        incident.add(labels("LostUpstream", DARK, "warning", "upstream", up));
      }
      for (String p :
          List.of("198.51.100.0/24", "203.0.113.0/24", "192.0.2.0/24", "2001:db8::/32")) {
        incident.add(labels("VisibilityLoss", DARK, "critical", "prefix", p));
      }
      incident.add(labels("VisibilityLoss", DARK, "critical", null, null));
      List<Map<String, String>> partial =
          List.of(labels("VisibilityLoss", PARTIAL, "critical", "prefix", "100.64.0.0/24"));
      List<Map<String, String>> all = new ArrayList<>(incident);
      all.addAll(partial);
      for (Map<String, String> a : all) {
        post(http, am, a, start, null);
        Thread.sleep(110); // ~1 s spread over the 9 alerts
      }

      waitFor(
          Duration.ofSeconds(10),
          () -> notifications.size() >= 2,
          "two firing pages",
          notifications);
      JsonArray active = getJson(http, am.url() + "/api/v2/alerts?active=true&inhibited=true");
      int inhibited = 0;
      for (JsonElement a : active) {
        if (!a.getAsJsonObject()
            .getAsJsonObject("status")
            .getAsJsonArray("inhibitedBy")
            .isEmpty()) {
          inhibited++;
        }
      }
      System.out.printf(
          "AlertmanagerConfigIT: %d alerts active in Alertmanager, %d inhibited; firing pages: %s%n",
          active.size(), inhibited, notifications);
      assertEquals(9, active.size(), active.toString());
      assertEquals(
          7, inhibited, "3 LostUpstream + 4 prefix VisibilityLoss of " + DARK + ": " + active);

      List<Notification> darkPages = pagesFor(notifications, DARK);
      assertEquals(1, darkPages.size(), "one page for the outage: " + notifications);
      Notification page = darkPages.get(0);
      assertEquals("network", page.receiver());
      assertEquals("firing", page.status());
      assertEquals(1, page.alerts().size(), "its consequences inhibited: " + page);
      assertEquals("VisibilityLoss", page.alerts().get(0).get("alertname"));
      assertTrue(!page.alerts().get(0).containsKey("prefix"), "the origin's alert: " + page);
      List<Notification> partialPages = pagesFor(notifications, PARTIAL);
      assertEquals(
          1, partialPages.size(), "the other origin's partial outage pages: " + notifications);
      assertEquals("firing", partialPages.get(0).status());

      // recovery: the alert service sends every alert again with endsAt
      int before = notifications.size();
      Instant end = Instant.now();
      for (Map<String, String> a : incident) {
        post(http, am, a, start, end);
      }
      waitFor(
          Duration.ofSeconds(10),
          () -> pagesFor(notifications, DARK).stream().anyMatch(n -> n.status().equals("resolved")),
          "the outage's resolve notification",
          notifications);
      Thread.sleep(5_000); // two more group_intervals: nothing else may arrive
      List<Notification> after = notifications.subList(before, notifications.size());
      System.out.printf("AlertmanagerConfigIT: after recovery: %s%n", after);
      assertEquals(1, after.size(), "exactly one resolve notification: " + after);
      Notification resolve = after.get(0);
      assertEquals("network", resolve.receiver());
      assertEquals("resolved", resolve.status());
      assertTrue(
          resolve.alerts().stream()
              .anyMatch(
                  a -> a.get("alertname").equals("VisibilityLoss") && !a.containsKey("prefix")),
          "the origin's VisibilityLoss resolved: " + resolve);
      assertTrue(
          resolve.alerts().stream().allMatch(a -> a.get("_status").equals("resolved")),
          resolve.toString());
      assertTrue(
          notifications.stream().noneMatch(n -> n.receiver().equals("ops")),
          "routewatch-ops gets no network alert: " + notifications);
      assertEquals(3, notifications.size(), "2 firing pages + 1 resolve: " + notifications);
    } finally {
      hook.stop(0);
      System.out.printf("AlertmanagerConfigIT: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * A total outage of a multi-homed origin (4 upstreams, 12 VPs, 4 prefixes, every VP withdraws
   * everything at once, back an hour later) played through real ExaBGP into the real collector,
   * state and alert service at 720x, with the documented defaults (holds given in scenario time so
   * they compress), into the real Alertmanager on the rendered configuration. While the origin's
   * VisibilityLoss is active every other alert of the origin is inhibited; its page is that alert
   * alone and is followed by exactly one resolve. Consequences the alert service sends before the
   * cause can page once before it (printed): Alertmanager flushes a new group at once when an
   * alert's startsAt + group_wait is past, and the alert service's startsAt is the start of the
   * condition, before its hold; not sending them is the alert service's part of issue 15.
   */
  @Test
  void totalOutageThroughTheRealAlertService() throws Exception {
    List<Notification> notifications = new CopyOnWriteArrayList<>();
    HttpServer hook = webhook(notifications);
    Path work = Files.createTempDirectory("routewatch-am-outage-");
    Path file = work.resolve("total-outage.yaml");
    Files.writeString(file, TOTAL_OUTAGE);
    Scenario sc = ScenarioParser.parse(file);
    int bgpPort = Stack.freePort();
    Map<String, String> env = new HashMap<>(ScenarioRunner.serviceEnv(sc, sc.speed()));
    env.putAll(ExaBgpConfig.collectorEnv(sc, bgpPort));
    long t0 = System.nanoTime();
    try (Alertmanager am =
        new Alertmanager(work, renderedConfig(work, hook.getAddress().getPort()))) {
      env.put("ROUTEWATCH_ALERT_ALERTMANAGER_URLS", am.url());
      try (Stack stack = new Stack(env)) {
        stack.startState();
        stack.startCollector();
        stack.startAlert();
        System.out.printf(
            "AlertmanagerConfigIT: stack up after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        ScenarioRunner.Options o =
            new ScenarioRunner.Options(
                sc.speed(),
                "127.0.0.1",
                bgpPort,
                "127.0.0.1:" + stack.statePort,
                "127.0.0.1:" + stack.alertPort,
                am.url(),
                "exabgp",
                work,
                60_000,
                1_500);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // while the origin's VisibilityLoss is active, every other alert of the origin that has
        // reached Alertmanager must be inhibited: checked on each poll of its API
        int[] seen = {0, 0, 0}; // polls with the cause active, max inhibited, active then
        List<String> notInhibited = new CopyOnWriteArrayList<>();
        Thread poll =
            new Thread(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      JsonArray active =
                          getJson(http, am.url() + "/api/v2/alerts?active=true&inhibited=true");
                      boolean cause = false;
                      int inh = 0;
                      List<String> free = new ArrayList<>();
                      for (JsonElement e : active) {
                        JsonObject a = e.getAsJsonObject();
                        JsonObject l = a.getAsJsonObject("labels");
                        boolean isCause =
                            l.get("alertname").getAsString().equals("VisibilityLoss")
                                && !l.has("prefix");
                        cause |= isCause;
                        if (!a.getAsJsonObject("status").getAsJsonArray("inhibitedBy").isEmpty()) {
                          inh++;
                        } else if (!isCause) {
                          free.add(l.toString());
                        }
                      }
                      if (cause) {
                        seen[0]++;
                        notInhibited.addAll(free);
                        if (inh > seen[1]) {
                          seen[1] = inh;
                          seen[2] = active.size();
                        }
                      }
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    } catch (Exception | AssertionError e) {
                      // Alertmanager busy: next poll
                    }
                  }
                });
        poll.setDaemon(true);
        poll.start();
        // sessions stay up after the run: closing them withdraws everything, a second outage
        ScenarioRunner runner = new ScenarioRunner(sc, o, System.out).keepSessions(true);
        ScenarioRunner.Report r;
        try {
          r = runner.run();
          // the resolve: group_interval after the last alert resolved
          waitFor(
              Duration.ofSeconds(15),
              () -> notifications.stream().anyMatch(n -> n.status().equals("resolved")),
              "resolve notification (logs " + stack.logs + ")",
              notifications);
          Thread.sleep(4_000); // two more group_intervals: nothing else may arrive
        } finally {
          runner.stopSessions();
        }
        poll.interrupt();
        System.out.printf(
            "AlertmanagerConfigIT: the alert service sent %d transitions to Alertmanager: %s%n",
            r.alertmanager().size(), r.alertmanager());
        int causeAt = -1;
        for (int i = 0; i < notifications.size() && causeAt < 0; i++) {
          if (notifications.get(i).status().equals("firing")
              && notifications.get(i).alerts().stream().anyMatch(AlertmanagerConfigIT::isCause)) {
            causeAt = i;
          }
        }
        System.out.printf(
            "AlertmanagerConfigIT: %d polls with the origin's VisibilityLoss active, up to %d of %d"
                + " active alerts inhibited; %d pages before the cause reached Alertmanager;"
                + " webhook got %d notifications: %s%n",
            seen[0], seen[1], seen[2], Math.max(causeAt, 0), notifications.size(), notifications);
        assertTrue(seen[0] > 0, "the origin's VisibilityLoss never reached Alertmanager");
        assertTrue(notInhibited.isEmpty(), "not inhibited while the cause fired: " + notInhibited);
        assertTrue(causeAt >= 0, "no page for the origin's VisibilityLoss: " + notifications);
        // Pages before the cause: consequences the alert service sent before the origin's alert.
        // Alertmanager flushes a new group at once when an alert's startsAt + group_wait has
        // passed, and the alert service's startsAt is the condition's start (before its hold),
        // so group_wait cannot wait for the cause: folding them is the alert service's part.
        for (Notification n : notifications.subList(0, causeAt)) {
          assertTrue(
              n.alerts().stream().allMatch(a -> CONSEQUENCES.contains(a.get("alertname"))),
              "a page before the cause that is not one of its consequences: " + n);
        }
        Notification page = notifications.get(causeAt);
        assertEquals("network", page.receiver());
        assertEquals(
            1, page.alerts().size(), "the cause's page holds back its consequences: " + page);
        List<Notification> after = notifications.subList(causeAt + 1, notifications.size());
        assertEquals(1, after.size(), "after the cause's page only one resolve: " + after);
        assertEquals("resolved", after.get(0).status());
        assertTrue(
            after.get(0).alerts().stream()
                .anyMatch(
                    a -> "VisibilityLoss".equals(a.get("alertname")) && !a.containsKey("prefix")),
            after.toString());
        assertTrue(
            notifications.stream()
                .allMatch(
                    n ->
                        n.receiver().equals("network")
                            && n.alerts().stream().allMatch(a -> "AS64500".equals(a.get("asn")))),
            notifications.toString());
      }
    } finally {
      hook.stop(0);
      System.out.printf(
          "AlertmanagerConfigIT (real alert service): %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Issue 15's first case, smaller: 4 upstreams (3 VPs behind each), 12 VPs, 4 prefixes, every VP
   * withdraws everything at 00:30 and announces again at 01:30. Only the full-feed threshold (12
   * VPs are this scenario's full feed) and time compression differ from the documented defaults;
   * the rule holds are the defaults, written as overrides so the runner compresses them.
   */
  private static final String TOTAL_OUTAGE =
      """
      name: total-outage-am
      description: every VP withdraws all four prefixes of a network with four upstreams
      origin: AS64500
      start: 2024-01-01T00:00:00Z
      end: 2024-01-01T02:00:00Z
      speed: 720
      prefixes: [45.60.0.0/24, 45.60.1.0/24, 45.60.2.0/24, 45.60.3.0/24]
      vps:
        - {name: v1,  asn: 3356,  address: 127.0.0.71, paths: {p: "3356 64501 64500"}}
        - {name: v2,  asn: 1299,  address: 127.0.0.72, paths: {p: "1299 64501 64500"}}
        - {name: v3,  asn: 174,   address: 127.0.0.73, paths: {p: "174 64501 64500"}}
        - {name: v4,  asn: 2914,  address: 127.0.0.74, paths: {p: "2914 64502 64500"}}
        - {name: v5,  asn: 3257,  address: 127.0.0.75, paths: {p: "3257 64502 64500"}}
        - {name: v6,  asn: 6939,  address: 127.0.0.76, paths: {p: "6939 64502 64500"}}
        - {name: v7,  asn: 12389, address: 127.0.0.77, paths: {p: "12389 64503 64500"}}
        - {name: v8,  asn: 31133, address: 127.0.0.78, paths: {p: "31133 64503 64500"}}
        - {name: v9,  asn: 3491,  address: 127.0.0.79, paths: {p: "3491 64503 64500"}}
        - {name: v10, asn: 4134,  address: 127.0.0.80, paths: {p: "4134 64504 64500"}}
        - {name: v11, asn: 6453,  address: 127.0.0.81, paths: {p: "6453 64504 64500"}}
        - {name: v12, asn: 6762,  address: 127.0.0.82, paths: {p: "6762 64504 64500"}}
      timeline:
        - {at: 2024-01-01T00:00:00Z, note: baseline, announce: {vps: all, prefixes: all, path: p}}
        - {at: 2024-01-01T00:30:00Z, note: total outage, withdraw: {vps: all, prefixes: all}}
        - {at: 2024-01-01T01:30:00Z, note: back, announce: {vps: all, prefixes: all, path: p}}
      config:
        routewatch.state.engine.full-feed-v4: "1"
        routewatch.state.engine.outage-hold: 5m
        routewatch.state.engine.outage-clear: 10m
        routewatch.state.engine.settle: 5m
        routewatch.state.engine.warmup: 15m
        routewatch.alert.tick-interval: 30s
        routewatch.alert.baseline-period: 10m
      watch:
        - value: AS64500
          overrides: {hold: 5m, clear: 10m, single-homed.hold: 10m}
      """;

  private static HttpServer webhook(List<Notification> notifications) throws java.io.IOException {
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (String receiver : List.of("network", "ops")) {
      hook.createContext(
          "/" + receiver,
          ex -> {
            JsonObject body =
                JsonParser.parseString(
                        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            List<Map<String, String>> alerts = new ArrayList<>();
            for (JsonElement a : body.getAsJsonArray("alerts")) {
              Map<String, String> labels = new LinkedHashMap<>();
              a.getAsJsonObject()
                  .getAsJsonObject("labels")
                  .entrySet()
                  .forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
              labels.put("_status", a.getAsJsonObject().get("status").getAsString());
              alerts.add(labels);
            }
            notifications.add(new Notification(receiver, body.get("status").getAsString(), alerts));
            ex.sendResponseHeaders(200, -1);
            ex.close();
          });
    }
    hook.start();
    return hook;
  }

  private static final java.util.Set<String> CONSEQUENCES =
      java.util.Set.of("LostUpstream", "VisibilityLoss", "SingleHomed", "UpstreamShareShift");

  /** The origin's own VisibilityLoss (no prefix label), firing. */
  private static boolean isCause(Map<String, String> a) {
    return "VisibilityLoss".equals(a.get("alertname"))
        && !a.containsKey("prefix")
        && "firing".equals(a.get("_status"));
  }

  /** The chart's alertmanager.yml, rendered with webhook receivers on the test's loopback port. */
  private static String renderedConfig(Path work, int port) throws Exception {
    Path values = work.resolve("values-alertmanager.yaml");
    Files.writeString(
        values,
        """
        alertmanagerConfig:
          enabled: true
          groupWait: 3s
          groupInterval: 2s
          repeatInterval: 1h
          receivers:
            routewatch-network:
              webhook_configs: [{url: "http://127.0.0.1:%1$d/network", send_resolved: true}]
            routewatch-ops:
              webhook_configs: [{url: "http://127.0.0.1:%1$d/ops", send_resolved: true}]
        """
            .formatted(port));
    Chart chart = new Chart(Path.of(System.getProperty("routewatch.root", "..")));
    KubernetesSerialization k8s = new KubernetesSerialization();
    for (String doc : Chart.documents(chart.render(List.of(values), Map.of()))) {
      if (doc.contains("kind: ConfigMap") && doc.contains("-alertmanager\n")) {
        return k8s.unmarshal(doc, ConfigMap.class).getData().get("alertmanager.yml");
      }
    }
    throw new AssertionError("the chart rendered no <release>-alertmanager ConfigMap");
  }

  /** Labels as the alert service's Labels.of + severity build them. */
  private static Map<String, String> labels(
      String alertname, String asn, String severity, String key, String value) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("alertname", alertname);
    l.put("asn", asn);
    l.put("country", "NL");
    if (key != null) {
      l.put(key, value);
    }
    l.put("severity", severity);
    return l;
  }

  /** One alert as AlertmanagerPayload posts it (endsAt only once resolved). */
  private static void post(
      HttpClient http,
      Alertmanager am,
      Map<String, String> labels,
      Instant startsAt,
      Instant endsAt)
      throws Exception {
    JsonObject alert = new JsonObject();
    JsonObject l = new JsonObject();
    labels.forEach(l::addProperty);
    alert.add("labels", l);
    JsonObject ann = new JsonObject();
    ann.addProperty(
        "summary",
        labels.get("alertname")
            + " "
            + labels.get("asn")
            + " "
            + labels.getOrDefault("prefix", ""));
    ann.addProperty("description", "recorded shape of the alert service's output (issue 15)");
    alert.add("annotations", ann);
    alert.addProperty("startsAt", startsAt.toString());
    if (endsAt != null) {
      alert.addProperty("endsAt", endsAt.toString());
    }
    JsonArray body = new JsonArray();
    body.add(alert);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(am.url() + "/api/v2/alerts"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private static JsonArray getJson(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonArray();
  }

  private static List<Notification> pagesFor(List<Notification> all, String asn) {
    return all.stream()
        .filter(n -> n.alerts().stream().anyMatch(a -> asn.equals(a.get("asn"))))
        .toList();
  }

  private static void waitFor(Duration max, BooleanSupplier done, String what, Object state)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + max + ": " + state);
      }
      Thread.sleep(100);
    }
  }
}
