package io.routewatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Prometheus (the Debian {@code prometheus} binary) for end-to-end tests: scrapes the given
 * loopback targets' {@code /q/metrics} every second, evaluates the shipped rules file every second,
 * storage and log in the work directory, on a free 127.0.0.1 port. {@link #firing} asks its API
 * whether an alert of a rule is firing. {@link #close} stops it (SIGTERM, then SIGKILL).
 */
final class Prometheus implements AutoCloseable {
  private static final long READY_MILLIS = 30_000;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final Path log;
  private final Process process;

  /**
   * @param work directory for {@code prometheus.yml}, the TSDB and {@code prometheus.log}
   * @param rules the rules file to load (the shipped {@code routewatch.rules.yml})
   * @param job the scrape job's name (rules select on it only through their metrics)
   * @param ports loopback ports whose {@code /q/metrics} are scraped
   */
  Prometheus(Path work, Path rules, String job, int... ports)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    StringBuilder targets = new StringBuilder();
    for (int p : ports) {
      targets.append(targets.length() == 0 ? "" : ", ").append("'127.0.0.1:").append(p).append("'");
    }
    Path conf = work.resolve("prometheus.yml");
    Files.writeString(
        conf,
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "  evaluation_interval: 1s\n"
            + "rule_files:\n"
            + "  - '"
            + rules.toAbsolutePath()
            + "'\n"
            + "scrape_configs:\n"
            + "  - job_name: '"
            + job
            + "'\n"
            + "    metrics_path: /q/metrics\n"
            + "    static_configs:\n"
            + "      - targets: ["
            + targets
            + "]\n");
    this.port = Stack.freePort();
    this.log = work.resolve("prometheus.log");
    this.process =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + conf,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      awaitReady();
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The state of the named rule's alerts: "firing", "pending" or "" when it has none. */
  String alertState(String alertname) throws IOException, InterruptedException {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(url() + "/api/v1/alerts"))
            .timeout(Duration.ofSeconds(5))
            .build();
    JsonNode alerts =
        JSON.readTree(HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body())
            .path("data")
            .path("alerts");
    String state = "";
    for (JsonNode a : alerts) {
      if (alertname.equals(a.path("labels").path("alertname").asText())) {
        String s = a.path("state").asText();
        if (s.equals("firing") || state.isEmpty()) {
          state = s;
        }
      }
    }
    return state;
  }

  boolean firing(String alertname) throws IOException, InterruptedException {
    return alertState(alertname).equals("firing");
  }

  /** True when an alert of the named rule whose {@code label} is {@code value} is firing. */
  boolean firing(String alertname, String label, String value)
      throws IOException, InterruptedException {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(url() + "/api/v1/alerts"))
            .timeout(Duration.ofSeconds(5))
            .build();
    JsonNode alerts =
        JSON.readTree(HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body())
            .path("data")
            .path("alerts");
    for (JsonNode a : alerts) {
      JsonNode labels = a.path("labels");
      if (alertname.equals(labels.path("alertname").asText())
          && value.equals(labels.path(label).asText())
          && a.path("state").asText().equals("firing")) {
        return true;
      }
    }
    return false;
  }

  private void awaitReady() throws IOException, InterruptedException {
    LocalServer.awaitReady("prometheus", process, url(), log, READY_MILLIS);
  }

  @Override
  public void close() {
    LocalServer.stop(process);
  }
}
