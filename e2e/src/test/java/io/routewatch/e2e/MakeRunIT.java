package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: `make run` (scripts/run.sh) twice in one run directory, on free ports
 * (ROUTEWATCH_*_PORT, ROUTEWATCH_RUN_DIR in a temp dir), with ROUTEWATCH_SCENARIO set to
 * scenarios/dual-stack-new-upstream.yaml (IPv4 and IPv6, shipped defaults; it must pass).
 * Alertmanager's storage lives as long as PostgreSQL's database: an alert it held in the first run
 * is gone in the second, which starts with no alert at all. The header and the follow-up query are
 * the scenario's (name, origin), and SIGTERM stops everything in bounded time, leaving no listener
 * behind.
 */
@Tag("serial") // see e2e/pom.xml: asserts wall-clock timing
class MakeRunIT {
  private static final Duration UP = Duration.ofSeconds(180);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void alertmanagerStartsEmptyOnEveryRun() throws Exception {
    Path root = Paths.get(System.getProperty("routewatch.root", "..")).toAbsolutePath().normalize();
    Path tmp = Files.createTempDirectory("routewatch-make-run-");
    // as .run/ in a checkout: ExaBGP (as nobody when the test runs as root) reads its config there
    Files.setPosixFilePermissions(
        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    // the dual-stack scenario that passes on shipped defaults: make test plays it here
    Path scenario = root.resolve("scenarios/dual-stack-new-upstream.yaml");
    Map<String, String> env =
        Map.of(
            "ROUTEWATCH_RUN_DIR", tmp.resolve("run").toString(),
            "ROUTEWATCH_COLLECTOR_PORT", Integer.toString(Stack.freePort()),
            "ROUTEWATCH_STATE_PORT", Integer.toString(Stack.freePort()),
            "ROUTEWATCH_ALERT_PORT", Integer.toString(Stack.freePort()),
            "ROUTEWATCH_ALERTMANAGER_PORT", Integer.toString(Stack.freePort()),
            "ROUTEWATCH_BGP_PORT", Integer.toString(Stack.freePort()),
            "ROUTEWATCH_BMP_PORT", Integer.toString(Stack.freePort()),
            "ROUTEWATCH_SCENARIO", scenario.toString(),
            "ROUTEWATCH_SERVICE_JAVA_OPTS", "-Xmx1g -XX:+UseParallelGC");
    String am = "http://127.0.0.1:" + env.get("ROUTEWATCH_ALERTMANAGER_PORT");
    long t0 = System.nanoTime();

    // run 1: the scenario plays; an alert Alertmanager holds for an hour is added by hand
    String out1;
    try (Run run = new Run(root, env, tmp.resolve("run1.out"))) {
      run.awaitLine("Press Ctrl-C to stop everything.", UP);
      out1 = run.output();
      String ends = Instant.now().plus(Duration.ofHours(1)).toString();
      post(
          am + "/api/v2/alerts",
          "[{\"labels\":{\"alertname\":\"MakeRunIT\",\"run\":\"1\"},\"endsAt\":\"" + ends + "\"}]");
      assertTrue(
          await(() -> get(am + "/api/v2/alerts").contains("\"MakeRunIT\""), Duration.ofSeconds(10)),
          get(am + "/api/v2/alerts"));
      // and the scenario's own alert, sent by the alert service
      assertTrue(
          get(am + "/api/v2/alerts").contains("\"NewUpstream\""), get(am + "/api/v2/alerts"));
      run.stop();
    }
    assertTrue(out1.contains("routewatch: playing dual-stack-new-upstream.yaml:"), out1);
    assertTrue(out1.contains("dual-stack-new-upstream (origin AS64500)"), out1);
    assertTrue(
        out1.contains("AS64500 announces two IPv4 and two IPv6 prefixes"),
        "the scenario's description: " + out1);
    assertTrue(out1.contains("\nPASSED\n"), "the scenario's report: " + out1);
    assertTrue(out1.contains("routewatch: upstreams of AS64500 after the scenario:"), out1);
    assertFalse(
        out1.contains("North Korea") || out1.contains("AS131279") || out1.contains("TransTeleCom"),
        out1);
    assertTrue(
        Files.isDirectory(tmp.resolve("run/alertmanager")),
        "Alertmanager's storage under the run dir");

    // run 2, same run directory: Alertmanager knows nothing of run 1 as soon as it is up
    try (Run run = new Run(root, env, tmp.resolve("run2.out"))) {
      run.awaitLine("routewatch is up:", UP);
      String alerts = get(am + "/api/v2/alerts");
      assertEquals(
          "[]", alerts.trim(), "Alertmanager at the start of run 2 (run 1's alerts kept?)");
      // the scenario is under way (its sessions up): stopping now must still be clean
      run.awaitLine("routewatch: playing dual-stack-new-upstream.yaml:", UP);
      run.stop();
    }
    for (String k : new String[] {"COLLECTOR", "STATE", "ALERT", "ALERTMANAGER", "BGP", "BMP"}) {
      int port = Integer.parseInt(env.get("ROUTEWATCH_" + k + "_PORT"));
      assertTrue(closed(port), "port " + port + " (" + k + ") still open after the run stopped");
    }
    System.out.printf(
        "MakeRunIT: two runs of scripts/run.sh in %.1f s; Alertmanager empty at the second start%n",
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * scripts/run.sh as a child process, its output in a file; {@link #close} ends it whatever
   * happened.
   */
  private static final class Run implements AutoCloseable {
    private final Process p;
    private final Path out;

    Run(Path root, Map<String, String> env, Path out) throws IOException {
      this.out = out;
      ProcessBuilder pb =
          new ProcessBuilder("bash", root.resolve("scripts/run.sh").toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().putAll(env);
      p = pb.start();
    }

    String output() {
      try {
        return Files.readString(out);
      } catch (IOException e) {
        return "(" + e + ")";
      }
    }

    void awaitLine(String line, Duration timeout) throws Exception {
      if (!await(() -> output().contains(line) || !p.isAlive(), timeout)
          || !output().contains(line)) {
        throw new AssertionError(
            "no '"
                + line
                + "' from scripts/run.sh within "
                + timeout
                + " (alive "
                + p.isAlive()
                + "):\n"
                + output());
      }
    }

    /** SIGTERM, as Ctrl-C would: an orderly stop within 60 s, exit 0. */
    void stop() throws Exception {
      long t = System.nanoTime();
      p.destroy();
      assertTrue(
          p.waitFor(60, TimeUnit.SECONDS), "run.sh still running 60 s after SIGTERM:\n" + output());
      assertEquals(0, p.exitValue(), output());
      assertTrue(output().contains("routewatch: stopped."), output());
      System.out.printf("MakeRunIT: stopped in %.1f s%n", (System.nanoTime() - t) / 1e9);
    }

    @Override
    public void close() throws InterruptedException {
      if (p.isAlive()) {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static boolean await(Check c, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (c.ok()) {
        return true;
      }
      Thread.sleep(200);
    }
    return c.ok();
  }

  private static String get(String url) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void post(String url, String json) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private static boolean closed(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
