package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, acceptance 1: the 2008 Pakistan Telecom / YouTube hijack from the real RouteViews
 * update files (incidents MANIFEST section 1). YouTube's 208.65.152.0/22 is watched with origins
 * [36561], the entry the MANIFEST's baseline gives (the files hold no RIB, so `watch generate` has
 * nothing to read). The 12 files are imported in order through the collector with the shipped
 * defaults of every service; the test expects exactly one Hijack alert for 208.65.153.0/24 by
 * AS17557 starting at the first AS17557 route (18:47:57 UTC, event time), its VP counts equal to
 * what the bgpdump decodes give, resolved when the last peer leaves AS17557, and no alert at all
 * after the first file (18:24–18:39, before the hijack).
 *
 * <p>No settle/warm-up override is needed: state treats each imported archive's end as End-of-RIB
 * for its VPs, so the first file is the baseline and the engine is warm from its end on.
 */
class YouTubeHijackIT {
  static final String DIR = "incidents/mrt/youtube-2008-routeviews-cs3640";
  static final String HIJACKED = "208.65.153.0/24";
  static final String HIJACKER = "17557";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** What the decodes say about 208.65.153.0/24 (sessions = peer IPs). */
  record Facts(
      long firstHijack,
      String firstPath,
      int sessionsInFirstSecond,
      int maxOnHijacker,
      long lastLeft) {}

