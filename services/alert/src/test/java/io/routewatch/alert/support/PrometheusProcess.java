package io.routewatch.alert.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real Prometheus 2.42 (Debian) on loopback scraping one target's /q/metrics every second. */
public final class PrometheusProcess implements AutoCloseable {
  private final int port = Ports.free();
  private final Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();

  public PrometheusProcess(String target) throws IOException {
    Path dir = Files.createTempDirectory("routewatch-prom-");
    Path cfg = dir.resolve("prometheus.yml");
    Path rules = dir.resolve("routewatch.rules.yml");
    Files.copy(Path.of("src/main/resources/routewatch.rules.yml"), rules);
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "rule_files: ['" + rules + "']",
            "scrape_configs:",
            "  - job_name: routewatch-alert",
            "    metrics_path: /q/metrics",
            "    static_configs:",
            "      - targets: ['" + target + "']",
            ""));
    daemon =
        new Daemon(
            List.of(
                "prometheus",
                "--config.file=" + cfg,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"),
            dir.resolve("prometheus.log"),
            "http://127.0.0.1:" + port + "/-/ready");
    daemon.start();
  }

  /** Instant query; the single sample's value as text, "" when there is none. */
  public String query(String promql) {
    try {
      URI u =
          URI.create(
              "http://127.0.0.1:"
                  + port
                  + "/api/v1/query?query="
                  + URLEncoder.encode(promql, StandardCharsets.UTF_8));
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode res = new ObjectMapper().readTree(r.body()).path("data").path("result");
      return res.size() == 1 ? res.get(0).path("value").get(1).asText() : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    daemon.close();
  }
}
