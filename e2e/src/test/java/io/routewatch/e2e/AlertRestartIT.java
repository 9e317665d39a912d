package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, acceptance 2 with a real crash: the alert service is {@code kill -9}ed twice — while
 * AS131279's SingleHomed alert is still in its hold time, and again after it fired — and started
 * again each time. Alertmanager's webhook receiver (a test receiver on loopback) must get exactly
 * one "firing" notification for it: nothing lost (the hold timer and the cursor live in
 * PostgreSQL), nothing duplicated (the cursor is advanced in the transaction that handled the
 * change, re-sends are the same alert).
 *
 * <p>State reports no change for AS131279 here: the archive's one VP settles at the archive's end
 * while state is still cold, so the network is recorded silently as baseline. The alert service
 * sees it by seeding its view from state's GetUpstreams (first sight of a watched network).
 */
class AlertRestartIT {
  record Notice(String status, String alertname, String asn) {}

  @Test
  void killMinus9MidTimelineLosesAndDuplicatesNothing() throws Exception {
    List<Notice> notices = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        ex -> {
          JsonObject body =
              JsonParser.parseString(
                      new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                  .getAsJsonObject();
          for (JsonElement a : body.getAsJsonArray("alerts")) {
            JsonObject o = a.getAsJsonObject();
            JsonObject labels = o.getAsJsonObject("labels");
            notices.add(
                new Notice(
                    o.get("status").getAsString(),
                    labels.get("alertname").getAsString(),
                    labels.has("asn") ? labels.get("asn").getAsString() : ""));
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    hook.start();
    Path work = Files.createTempDirectory("routewatch-alert-restart-");
    Alertmanager am = Alertmanager.toWebhook(work, hook.getAddress().getPort());
    Map<String, String> env =
        Map.of(
            "ROUTEWATCH_ALERT_ALERTMANAGER_URLS", am.url(),
            "ROUTEWATCH_ALERT_TICK_INTERVAL", "PT0.1S",
            // one VP in the archive: one peer AS is all the evidence there is
            "ROUTEWATCH_ALERT_RULES_DEFAULTS_MIN_PEER_ASNS", "1",
            "ROUTEWATCH_ALERT_RULES_SINGLE_HOMED_HOLD", "PT15S");
    Predicate firing =
        n ->
            n.status().equals("firing")
                && n.alertname().equals("SingleHomed")
                && n.asn().equals("AS131279");
    try (Stack stack = new Stack(env)) {
      stack.startState();
      stack.startCollector();
      stack.startAlert();
      HttpClient http = HttpClient.newHttpClient();
      stack.addWatch("{\"kind\":\"ASN\",\"value\":\"131279\"}");

      // the 2015 archive: AS131279 behind AS4837 only → SingleHomed starts its 15 s hold
      ImportJob job =
          stack.importFile(
              Stack.data().resolve("mrt/ripe-bgpdump/updates.et-header.2015.gz"),
              "rrc-test",
              Duration.ofMinutes(5));
      assertEquals(ImportState.DONE, job.getState(), job.toString());
      long importedAt = System.nanoTime();
      // the alert service has seeded AS131279's view from state (it shows AS4837; gauges refreshed
      // every 2 s)
      waitFor(
          Duration.ofSeconds(10),
          "alert's view of AS131279 (log: " + stack.logs + ")",
          () ->
              get(http, "http://127.0.0.1:" + stack.alertPort + "/q/metrics")
                  .lines()
                  .anyMatch(
                      l ->
                          l.startsWith("routewatch_alert_watched_upstream_share_ratio{")
                              && l.contains("\"AS131279\"")
                              && l.contains("\"AS4837\"")));
      // crash 1: during the hold time (the alert is PENDING, nothing sent yet)
      stack.killAlert();
      assertEquals(
          0,
          notices.stream().filter(firing::test).count(),
          "nothing sent before the hold ended: " + notices);
      stack.startAlert();
      waitFor(
          Duration.ofSeconds(60),
          "SingleHomed at the webhook after the restart " + notices,
          () -> notices.stream().anyMatch(firing::test));
      assertTrue(
          System.nanoTime() - importedAt >= TimeUnit.SECONDS.toNanos(14),
          "not before its hold time");
      // crash 2: after it fired; the restarted service re-sends it (keep-alive), never as a new
      // alert
      stack.killAlert();
      stack.startAlert();
      Thread.sleep(5_000);
      assertEquals(
          1,
          notices.stream().filter(firing::test).count(),
          "exactly one firing notification: " + notices);
      assertTrue(
          get(http, am.url() + "/api/v2/alerts").contains("\"alertname\":\"SingleHomed\""),
          "still active in Alertmanager");
    } finally {
      am.close();
      hook.stop(0);
    }
  }

  interface Predicate {
    boolean test(Notice n);
  }

  private static String get(HttpClient http, String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      return "";
    }
  }

  private static void waitFor(Duration max, String what, BooleanSupplier ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + max);
      }
      Thread.sleep(100);
    }
  }
}