  /** Replays the bgpdump -m decodes: each session's current origin for the hijacked prefix. */
  static Facts facts(List<Path> decodes) throws Exception {
    Map<String, String> origin = new HashMap<>();
    long first = -1;
    String firstPath = null;
    int firstSecond = 0;
    int max = 0;
    long lastLeft = -1;
    for (Path d : decodes) {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(d), 1 << 16), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          String[] f = line.split("\\|", -1);
          if (f.length < 6 || !f[5].equals(HIJACKED)) {
            continue;
          }
          long t = Long.parseLong(f[1]);
          int before = count(origin);
          if (f[2].equals("A")) {
            String[] path = f[6].trim().split(" ");
            origin.put(f[3], path[path.length - 1]);
          } else {
            origin.remove(f[3]);
          }
          int now = count(origin);
          if (first < 0 && now > 0) {
            first = t;
            firstPath = f[6].trim();
          }
          if (t == first) {
            firstSecond = now;
          }
          max = Math.max(max, now);
          if (before > 0 && now == 0) {
            lastLeft = t;
          }
        }
      }
    }
    return new Facts(first, firstPath, firstSecond, max, lastLeft);
  }

  /**
   * What `watch generate AS36561` should find after the replay, from the decodes alone: every
   * prefix some session's current route gives AS36561, with all the origins its sessions' routes
   * have now ("prefix [origins]", sorted).
   */
  static java.util.TreeSet<String> originPrefixes(List<Path> decodes, String asn) throws Exception {
    java.util.Set<String> candidates = new java.util.HashSet<>();
    for (int pass = 0; pass < 2; pass++) {
      Map<String, Map<String, String>> routes = new HashMap<>(); // prefix -> session -> origin
      for (Path d : decodes) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(d), 1 << 16),
                    StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            String[] f = line.split("\\|", -1);
            if (f.length < 6) {
              continue;
            }
            if (f[2].equals("A")) {
              String[] path = f[6].trim().split(" ");
              String o = path[path.length - 1];
              if (pass == 0) {
                if (o.equals(asn)) {
                  candidates.add(f[5]);
                }
              } else if (candidates.contains(f[5])) {
                routes.computeIfAbsent(f[5], k -> new HashMap<>()).put(f[3], o);
              }
            } else if (pass == 1 && routes.containsKey(f[5])) {
              routes.get(f[5]).remove(f[3]);
            }
          }
        }
      }
      if (pass == 1) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        routes.forEach(
            (p, bySession) -> {
              if (bySession.containsValue(asn)) {
                out.add(
                    p
                        + " "
                        + new java.util.TreeSet<>(
                            bySession.values().stream()
                                .filter(o -> o.matches("\\d+")) // an AS_SET origin is none
                                .map(Long::parseLong)
                                .toList()));
              }
            });
        return out;
      }
    }
    throw new IllegalStateException();
  }

  private static int count(Map<String, String> origin) {
    return (int) origin.values().stream().filter(HIJACKER::equals).count();
  }

  @Test
  void theHijackIsOneAlertFromFirstSightToTheOwnersReturn() throws Exception {
    Path dir = Stack.data().resolve(DIR);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".bz2")).sorted().toList();
    }
    assertEquals(12, files.size(), "the MANIFEST's 12 update files in " + dir);
    List<Path> decodes = new ArrayList<>();
    for (Path f : files) {
      decodes.add(f.resolveSibling(f.getFileName() + ".bgpdump-m.txt.gz"));
    }
    Facts want = facts(decodes);
    System.out.printf(
        "decodes: first AS%s route for %s at %s (path %s), %d sessions in that second, at most %d on it,"
            + " last left it at %s%n",
        HIJACKER,
        HIJACKED,
        Instant.ofEpochSecond(want.firstHijack()),
        want.firstPath(),
        want.sessionsInFirstSecond(),
        want.maxOnHijacker(),
        Instant.ofEpochSecond(want.lastLeft()));
    // the MANIFEST's facts, so a change of the data or of the replay above shows here first
    assertEquals(Instant.parse("2008-02-24T18:47:57Z"), Instant.ofEpochSecond(want.firstHijack()));
    assertEquals(42, want.maxOnHijacker());
    assertEquals(Instant.parse("2008-02-24T21:01:34Z"), Instant.ofEpochSecond(want.lastLeft()));

    try (Stack stack = new Stack(Map.of("ROUTEWATCH_ALERT_TICK_INTERVAL", "PT0.2S"))) {
      stack.startState();
      stack.startCollector();
      stack.startAlert();
      String alert = "http://127.0.0.1:" + stack.alertPort;
      HttpResponse<String> w =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(alert + "/api/v1/watch"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"kind\":\"PREFIX\",\"value\":\"208.65.152.0/22\","
                              + "\"overrides\":{\"origins\":\"AS36561\"},"
                              + "\"description\":\"YouTube\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertTrue(w.statusCode() / 100 == 2, "watch: " + w.statusCode() + " " + w.body());

      long t0 = System.nanoTime();
      for (int i = 0; i < files.size(); i++) {
        Path f = files.get(i);
        ImportJob job = stack.importFile(f, "route-views2", Duration.ofMinutes(5));
        assertEquals(ImportState.DONE, job.getState(), f + ": " + job);
        drained(stack);
        JsonArray all = alerts(alert, "");
        System.out.printf(
            "%s imported (%d records), %d alert transitions so far%n",
            f.getFileName(), job.getRecords(), all.size());
        if (i == 0) {
          assertEquals(0, all.size(), "nothing fires on the file before the hijack: " + all);
        }
      }
      System.out.printf("12 files in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      String metrics = Metrics.scrape(stack.statePort);
      System.out.printf(
          "state changes: PREFIX_ANNOUNCED %.0f, PREFIX_WITHDRAWN %.0f, ORIGIN_CHANGED %.0f%n",
          Metrics.sum(
              metrics, "routewatch_state_changes_total", "kind=\"CHANGE_KIND_PREFIX_ANNOUNCED\""),
          Metrics.sum(
              metrics, "routewatch_state_changes_total", "kind=\"CHANGE_KIND_PREFIX_WITHDRAWN\""),
          Metrics.sum(metrics, "routewatch_state_changes_total", "kind=\"ORIGIN_CHANGED\""));

      JsonArray all = alerts(alert, "");
      for (JsonElement e : all) {
        JsonObject a = e.getAsJsonObject();
        System.out.printf(
            "alert %s %s %s startsAt=%s endsAt=%s%n  %s%n",
            a.get("state").getAsString(),
            a.get("type").getAsString(),
            a.getAsJsonObject("labels"),
            Instant.ofEpochSecond(0, a.get("startsAtMicros").getAsLong() * 1000),
            a.get("endsAtMicros").getAsLong() == 0
                ? "-"
                : Instant.ofEpochSecond(0, a.get("endsAtMicros").getAsLong() * 1000),
            a.get("description").getAsString());
      }
      List<JsonObject> hijack = new ArrayList<>();
      for (JsonElement e : all) {
        JsonObject a = e.getAsJsonObject();
        if (a.get("type").getAsString().equals("Hijack")) {
          hijack.add(a);
        }
      }
      List<JsonObject> fired =
          hijack.stream().filter(a -> a.get("state").getAsString().equals("FIRING")).toList();
      assertEquals(1, fired.size(), "exactly one Hijack alert: " + hijack);
      JsonObject f = fired.get(0);
      assertEquals(HIJACKED, f.getAsJsonObject("labels").get("prefix").getAsString());
      assertEquals(
          "208.65.152.0/22", f.getAsJsonObject("labels").get("watched_prefix").getAsString());
      assertEquals("critical", f.getAsJsonObject("labels").get("severity").getAsString());
      assertTrue(f.get("summary").getAsString().contains("AS" + HIJACKER), f.toString());
      assertEquals(
          want.firstHijack() * 1_000_000L, f.get("startsAtMicros").getAsLong(), "startsAt");
      assertTrue(
          f.get("description").getAsString().contains("on the path " + want.firstPath() + ";"),
          "the first path seen, as in the decodes (" + want.firstPath() + "): " + f);
      Matcher fireCount =
          Pattern.compile("seen now by (\\d+) VPs").matcher(f.get("description").getAsString());
      assertTrue(fireCount.find(), f.toString());
      int atFiring = Integer.parseInt(fireCount.group(1));
      assertEquals(
          want.sessionsInFirstSecond(),
          atFiring,
          "VPs at firing = sessions on AS17557 in the first second (the evidence bar of 3 peer"
              + " ASes is passed within it)");

      List<JsonObject> resolved =
          hijack.stream().filter(a -> a.get("state").getAsString().equals("RESOLVED")).toList();
      assertEquals(1, resolved.size(), "resolved once: " + hijack);
      JsonObject r = resolved.get(0);
      assertEquals(
          want.lastLeft() * 1_000_000L, r.get("endsAtMicros").getAsLong(), "endsAt = owner back");
      Matcher most =
          Pattern.compile("(\\d+) VPs at firing, at most (\\d+)")
              .matcher(r.get("description").getAsString());
      assertTrue(most.find(), r.toString());
      System.out.printf(
          "Hijack: VPs at firing %s (decodes %d), most seen %s (decodes %d)%n",
          most.group(1), want.sessionsInFirstSecond(), most.group(2), want.maxOnHijacker());
      assertEquals(want.maxOnHijacker(), Integer.parseInt(most.group(2)), "most VPs seen");
      // watch generate's source: state's prefixes of AS36561 now, with their origins, equal to
      // what the decodes give (the replay's RIB is the update files' routes only)
      io.routewatch.proto.v1.GetOriginPrefixesResponse gen =
          stack
              .state()
              .getOriginPrefixes(
                  io.routewatch.proto.v1.GetOriginPrefixesRequest.newBuilder()
                      .addAsns(36561)
                      .build());
      java.util.TreeSet<String> got = new java.util.TreeSet<>();
      gen.getPrefixesList()
          .forEach(
              p ->
                  got.add(
                      p.getPrefix()
                          + " "
                          + new java.util.TreeSet<>(
                              p.getOriginsList().stream().map(Integer::toUnsignedLong).toList())));
      java.util.TreeSet<String> expected = originPrefixes(decodes, "36561");
      System.out.printf(
          "watch generate AS36561 after the replay: %d prefixes (decodes %d): %s%n",
          got.size(), expected.size(), got);
      assertEquals(expected, got, "GetOriginPrefixes(AS36561) vs the decodes");
      assertEquals(
          0,
          all.asList().stream()
              .map(JsonElement::getAsJsonObject)
              .filter(
                  a ->
                      a.get("type").getAsString().equals("OriginChange")
                          || a.get("type").getAsString().equals("MoreSpecific"))
              .count(),
          "one hijack, one page: no OriginChange / MoreSpecific beside it");
    }
  }

  /** Waits until the alert service has handled every change state has journaled (bounded). */
  private static void drained(Stack stack) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    double last = -1;
    int stable = 0;
    while (System.nanoTime() < deadline) {
      double journal =
          Metrics.sum(Metrics.scrape(stack.statePort), "routewatch_state_journal_last_sequence");
      double handled =
          Metrics.sum(Metrics.scrape(stack.alertPort), "routewatch_alert_change_sequence");
      stable = journal == last && handled >= journal ? stable + 1 : 0;
      if (stable >= 5) {
        return;
      }
      last = journal;
      Thread.sleep(200);
    }
    throw new AssertionError("alert did not catch up with state's journal within 3 min");
  }

  private static JsonArray alerts(String base, String query) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts?limit=1000" + query)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonArray();
  }
}
