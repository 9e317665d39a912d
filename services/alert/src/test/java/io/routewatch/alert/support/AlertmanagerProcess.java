package io.routewatch.alert.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Alertmanager 0.25 (Debian prometheus-alertmanager) on a free 127.0.0.1 port, no
 * clustering, temp storage, routing every alert to its own group and to a {@link WebhookReceiver}
 * with send_resolved, so each fire and each resolve is one notification.
 */
public final class AlertmanagerProcess implements AutoCloseable {
  private final int port = Ports.free();
  private final Daemon daemon;
  private final WebhookReceiver webhook;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  public AlertmanagerProcess() throws IOException {
    webhook = new WebhookReceiver();
    Path dir = Files.createTempDirectory("routewatch-am-");
    Path cfg = dir.resolve("am.yml");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "route:",
            "  receiver: hook",
            "  group_by: ['...']",
            "  group_wait: 100ms",
            "  group_interval: 500ms",
            "  repeat_interval: 4h",
            "receivers:",
            "  - name: hook",
            "    webhook_configs:",
            "      - url: " + webhook.url(),
            "        send_resolved: true",
            ""));
    daemon =
        new Daemon(
            List.of(
                "prometheus-alertmanager",
                "--config.file=" + cfg,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn"),
            dir.resolve("alertmanager.log"),
            "http://127.0.0.1:" + port + "/-/ready");
    daemon.start();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public WebhookReceiver webhook() {
    return webhook;
  }

  public void stop() {
    daemon.stop();
  }

  public void start() {
    daemon.start();
  }

  /** GET /api/v2/alerts: the active alerts (resolved ones are not listed). */
  public List<JsonNode> alerts() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      List<JsonNode> out = new ArrayList<>();
      json.readTree(r.body()).forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The active alert whose labels include {@code labels}, or null. */
  public JsonNode find(Map<String, String> labels) {
    for (JsonNode a : alerts()) {
      boolean all =
          labels.entrySet().stream()
              .allMatch(e -> e.getValue().equals(a.path("labels").path(e.getKey()).asText(null)));
      if (all) {
        return a;
      }
    }
    return null;
  }

  @Override
  public void close() {
    daemon.close();
    webhook.close();
  }
}
