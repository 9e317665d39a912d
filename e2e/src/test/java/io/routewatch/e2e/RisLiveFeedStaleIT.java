package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, acceptance 5 (last part): a RIS Live feed that goes silent fires {@code FeedStale} in a
 * real Alertmanager after its rhythm, and resolves when it resumes. The collector's RIS Live client
 * reads a local replay ({@link LoopbackWebSocket}) that keeps answering pings while it sends
 * nothing, so the connection stays up and only state's learned rhythm can tell. Shipped state and
 * alert settings throughout (no override at all): the feed learns its rhythm from 20 gaps (one
 * message every 1.2 s), is stale after {@code max(stale-after-min 60 s, 4 x rhythm)} of silence,
 * pages at once (the FeedStale rule's shipped {@code hold} is 0: state's report is the debounce)
 * and resolves after its {@code clear} (1 min) once it sends at its rhythm again. A state crash
 * while the feed is stale keeps it stale (the journal carries it over) so the resume still resolves
 * the page. Only the source is paged: its one VP falls silent with it and is covered by the
 * source's report.
 */
@Tag("serial") // see e2e/pom.xml: asserts wall-clock timing
class RisLiveFeedStaleIT {
  static final String FEED = "rislive:ris-live";
  static final long GAP_MS = 1200;
  static final int LEARN_MESSAGES = 26;

  final HttpClient http = HttpClient.newHttpClient();

  /** First and last sight (System.nanoTime) of each FeedStale in Alertmanager, by feed label. */
  final Map<String, Long> firstSeen = new ConcurrentHashMap<>();

  final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

  static String message(int n) {
    // one peer, one prefix announced and withdrawn in turn
    String body =
        n % 2 == 0
            ? "\"path\":[65101,64501,64500],\"origin\":\"igp\",\"announcements\":[{\"next_hop\":"
                + "\"192.0.2.1\",\"prefixes\":[\"198.51.100.0/24\"]}]"
            : "\"withdrawals\":[\"198.51.100.0/24\"]";
    return "{\"type\":\"ris_message\",\"data\":{\"timestamp\":"
        + System.currentTimeMillis() / 1000.0
        + ",\"peer\":\"192.0.2.1\",\"peer_asn\":\"65101\",\"id\":\"stale-"
        + n
        + "\",\"host\":\"rrc00\",\"type\":\"UPDATE\","
        + body
        + "}}";
  }

  /** Keeps the first and last time each FeedStale alert was seen in Alertmanager. */
  void seen(JsonObject alert, long now) {
    JsonObject l = alert.getAsJsonObject("labels");
    if (l.get("alertname").getAsString().equals("FeedStale")) {
      String feed = l.has("feed") ? l.get("feed").getAsString() : "";
      firstSeen.putIfAbsent(feed, now);
      lastSeen.put(feed, now);
    }
  }

  /** routewatch_state_feeds_stale{level="source"} from state's metrics, -1 when unreadable. */
  double staleSources(Stack stack) {
    return stateMetric(stack, "routewatch_state_feeds_stale{", "\"source\"");
  }

