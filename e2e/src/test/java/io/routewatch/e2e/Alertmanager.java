package io.routewatch.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

  /** Base URL, e.g. {@code http://127.0.0.1:40123} (API v2 under {@code /api/v2}). */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  private void awaitReady() throws IOException, InterruptedException {
    LocalServer.awaitReady("alertmanager", process, url(), log, READY_MILLIS);
  }

  @Override
  public void close() {
    LocalServer.stop(process);
  }
}
