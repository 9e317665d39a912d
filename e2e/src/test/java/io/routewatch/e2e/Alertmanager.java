package io.routewatch.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * A real Prometheus Alertmanager (the Debian {@code prometheus-alertmanager} binary) for end-to-end
 * tests: writes {@code am.yml} from the caller's route and receivers, starts it on a free 127.0.0.1
 * port without clustering ({@code --cluster.listen-address=}), storage and log in the work
 * directory, and waits until {@code /-/ready} answers. {@link #close} stops it (SIGTERM, then
 * SIGKILL after 10 s).
 *
 * <pre>{@code
 * try (Alertmanager am = new Alertmanager(work, """
 *     route:
 *       receiver: hook
 *     receivers:
 *       - name: hook
 *         webhook_configs:
 *           - url: http://127.0.0.1:8080/hook
 *     """)) {
 *   env.put("ROUTEWATCH_ALERT_ALERTMANAGER_URLS", am.url());
 * }
 * }</pre>
 */
final class Alertmanager implements AutoCloseable {
  private static final long READY_MILLIS = 30_000;

  private final int port;
  private final Path log;
  private final Process process;

  /**
   * @param work directory for {@code am.yml}, the storage ({@code am/}) and {@code
   *     alertmanager.log}
   * @param routeAndReceiversYaml the configuration file's text: {@code route:} and {@code
   *     receivers:}
   */
  Alertmanager(Path work, String routeAndReceiversYaml) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path conf = work.resolve("am.yml");
    Files.writeString(conf, routeAndReceiversYaml);
    this.port = Stack.freePort();
    this.log = work.resolve("alertmanager.log");
    this.process =
        new ProcessBuilder(
                "prometheus-alertmanager",
                "--config.file=" + conf,
                "--storage.path=" + work.resolve("am"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
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

  /**
   * An Alertmanager that sends every alert group at once ({@code group_wait: 0s}, grouped by every
   * label) to one webhook on 127.0.0.1:{@code hookPort}, resolved ones included.
   */
  static Alertmanager toWebhook(Path work, int hookPort) throws IOException, InterruptedException {
    return new Alertmanager(
        work,
        """
        route:
          receiver: hook
          group_by: ['...']
          group_wait: 0s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: hook
            webhook_configs:
              - url: http://127.0.0.1:%d/hook
                send_resolved: true
        """
            .formatted(hookPort));
  }

  /** Base URL, e.g. {@code http://127.0.0.1:40123} (API v2 under {@code /api/v2}). */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /**
   * Reads {@code /api/v2/alerts} every {@code every} on a daemon thread for at most {@code atMost}
   * (bounded even if nobody closes it) and hands each alert object with the {@link System#nanoTime}
   * of the answer to {@code onAlert}; an unanswered poll is skipped. Close it to stop polling.
   */
  Poller poll(Duration every, Duration atMost, BiConsumer<JsonObject, Long> onAlert) {
    return new Poller(every, atMost, onAlert);
  }

  /** The polling thread of {@link #poll}. */
  final class Poller implements AutoCloseable {
    private final HttpClient http = HttpClient.newHttpClient();
    private final Thread thread;

    private Poller(Duration every, Duration atMost, BiConsumer<JsonObject, Long> onAlert) {
      HttpRequest get =
          HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts"))
              .timeout(Duration.ofSeconds(2))
              .build();
      thread =
          new Thread(
              () -> {
                long end = System.nanoTime() + atMost.toNanos();
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() < end) {
                  try {
                    String body = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
                    long now = System.nanoTime();
                    for (JsonElement e : JsonParser.parseString(body).getAsJsonArray()) {
                      onAlert.accept(e.getAsJsonObject(), now);
                    }
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    // not answered (yet): the next poll
                  }
                  try {
                    Thread.sleep(every.toMillis());
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "am-poller");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(5000);
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    LocalServer.awaitReady("alertmanager", process, url(), log, READY_MILLIS);
  }

  @Override
  public void close() {
    LocalServer.stop(process);
  }
}
