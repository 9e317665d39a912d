package io.routewatch.alert.notify;

import io.routewatch.alert.pipeline.AlertConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** POST /api/v2/alerts to one Alertmanager (java.net.http: no REST client extension at 3.37.4). */
@ApplicationScoped
public class AlertmanagerClient {
  @Inject AlertConfig config;

  private volatile HttpClient http;

  private HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(config.alertmanager().timeout()).build();
    }
    return http;
  }

  /** Posts a JSON array of alerts; throws IOException with the reason when not accepted. */
  public void post(String baseUrl, List<String> payloads) throws IOException {
    String body = "[" + String.join(",", payloads) + "]";
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/alerts"))
            .timeout(config.alertmanager().timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> resp;
    try {
      resp = http().send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (resp.statusCode() / 100 != 2) {
      String b = resp.body() == null ? "" : resp.body();
      throw new IOException("HTTP " + resp.statusCode() + ": " + b.substring(0, Math.min(200, b.length())));
    }
  }
}
