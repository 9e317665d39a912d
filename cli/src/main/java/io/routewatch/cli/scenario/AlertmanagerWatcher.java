package io.routewatch.cli.scenario;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches a real Alertmanager ({@code GET /api/v2/alerts}, which lists active alerts) and turns
 * what it sees into transitions: an alert appearing is FIRING (at the poll that first saw it), an
 * alert disappearing or getting an endsAt in the past is RESOLVED. Independent of the alert
 * service's own history, so the two can be compared.
 */
public final class AlertmanagerWatcher implements AutoCloseable {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI alerts;
  private final long pollMillis;
  private final Map<String, AlertMatcher.Observed> open = new HashMap<>();
  private final List<AlertMatcher.Observed> transitions = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stop;
  private volatile String lastError = "";
  private volatile java.util.function.Consumer<AlertMatcher.Observed> listener = o -> {};

  public AlertmanagerWatcher(String baseUrl, long pollMillis) {
    this.alerts = URI.create(baseUrl.replaceAll("/+$", "") + "/api/v2/alerts");
    this.pollMillis = pollMillis;
    this.thread = new Thread(this::loop, "alertmanager-watcher");
    thread.setDaemon(true);
  }

  /**
   * Called (on the watcher's thread) with each transition as it is seen; set before {@link #start}.
   */
  public AlertmanagerWatcher onTransition(java.util.function.Consumer<AlertMatcher.Observed> l) {
    this.listener = l;
    return this;
  }

  public void start() {
    thread.start();
  }

  public String lastError() {
    return lastError;
  }

  /** Transitions seen so far (oldest first). */
  public synchronized List<AlertMatcher.Observed> transitions() {
    return List.copyOf(transitions);
  }

  private void loop() {
    while (!stop) {
      try {
        poll();
        lastError = "";
      } catch (Exception e) {
        lastError = e.toString();
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void poll() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(alerts).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Alertmanager " + alerts + ": HTTP " + r.statusCode());
    }
    long now = System.currentTimeMillis() * 1000L;
    Map<String, JsonObject> seen = new HashMap<>();
    Map<String, Long> ended = new HashMap<>();
    for (JsonElement el : JsonParser.parseString(r.body()).getAsJsonArray()) {
      JsonObject a = el.getAsJsonObject();
      long ends = a.has("endsAt") ? micros(a.get("endsAt").getAsString()) : 0;
      if (ends > 0 && ends <= now) {
        ended.put(a.get("fingerprint").getAsString(), ends);
        continue; // resolved: Alertmanager keeps it a while
      }
      seen.put(a.get("fingerprint").getAsString(), a);
    }
    synchronized (this) {
      for (Map.Entry<String, JsonObject> e : seen.entrySet()) {
        if (!open.containsKey(e.getKey())) {
          AlertMatcher.Observed o = observed(e.getValue(), "FIRING", now);
          open.put(e.getKey(), o);
          transitions.add(o);
          listener.accept(o);
        }
      }
      for (String fp : List.copyOf(open.keySet())) {
        if (!seen.containsKey(fp)) {
          AlertMatcher.Observed f = open.remove(fp);
          // endsAt as the alert service set it when it resolved the alert; else when it vanished
          AlertMatcher.Observed o =
              new AlertMatcher.Observed(
                  f.type(),
                  "RESOLVED",
                  f.labels(),
                  f.startsAtMicros(),
                  ended.getOrDefault(fp, now),
                  now,
                  f.summary());
          transitions.add(o);
          listener.accept(o);
        }
      }
    }
  }

  private static AlertMatcher.Observed observed(JsonObject a, String state, long now) {
    Map<String, String> labels = new TreeMap<>();
    a.getAsJsonObject("labels")
        .entrySet()
        .forEach(l -> labels.put(l.getKey(), l.getValue().getAsString()));
    String summary =
        a.has("annotations") && a.getAsJsonObject("annotations").has("summary")
            ? a.getAsJsonObject("annotations").get("summary").getAsString()
            : "";
    return new AlertMatcher.Observed(
        labels.getOrDefault("alertname", "?"),
        state,
        labels,
        micros(a.get("startsAt").getAsString()),
        0,
        now,
        summary);
  }

  static long micros(String rfc3339) {
    java.time.Instant i = java.time.OffsetDateTime.parse(rfc3339).toInstant();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
  }
}
