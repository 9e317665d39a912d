package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.routewatch.cli.scenario.Scenario;
import io.routewatch.cli.scenario.ScenarioParser;
import io.routewatch.cli.scenario.ScenarioRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 (RoaChange): state reads its VRP file, the file is rewritten while it runs, and the ROA
 * changes of the watched space reach the alert service as RoaChange alerts: a ROA for a foreign AS
 * on the watched prefix added, the watched AS's ROA removed, its maxLength changed and changed
 * back; a change outside the watched space says nothing. And the watched routes follow the VRP set
 * (RpkiInvalid through a real Alertmanager, routes from real ExaBGP): a ROA removed makes the
 * owner's unchanged route invalid and pages, the ROA back resolves it.
 */
class RoaChangeIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static String json(String... roas) {
    List<String> rows = new ArrayList<>();
    for (String r : roas) {
      String[] f = r.split(" "); // prefix maxLength asn
      rows.add(
          "{\"asn\": "
              + f[2]
              + ", \"prefix\": \""
              + f[0]
              + "\", \"maxLength\": "
              + f[1]
              + ", \"ta\": \"test\"}");
    }
    return "{\"roas\": [" + String.join(",\n", rows) + "]}\n";
  }

  /** Replaces the file in one rename: state never reads half of it. */
  static void write(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void roaChangesOfTheWatchedSpaceAreTold() throws Exception {
    Path dir = Files.createTempDirectory("routewatch-roa-");
    Path vrps = dir.resolve("vrps.json");
    write(
        vrps,
        json(
            "192.0.2.0/24 24 64510",
            "198.51.100.0/24 24 64510",
            "2001:db8::/32 48 64510",
            "203.0.113.0/24 24 64999"));
    // refresh 1 s: the test's clock (an operator keeps the shipped 10 min); tick 0.2 s likewise
    try (Stack stack =
        new Stack(
            Map.of(
                "ROUTEWATCH_STATE_RPKI_FILE", vrps.toString(),
                "ROUTEWATCH_STATE_RPKI_REFRESH", "1s",
                "ROUTEWATCH_ALERT_TICK_INTERVAL", "PT0.2S"))) {
      stack.startState();
      stack.startAlert();
      String alert = "http://127.0.0.1:" + stack.alertPort;
      watch(
          alert,
          "{\"kind\":\"PREFIX\",\"value\":\"192.0.2.0/24\",\"overrides\":{\"origins\":\"AS64510\"}}");
      // clear 0 s on the AS's entry: its undone change is shown resolved at once, not in 10 min
      watch(
          alert,
          "{\"kind\":\"ASN\",\"value\":\"AS64510\",\"overrides\":{\"roa-change.clear\":\"0s\"}}");
      // the space reached state, and a load after it is the baseline
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (Metrics.sum(Metrics.scrape(stack.statePort), "routewatch_state_watched_asns") < 1) {
        assertTrue(System.nanoTime() < deadline, "watched space never reached state");
        Thread.sleep(200);
      }
      Thread.sleep(2500);
      assertEquals(0, roaChanges(stack), "the baseline loads report nothing");

      write(
          vrps,
          json(
              "192.0.2.0/24 24 64510",
              "192.0.2.0/24 24 64500", // a foreign AS authorised for the watched prefix
              "2001:db8::/32 40 64510", // maxLength 48 → 40
              "203.0.113.0/24 32 64999")); // not watched
      // and 198.51.100.0/24 of AS64510 removed
      JsonArray firing = await(alert, 3, "FIRING");
      assertEquals(3, roaChanges(stack), "state's ROA_CHANGED changes");
      List<String> seen = new ArrayList<>();
      for (JsonElement e : firing) {
        JsonObject l = e.getAsJsonObject().getAsJsonObject("labels");
        seen.add(
            l.get("prefix").getAsString()
                + " "
                + l.get("roa_asn").getAsString()
                + " "
                + l.get("roa_change").getAsString()
                + " "
                + l.get("severity").getAsString()
                + (l.has("watched_prefix") ? " in " + l.get("watched_prefix").getAsString() : ""));
      }
      seen.sort(null);
      System.out.println("RoaChange firing: " + seen);
      assertEquals(
          List.of(
              "192.0.2.0/24 AS64500 added info in 192.0.2.0/24",
              "198.51.100.0/24 AS64510 removed info",
              "2001:db8::/32 AS64510 max-length info"),
          seen);

      write(vrps, json("192.0.2.0/24 24 64510", "192.0.2.0/24 24 64500", "2001:db8::/32 48 64510"));
      JsonArray resolved = await(alert, 1, "RESOLVED");
      assertEquals(
          "2001:db8::/32",
          resolved.get(0).getAsJsonObject().getAsJsonObject("labels").get("prefix").getAsString(),
          "the maxLength change undone resolves its alert");
      assertEquals(4, roaChanges(stack));
    }
  }

  /**
   * One prefix of AS64510 seen by four VPs in four peer ASes, ROA-valid; nothing else happens on
   * BGP (the test rewrites state's VRP file meanwhile). The shipped durations in scenario time, as
   * scenarios/rpki-invalid.yaml has them.
   */
  static final String ROUTE =
      """
name: rov-revalidation
description: AS64510 announces 198.51.100.0/24, ROA-valid, and keeps it.
origin: AS64510
start: 2024-03-04T00:00:00Z
end: 2024-03-04T08:00:00Z
speed: 720
collector-asn: 65000
prefixes: [198.51.100.0/24]
vrps:
  - {prefix: 198.51.100.0/24, max-length: 24, asn: AS64510}
vps:
  - {name: level3, asn: 3356, address: 127.0.0.91, paths: {base: "3356 64496 64510"}}
  - {name: telia,  asn: 1299, address: 127.0.0.92, paths: {base: "1299 64496 64510"}}
  - {name: cogent, asn: 174,  address: 127.0.0.93, paths: {base: "174 64496 64510"}}
  - {name: ntt,    asn: 2914, address: 127.0.0.94, paths: {base: "2914 64497 64510"}}
timeline:
  - {at: 2024-03-04T00:00:00Z, note: baseline, announce: {vps: all, prefixes: all, path: base}}
config:
  routewatch.state.engine.full-feed-v4: "1"
  routewatch.state.engine.full-feed-v6: "1"
  routewatch.state.engine.settle: 5m
  routewatch.state.engine.warmup: 15m
  routewatch.alert.baseline-period: 10m
  routewatch.alert.rules.defaults.hold: 5m
  routewatch.alert.rules.defaults.clear: 10m
  routewatch.alert.tick-interval: 30s
watch:
  - value: 198.51.100.0/24
    description: the owner's prefix
    overrides: {origins: AS64510}
""";

  @Test
  void aRoaRemovedMakesAWatchedRouteInvalidAndItsReturnResolves() throws Exception {
    Path work = Files.createTempDirectory("routewatch-rov-");
    Path file = work.resolve("rov-revalidation.yaml");
    Files.writeString(file, ROUTE);
    Scenario sc = ScenarioParser.parse(file);
    // state's VRP file, as the scenario's service settings name it: rewritten while it plays
    Path vrps =
        Path.of(ScenarioRunner.serviceEnv(sc, sc.speed(), work).get("ROUTEWATCH_STATE_RPKI_FILE"));
    ScenarioPlay.run(
        sc,
        work,
        Map.of("ROUTEWATCH_STATE_RPKI_REFRESH", "1s"), // the test's clock, as above
        (stack, am) -> {
          // state warm, the route reported (ROA-valid: nothing fires)
          long deadline = System.nanoTime() + 60_000_000_000L;
          while (changes(stack, "CHANGE_KIND_PREFIX_ANNOUNCED") < 1) {
            assertTrue(System.nanoTime() < deadline, "the watched route was never reported");
            Thread.sleep(200);
          }
          Thread.sleep(2500); // a load after it: the same set, nothing
          assertEquals(0, changes(stack, "CHANGE_KIND_ROV_CHANGED"), "nothing changed yet");
          assertTrue(rpkiInvalid(am).isEmpty(), "a valid route pages nothing");

          // the owner's ROA removed, a foreign AS's covering one left: invalid-origin
          write(vrps, json("198.51.100.0/22 24 64666"));
          deadline = System.nanoTime() + 60_000_000_000L;
          List<JsonObject> firing;
          while ((firing = rpkiInvalid(am)).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "RpkiInvalid never reached Alertmanager");
            Thread.sleep(200);
          }
          JsonObject l = firing.get(0).getAsJsonObject("labels");
          System.out.println("RpkiInvalid in Alertmanager: " + l);
          assertEquals("198.51.100.0/24", l.get("prefix").getAsString());
          assertEquals("198.51.100.0/24", l.get("watched_prefix").getAsString());
          assertEquals("invalid-origin", l.get("rov").getAsString());
          assertEquals("critical", l.get("severity").getAsString());
          assertEquals(1, changes(stack, "CHANGE_KIND_ROV_CHANGED"), "state's ROV_CHANGED");

          // the ROA back: valid, the alert resolves (after the shipped clear, compressed)
          write(vrps, json("198.51.100.0/24 24 64510"));
          deadline = System.nanoTime() + 60_000_000_000L;
          while (!rpkiInvalid(am).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "RpkiInvalid never resolved");
            Thread.sleep(200);
          }
          JsonArray resolved = await(alert(stack), "RpkiInvalid", 1, "RESOLVED");
          assertEquals(
              "198.51.100.0/24",
              resolved
                  .get(0)
                  .getAsJsonObject()
                  .getAsJsonObject("labels")
                  .get("prefix")
                  .getAsString());
          assertEquals(2, changes(stack, "CHANGE_KIND_ROV_CHANGED"));
        });
  }

  static String alert(Stack stack) {
    return "http://127.0.0.1:" + stack.alertPort;
  }

  /** The RpkiInvalid alerts Alertmanager holds active now (endsAt in the future). */
  static List<JsonObject> rpkiInvalid(Alertmanager am) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(am.url() + "/api/v2/alerts")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    List<JsonObject> out = new ArrayList<>();
    for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
      JsonObject a = e.getAsJsonObject();
      if (a.getAsJsonObject("labels").get("alertname").getAsString().equals("RpkiInvalid")
          && Instant.parse(a.get("endsAt").getAsString()).isAfter(Instant.now())) {
        out.add(a);
      }
    }
    return out;
  }

  static double changes(Stack stack, String kind) throws Exception {
    return Metrics.sum(
        Metrics.scrape(stack.statePort), "routewatch_state_changes_total", "kind=\"" + kind + "\"");
  }

  static double roaChanges(Stack stack) throws Exception {
    return Metrics.sum(
        Metrics.scrape(stack.statePort),
        "routewatch_state_changes_total",
        "kind=\"CHANGE_KIND_ROA_CHANGED\"");
  }

  static void watch(String alert, String body) throws Exception {
    HttpResponse<String> w =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(alert + "/api/v1/watch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(w.statusCode() / 100 == 2, "watch: " + w.statusCode() + " " + w.body());
  }

  /** The RoaChange transitions in {@code state}, once there are {@code n} (at most 60 s). */
  static JsonArray await(String alert, int n, String state) throws Exception {
    return await(alert, "RoaChange", n, state);
  }

  /** The {@code name} transitions in {@code state}, once there are {@code n} (at most 60 s). */
  static JsonArray await(String alert, String name, int n, String state) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(alert + "/api/v1/alerts?limit=1000")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonArray out = new JsonArray();
      for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
        JsonObject a = e.getAsJsonObject();
        if (a.getAsJsonObject("labels").get("alertname").getAsString().equals(name)
            && a.get("state").getAsString().equals(state)) {
          out.add(a);
        }
      }
      if (out.size() >= n || System.nanoTime() > deadline) {
        assertEquals(n, out.size(), state + " " + name + " alerts: " + out);
        return out;
      }
      Thread.sleep(200);
    }
  }
}
