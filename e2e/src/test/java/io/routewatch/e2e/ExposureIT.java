package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 (secure defaults): a service told to listen beyond loopback without an API token and
 * without mTLS exits non-zero saying how to configure one; routewatch.security.insecure=true starts
 * it anyway with a warning.
 */
class ExposureIT {
  private static Path jar(String service) {
    Path root = Path.of(System.getProperty("routewatch.root", "..")).toAbsolutePath().normalize();
    Path jar = root.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
    assertTrue(Files.isRegularFile(jar), "built: " + jar);
    return jar;
  }

  /** Runs the jar until it exits or the time is up; exit code (or -1 if still running) and log. */
  private static Object[] run(String service, Map<String, String> env, int seconds, String until)
      throws Exception {
    Path out = Files.createTempFile("exposure-" + service, ".log");
    ProcessBuilder pb =
        new ProcessBuilder("java", "-Xmx256m", "-jar", jar(service).toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_PORT", "0");
    pb.environment().put("ROUTEWATCH_COLLECTOR_BGP_PORT", "0");
    pb.environment().put("ROUTEWATCH_COLLECTOR_BMP_PORT", "0");
    pb.environment().put("ROUTEWATCH_DB_URL", "jdbc:postgresql://127.0.0.1:1/none");
    Process p = pb.start();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (until != null && Files.readString(out).contains(until)) {
        break;
      }
      p.waitFor(200, TimeUnit.MILLISECONDS);
    }
    int code = p.isAlive() ? -1 : p.exitValue();
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    String log = Files.readString(out, StandardCharsets.UTF_8);
    Files.deleteIfExists(out);
    return new Object[] {code, log};
  }

  @ParameterizedTest
  @ValueSource(strings = {"collector", "state", "alert"})
  void anOpenDoorIsRefused(String service) throws Exception {
    Object[] r = run(service, Map.of("QUARKUS_HTTP_HOST", "0.0.0.0"), 90, null);
    String log = (String) r[1];
    assertNotEquals(-1, r[0], service + " kept running on 0.0.0.0 without credentials:\n" + log);
    assertNotEquals(0, r[0], service + " exit code");
    assertTrue(
        log.contains("refusing to serve the API on 0.0.0.0 (beyond loopback) without credentials"),
        log);
    assertTrue(log.contains("routewatch.security.api-token"), "says how: " + log);
    System.out.printf(
        "ExposureIT: %s on 0.0.0.0 without credentials exited %d%n", service, (int) r[0]);
  }

  @Test
  void aTokenOrTheLabSwitchLetsItStart() throws Exception {
    Object[] withToken =
        run(
            "collector",
            Map.of(
                "QUARKUS_HTTP_HOST",
                "0.0.0.0",
                "ROUTEWATCH_SECURITY_API_TOKEN",
                "0123456789abcdef0123"),
            60,
            "started in");
    assertTrue(
        ((String) withToken[1]).contains("started in"), "starts with a token:\n" + withToken[1]);
    Object[] lab =
        run(
            "collector",
            Map.of("QUARKUS_HTTP_HOST", "0.0.0.0", "ROUTEWATCH_SECURITY_INSECURE", "true"),
            60,
            "started in");
    String log = (String) lab[1];
    assertTrue(
        log.contains("started in")
            && log.contains("serving anyway because routewatch.security.insecure=true"),
        log);
    System.out.println(
        "ExposureIT: with a token the collector starts on 0.0.0.0; with security.insecure=true it starts and warns");
  }
}
