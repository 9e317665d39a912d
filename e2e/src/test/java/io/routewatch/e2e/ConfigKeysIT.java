package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13, acceptance 1: a service started with a routewatch key it does not read exits non-zero
 * and names the key (a chart typo is a crash loop with a reason, not a silent default). The keys
 * are the kind of mistake that happened: the chart's former spelling of the collector's ASN, a
 * singular for a plural, a word for another.
 */
class ConfigKeysIT {
  @ParameterizedTest
  @CsvSource({
    "collector, ROUTEWATCH_COLLECTOR_BGP_ASN, routewatch.collector.bgp.local-asn",
    "state, ROUTEWATCH_STATE_SNAPSHOT_DIRECTORY, routewatch.state.snapshot.dir",
    "alert, ROUTEWATCH_ALERT_ALERTMANAGER_URL, routewatch.alert.alertmanager.urls",
  })
  void unknownKeyStopsTheServiceNamingIt(String service, String key, String suggestion)
      throws Exception {
    Path root = Path.of(System.getProperty("routewatch.root", "..")).toAbsolutePath().normalize();
    Path jar = root.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
    assertTrue(Files.isRegularFile(jar), "built: " + jar);
    Path out = Files.createTempFile("config-keys-" + service, ".log");
    ProcessBuilder pb =
        new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put(key, "65001");
    pb.environment().put("QUARKUS_HTTP_PORT", "0");
    pb.environment().put("ROUTEWATCH_DB_URL", "jdbc:postgresql://127.0.0.1:1/none");
    Process p = pb.start();
    boolean exited = p.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(exited, service + " kept running with " + key + ":\n" + log);
    assertNotEquals(0, p.exitValue(), service + " exit code");
    assertTrue(
        log.contains("unknown configuration key(s): " + key), service + " names the key:\n" + log);
    assertTrue(
        log.contains("did you mean " + suggestion),
        service + " suggests " + suggestion + ":\n" + log);
    System.out.printf(
        "ConfigKeysIT: %s with %s exited %d: %s%n",
        service,
        key,
        p.exitValue(),
        log.lines()
            .filter(l -> l.contains("unknown configuration key"))
            .findFirst()
            .orElse("")
            .trim());
    Files.deleteIfExists(out);
  }
}
