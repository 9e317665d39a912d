package io.routewatch.e2e;

import io.routewatch.cli.scenario.AlertMatcher;
import io.routewatch.cli.scenario.ExaBgpConfig;
import io.routewatch.cli.scenario.Scenario;
import io.routewatch.cli.scenario.ScenarioParser;
import io.routewatch.cli.scenario.ScenarioRunner;
import io.routewatch.cli.scenario.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A scenario file played end to end as {@code NorthKoreaScenarioIT} does: its compressed service
 * settings, a stack (PostgreSQL, state, collector, alert) and a real Alertmanager, real ExaBGP. A
 * scenario marked {@code pending:} is skipped (its reason is the skip message) unless {@code
 * -Droutewatch.scenario.pending=run}; then it is played and reported, and fails only if it is not
 * pending.
 */
final class ScenarioPlay {
  private ScenarioPlay() {}

  static Scenario scenario(String file) throws Exception {
    return ScenarioParser.parse(
        Path.of(System.getProperty("routewatch.root", "..")).resolve("scenarios").resolve(file));
  }

  static ScenarioRunner.Report play(String file) throws Exception {
    Scenario sc = scenario(file);
    if (sc.isPending()) {
      Assumptions.assumeTrue(
          "run".equals(System.getProperty("routewatch.scenario.pending")),
          "pending: " + sc.pending());
    }
    Path work = Files.createTempDirectory("routewatch-scenario-");
    Played p = run(sc, work);
    ScenarioRunner.Report r = p.report();
    StringBuilder why = explain(r);
    r.alertmanager()
        .forEach(
            a ->
                why.append("Alertmanager: ")
                    .append(a.state())
                    .append(' ')
                    .append(a.type())
                    .append(' ')
                    .append(a.labels())
                    .append('\n'));
    Verdict v = Verdict.of(sc, r);
    System.out.printf("ScenarioPlay: %s %s in %.1f s%n%s", file, v.line(sc), p.seconds(), why);
    Assertions.assertNotEquals(Verdict.FAILED, v, why + "\nlogs: " + p.logs() + ", " + work);
    return r;
  }

  /** A scenario's run: the report, the services' log directory, the wall time it took. */
  record Played(ScenarioRunner.Report report, Path logs, double seconds) {}

  /**
   * Plays a scenario on a stack of its own (its compressed settings) with a real Alertmanager and
   * ExaBGP; the report is the caller's to judge.
   */
  static Played run(Scenario sc, Path work) throws Exception {
    return run(sc, work, Map.of(), null);
  }

  /** What a test does on its own thread while the scenario plays (e.g. rewrite state's files). */
  interface During {
    void run(Stack stack, Alertmanager am) throws Exception;
  }

  /**
   * {@link #run(Scenario, Path)} with {@code extraEnv} over the scenario's service settings and,
   * unless null, {@code during} run on the caller's thread while the scenario plays; the scenario
   * is waited for (ExaBGP stopped) before the stack goes, also when {@code during} fails.
   */
  static Played run(Scenario sc, Path work, Map<String, String> extraEnv, During during)
      throws Exception {
    int bgpPort = Stack.freePort();
    Map<String, String> env = new HashMap<>(ScenarioRunner.serviceEnv(sc, sc.speed(), work));
    env.putAll(ExaBgpConfig.collectorEnv(sc, bgpPort));
    env.putAll(extraEnv);
    long t0 = System.nanoTime();
    try (Alertmanager am =
        new Alertmanager(
            work,
            """
            route:
              receiver: none
              group_wait: 0s
              group_interval: 1s
            receivers:
              - name: none
            """)) {
      env.put("ROUTEWATCH_ALERT_ALERTMANAGER_URLS", am.url());
      try (Stack stack = new Stack(env)) {
        stack.startState();
        stack.startCollector();
        stack.startAlert();
        ScenarioRunner.Options o =
            new ScenarioRunner.Options(
                sc.speed(),
                "127.0.0.1",
                bgpPort,
                "127.0.0.1:" + stack.statePort,
                "127.0.0.1:" + stack.alertPort,
                am.url(),
                "exabgp",
                work,
                60_000,
                1_500);
        ScenarioRunner.Report r;
        if (during == null) {
          r = new ScenarioRunner(sc, o, System.out).run();
        } else {
          ExecutorService runner = Executors.newSingleThreadExecutor();
          Future<ScenarioRunner.Report> played =
              runner.submit(() -> new ScenarioRunner(sc, o, System.out).run());
          try {
            during.run(stack, am);
          } finally {
            r = played.get(5, TimeUnit.MINUTES);
            runner.shutdown();
          }
        }
        return new Played(r, stack.logs, (System.nanoTime() - t0) / 1e9);
      }
    }
  }

  /** One line per alert check and per share check of {@code r}: "ok …" or "FAIL …". */
  static StringBuilder explain(ScenarioRunner.Report r) {
    StringBuilder why = new StringBuilder();
    for (AlertMatcher.Check c : r.alerts().checks()) {
      why.append(c.ok() ? "ok   " : "FAIL ").append(c.detail()).append('\n');
    }
    r.shares()
        .forEach(
            s ->
                why.append(s.ok() ? "ok   " : "FAIL ")
                    .append("share AS")
                    .append(s.expected().upstream())
                    .append(' ')
                    .append(s.observed())
                    .append(" vs ")
                    .append(s.expected().vpShare())
                    .append('\n'));
    return why;
  }
}
