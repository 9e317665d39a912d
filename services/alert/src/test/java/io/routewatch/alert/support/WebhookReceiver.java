package io.routewatch.alert.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Alertmanager webhook receiver on loopback: records every alert of every notification. */
public final class WebhookReceiver implements AutoCloseable {
  /** One alert as a notification carried it. */
  public record Received(String status, Map<String, String> labels, String summary) {}

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            JsonNode body = json.readTree(in);
            synchronized (received) {
              for (JsonNode a : body.path("alerts")) {
                Map<String, String> labels = new TreeMap<>();
                a.path("labels")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                received.add(
                    new Received(
                        a.path("status").asText(),
                        labels,
                        a.path("annotations").path("summary").asText()));
              }
            }
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Notifications carrying an alert with these labels (subset match) in this status. */
  public long count(String status, Map<String, String> labels) {
    synchronized (received) {
      return received.stream()
          .filter(
              r ->
                  r.status().equals(status) && r.labels().entrySet().containsAll(labels.entrySet()))
          .count();
    }
  }

  public List<Received> all() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
