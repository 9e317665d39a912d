package io.routewatch.alert.notify;

import io.routewatch.alert.AlertConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
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

  /**
   * Posts a JSON array of alerts. Throws {@link AlertmanagerRefusal} with the status and body when
   * Alertmanager answered other than 2xx, IOException when it could not be reached.
   */
  public void post(String baseUrl, List<String> payloads) throws IOException {
    String body = "[" + String.join(",", payloads) + "]";
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/alerts"))
            .timeout(config.alertmanager().timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<InputStream> resp;
    try {
      resp = http().send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    // Only the start of the answer is read (what a dead letter keeps): a misbehaving server's
    // error page of any size costs no more memory than that. Closing discards the rest.
    String b;
    try (InputStream in = resp.body()) {
      b = new String(in.readNBytes(4 * DeadLetterEntity.BODY_MAX), StandardCharsets.UTF_8);
    }
    if (resp.statusCode() / 100 != 2) {
      throw new AlertmanagerRefusal(
          resp.statusCode(), b.substring(0, Math.min(DeadLetterEntity.BODY_MAX, b.length())));
    }
  }
}
