package io.routewatch.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a service's Prometheus text ({@code /q/metrics}) and sums matching series. */
final class Metrics {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private Metrics() {}

  static String scrape(int port) throws IOException, InterruptedException {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
            .timeout(Duration.ofSeconds(10))
            .build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * Sum of every sample of {@code name} whose label set contains all {@code labels} ({@code
   * k="v"}).
   */
  static double sum(String text, String name, String... labels) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
