package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 (RoaChange): state reads its VRP file, the file is rewritten while it runs, and the ROA
 * changes of the watched space reach the alert service as RoaChange alerts: a ROA for a foreign AS
 * on the watched prefix added, the watched AS's ROA removed, its maxLength changed and changed
 * back; a change outside the watched space says nothing.
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
        if (a.getAsJsonObject("labels").get("alertname").getAsString().equals("RoaChange")
            && a.get("state").getAsString().equals(state)) {
          out.add(a);
        }
      }
      if (out.size() >= n || System.nanoTime() > deadline) {
        assertEquals(n, out.size(), state + " RoaChange alerts: " + out);
        return out;
      }
      Thread.sleep(200);
    }
  }
}
