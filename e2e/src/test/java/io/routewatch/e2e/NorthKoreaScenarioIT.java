package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.cli.scenario.AlertMatcher;
import io.routewatch.cli.scenario.ExaBgpConfig;
import io.routewatch.cli.scenario.Scenario;
import io.routewatch.cli.scenario.ScenarioParser;
import io.routewatch.cli.scenario.ScenarioRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, acceptance 2: the North Korea 2017 scenario end to end — real ExaBGP (one session per
 * VP from 127.0.0.11…20) into the collector's passive BGP listener, state, the alert service and
 * a real Alertmanager. Exactly the expected alerts, in order, each within 1 s (wall clock) after
 * its scenario time plus hold; shares 60/40 ± 1 point after AS20485's return.
 */
class NorthKoreaScenarioIT {
  @Test
  void northKorea2017EndToEnd() throws Exception {
    Path file = Path.of(System.getProperty("routewatch.root", "..")).resolve("scenarios/north-korea-2017.yaml");
    Scenario sc = ScenarioParser.parse(file);
    int bgpPort = Stack.freePort();
    int amPort = Stack.freePort();
    Path work = Files.createTempDirectory("routewatch-nk-");
    Path amConf = work.resolve("am.yml");
    Files.writeString(amConf, """
        route:
          receiver: none
          group_wait: 0s
          group_interval: 1s
        receivers:
          - name: none
        """);
    Process am = new ProcessBuilder(
            "prometheus-alertmanager", "--config.file=" + amConf, "--storage.path=" + work.resolve("am"),
            "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(work.resolve("alertmanager.log").toFile()).start();
    Map<String, String> env = new HashMap<>(ScenarioRunner.serviceEnv(sc, sc.speed()));
    env.putAll(ExaBgpConfig.collectorEnv(sc, bgpPort));
    env.put("QUARKUS_LOG_CATEGORY__IO_ROUTEWATCH_ALERT__LEVEL", "DEBUG");
    env.put("ROUTEWATCH_ALERT_ALERTMANAGER_URLS", "http://127.0.0.1:" + amPort);
    try (Stack stack = new Stack(env)) {
      stack.startState();
      stack.startCollector();
      stack.startAlert();
      ScenarioRunner.Options o = new ScenarioRunner.Options(
          sc.speed(), "127.0.0.1", bgpPort, "127.0.0.1:" + stack.statePort, "127.0.0.1:" + stack.alertPort,
          "http://127.0.0.1:" + amPort, "exabgp", work, 60_000, 1_500);
      ScenarioRunner.Report r = new ScenarioRunner(sc, o, System.out).run();
      StringBuilder why = new StringBuilder();
      for (AlertMatcher.Check c : r.alerts().checks()) {
        why.append(c.ok() ? "ok   " : "FAIL ").append(c.detail()).append('\n');
      }
      r.shares().forEach(s -> why.append(s.ok() ? "ok   " : "FAIL ").append("share AS").append(s.expected().upstream())
          .append(' ').append(s.observed()).append(" vs ").append(s.expected().vpShare()).append('\n'));
      assertTrue(r.passed(), why + "\nlogs: " + stack.logs + ", " + work);
      // Alertmanager saw every expected firing alert (it is the user-facing end of the chain)
      long firing = sc.alerts().stream().filter(a -> a.state().equals("FIRING")).count();
      assertEquals(firing, r.alertmanager().stream().filter(a -> a.state().equals("FIRING")).count(), r.alertmanager().toString());
    } finally {
      am.destroy();
      am.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
