package io.routewatch.alert.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on loopback that answers POST /api/v2/alerts like an Alertmanager with a
 * judgement: 400 for a batch holding an alert named {@code Poison} (a body with a newline, to check
 * it is logged escaped), {@link #transientAnswers} answers (503 then 429) while a batch holds an
 * alert named {@code Flaky}, 200 otherwise. Records the alertname of every alert of every accepted
 * batch, in order, and every status it answered.
 */
public final class JudgingAlertmanager implements AutoCloseable {
  public static final String REFUSAL =
      "{\"code\":400,\"message\":\"invalid alert Poison\\n12:00:00 ERROR forged line\"}";

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private final List<String> accepted = new ArrayList<>();
  private final List<Integer> answers = new ArrayList<>();
  public final AtomicInteger transientAnswers = new AtomicInteger();

  public JudgingAlertmanager() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v2/alerts",
        ex -> {
          List<String> names = new ArrayList<>();
          try (InputStream in = ex.getRequestBody()) {
            for (JsonNode a : json.readTree(in)) {
              names.add(a.path("labels").path("alertname").asText());
            }
          }
          int status;
          String body = "";
          if (names.contains("Poison")) {
            status = 400;
            body = REFUSAL;
          } else if (names.contains("Flaky") && transientAnswers.getAndDecrement() > 0) {
            status = transientAnswers.get() % 2 == 0 ? 429 : 503;
            body = "try later";
          } else {
            status = 200;
            synchronized (accepted) {
              accepted.addAll(names);
            }
          }
          synchronized (accepted) {
            answers.add(status);
          }
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
          if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
              out.write(b);
            }
          }
          ex.close();
        });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Alertnames of accepted alerts, in the order they were accepted. */
  public List<String> accepted() {
    synchronized (accepted) {
      return List.copyOf(accepted);
    }
  }

  public List<Integer> answers() {
    synchronized (accepted) {
      return List.copyOf(answers);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