  /**
   * The first series of state's metric starting with {@code prefix} and containing {@code with}.
   */
  double stateMetric(Stack stack, String prefix, String with) {
    try {
      String m =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + stack.statePort + "/q/metrics"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return m.lines()
          .filter(l -> l.startsWith(prefix) && l.contains(with))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .findFirst()
          .orElse(-1);
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void silentFeedPagesAfterItsRhythmAndResolvesWhenItResumes() throws Exception {
    Path work = Files.createTempDirectory("routewatch-rislive-stale-");
    long t0 = System.nanoTime();
    try (LoopbackWebSocket ris = new LoopbackWebSocket(List.of(message(0)));
        Alertmanager am =
            new Alertmanager(
                work,
                """
                route:
                  receiver: none
                receivers:
                  - name: none
                """)) {
      Map<String, String> env =
          Map.of(
              // where the replay and the Alertmanager are; nothing else is set
              "ROUTEWATCH_COLLECTOR_RIS_LIVE_URL",
              "ws://127.0.0.1:" + ris.port() + "/v1/ws/",
              "ROUTEWATCH_ALERT_ALERTMANAGER_URLS",
              am.url());
      try (Stack stack = new Stack(env)) {
        stack.startState();
        stack.startAlert();
        // FeedStale pages whenever the watch list is not empty (docs/alerts.md): any entry
        stack.addWatch("{\"kind\":\"ASN\",\"value\":\"AS64500\"}");
        // bounded: at most 12 minutes of 100 ms polls
        try (var poller = am.poll(Duration.ofMillis(100), Duration.ofMinutes(12), this::seen)) {
          stack.startCollector(); // connects; the replay's first message goes out
          // 1. learn: one message every 1.2 s
          long learnStart = System.nanoTime();
          for (int i = 1; i <= LEARN_MESSAGES; i++) {
            Thread.sleep(GAP_MS);
            ris.send(message(i));
          }
          long silentFrom = System.nanoTime();
          double learned = (silentFrom - learnStart) / 1e9;
          assertEquals(0.0, staleSources(stack), "not stale while it sends");

          // 2. silence: state reports the source stale after its rhythm (60 s floor)
          waitFor(
              Duration.ofSeconds(90),
              "state reports " + FEED + " stale (logs " + stack.logs + ")",
              () -> staleSources(stack) == 1.0);
          double staleAfter = (System.nanoTime() - silentFrom) / 1e9;
          waitFor(
              Duration.ofMinutes(4),
              "FeedStale " + FEED + " in Alertmanager (seen " + firstSeen + ")",
              () -> firstSeen.containsKey(FEED));
          double paged = (firstSeen.get(FEED) - silentFrom) / 1e9;
          Set<String> feeds = new TreeSet<>(firstSeen.keySet());

          // 2b. state crashes and restarts while the feed is stale: the journal says it was, so
          // it is stale again at once (not relearning, and its alert is not left hanging)
          stack.killState();
          long restart = System.nanoTime();
          stack.startState();
          waitFor(
              Duration.ofSeconds(60),
              "restarted state carries " + FEED + " as stale",
              () -> staleSources(stack) == 1.0);
          double carried = (System.nanoTime() - restart) / 1e9;
          waitFor(
              Duration.ofSeconds(60),
              "the collector publishes to the restarted state",
              () -> stateMetric(stack, "routewatch_state_ingest_streams_connected", "") >= 1);

          // 3. resume: the feed sends at its rhythm again (one message alone would only start
          // another silence); the alert resolves after the rule's clear time
          int[] n = {LEARN_MESSAGES};
          ris.send(message(++n[0]));
          long resumed = System.nanoTime();
          long[] nextSend = {resumed + GAP_MS * 1_000_000L};
          BooleanSupplier sending =
              () -> {
                if (System.nanoTime() - nextSend[0] >= 0) {
                  try {
                    ris.send(message(++n[0]));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  nextSend[0] += GAP_MS * 1_000_000L;
                }
                return true;
              };
          waitFor(
              Duration.ofSeconds(10),
              "state reports " + FEED + " resumed",
              () -> sending.getAsBoolean() && staleSources(stack) == 0.0);
          double stateResumed = (System.nanoTime() - resumed) / 1e9;
          waitFor(
              Duration.ofMinutes(3),
              "FeedStale " + FEED + " resolved in Alertmanager",
              () ->
                  sending.getAsBoolean()
                      && System.nanoTime() - lastSeen.get(FEED) > 1_000_000_000L);
          double resolved = (lastSeen.get(FEED) - resumed) / 1e9;
          System.out.printf(
              "RisLiveFeedStaleIT: rhythm learned from %d messages in %.1f s; state reported %s"
                  + " stale %.1f s after its last message, FeedStale in Alertmanager after %.1f s;"
                  + " state reported it resumed %.1f s after the next message, the alert resolved"
                  + " %.1f s after it; a state crash while stale: stale again %.1f s after the"
                  + " kill; FeedStale feeds paged %s; test ran %d s%n",
              LEARN_MESSAGES + 1,
              learned,
              FEED,
              staleAfter,
              paged,
              stateResumed,
              resolved,
              carried,
              feeds,
              (System.nanoTime() - t0) / 1_000_000_000L);

          assertEquals(Set.of(FEED), feeds, "only the source is paged, not its VP");
          assertTrue(
              stateMetric(stack, "routewatch_state_changes_total{", "FEED_STALE") <= 0,
              "the restarted state journals no FEED_STALE of its own: it carried the first");
          assertEquals(
              1.0,
              stateMetric(stack, "routewatch_state_changes_total{", "FEED_RESUMED"),
              "one FEED_RESUMED journaled");
          assertTrue(
              staleAfter >= 60 && staleAfter < 63,
              "stale after stale-after-min (60 s; rhythm ~1.2 s x 4 is less): " + staleAfter);
          assertTrue(
              paged >= staleAfter && paged < staleAfter + 10,
              "paged within seconds of state's report (hold 0): " + paged);
          assertTrue(stateResumed < 3, "resumed on the next message: " + stateResumed);
          assertTrue(resolved < 60 + 10, "resolved within the rule's 1 min clear: " + resolved);
        }
      }
    }
  }

  private static void waitFor(Duration max, String what, BooleanSupplier ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true after " + max + ": " + what);
      }
      Thread.sleep(100);
    }
  }
}
