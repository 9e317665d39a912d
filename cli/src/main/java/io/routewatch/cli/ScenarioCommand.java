package io.routewatch.cli;

import io.routewatch.cli.scenario.AlertMatcher;
import io.routewatch.cli.scenario.ExaBgpConfig;
import io.routewatch.cli.scenario.Scenario;
import io.routewatch.cli.scenario.ScenarioParser;
import io.routewatch.cli.scenario.ScenarioRunner;
import io.routewatch.cli.scenario.Timeline;
import io.routewatch.cli.scenario.Verdict;
import io.routewatch.cli.time.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routewatch scenario run|check|describe|exabgp-config|service-env FILE}: scripted BGP
 * timelines.
 */
@Command(
    name = "scenario",
    mixinStandardHelpOptions = true,
    description = {
      "Scenarios (scenarios/*.yaml, schema in scenarios/README.md): BGP timelines played by real ExaBGP",
      "speakers into the collector, time-compressed, with the expected alerts checked.",
    })
final class ScenarioCommand {

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Play a scenario into the collector's BGP listener and check alerts (alert service + Alertmanager) and shares.",
        "The services must run with the scenario's state settings compressed (see: scenario service-env).",
        "",
        "Example:",
        "  routewatch scenario run scenarios/north-korea-2017.yaml --speed 720",
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:every expectation met, or the scenario is pending (report ends PENDING: reason)",
        "1:an expectation failed (report on stdout)",
        "2:bad scenario or usage",
        "3:a service is unreachable"
      })
  int run(
      @Mixin Endpoints endpoints,
      @Parameters(paramLabel = "FILE") Path file,
      @Option(
              names = "--speed",
              paramLabel = "N",
              description =
                  "scenario seconds per wall-clock second (default: the file's, else 720 = one hour per 5 s)")
          Double speed,
      @Option(
              names = "--bgp",
              paramLabel = "HOST:PORT",
              defaultValue = "127.0.0.1:1179",
              description = "collector's BGP listener (default ${DEFAULT-VALUE})")
          String bgp,
      @Option(
              names = "--alertmanager",
              paramLabel = "URL",
              defaultValue = "${env:ROUTEWATCH_ALERTMANAGER:-http://127.0.0.1:9093}",
              description = "Alertmanager to watch (default ${DEFAULT-VALUE}); 'none' to skip")
          String am,
      @Option(
              names = "--exabgp",
              defaultValue = "exabgp",
              description = "ExaBGP executable (default ${DEFAULT-VALUE})")
          String exabgp,
      @Option(
              names = "--work-dir",
              paramLabel = "DIR",
              description =
                  "where exabgp.conf, the FIFO and exabgp.log go (default: a new temp dir)")
          Path work,
      @Option(
              names = "--keep-sessions",
              description =
                  "after the run, keep ExaBGP's sessions up (state keeps the final picture) until interrupted (Ctrl-C / SIGTERM)")
          boolean keep,
      @Option(
              names = "--done-file",
              paramLabel = "FILE",
              description = "written (exit code) when the run is over, for scripts that wait on it")
          Path doneFile)
      throws Exception {
    Scenario s = ScenarioParser.parse(file);
    int colon = bgp.lastIndexOf(':');
    ScenarioRunner.Options o =
        new ScenarioRunner.Options(
            speed != null ? speed : s.speed(),
            bgp.substring(0, colon),
            Integer.parseInt(bgp.substring(colon + 1)),
            endpoints.state,
            endpoints.alert,
            "none".equals(am) ? null : am,
            exabgp,
            work != null ? work : Files.createTempDirectory("routewatch-scenario-"),
            60_000,
            1_500);
    ScenarioRunner runner = new ScenarioRunner(s, o, System.out).keepSessions(keep);
    Thread stop = new Thread(runner::stopSessions, "scenario-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    int rc;
    try {
      ScenarioRunner.Report r = runner.run();
      print(s, r);
      rc = Verdict.of(s, r).exitCode();
    } catch (Exception e) {
      if (doneFile != null) {
        Files.writeString(doneFile, "3\n");
      }
      throw e;
    }
    if (doneFile != null) {
      Files.writeString(doneFile, rc + "\n");
    }
    if (keep) {
      System.out.println(
          "scenario: sessions kept up (the final picture stays in state); Ctrl-C or SIGTERM ends them");
      System.out.flush();
      // the shutdown hook stops ExaBGP; until then there is nothing left to do
      new java.util.concurrent.CountDownLatch(1).await();
    }
    return rc;
  }

  static void print(Scenario s, ScenarioRunner.Report r) {
    System.out.println();
    System.out.println("alerts (alert service history vs expectations):");
    for (AlertMatcher.Check c : r.alerts().checks()) {
      String what = c.expected() != null ? c.expected().describe() : c.observed().describe();
      System.out.printf("  %s %s — %s%n", c.ok() ? "ok  " : "FAIL", what, c.detail());
    }
    System.out.println("Alertmanager saw:");
    r.alertmanager()
        .forEach(
            a ->
                System.out.printf(
                    "  %s %-8s %s %s%n",
                    Times.human(a.atMicros()), a.state(), a.type(), a.labels()));
    System.out.println(Verdict.of(s, r).line(s));
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = {
        "Print a scenario's name, origin and description (what `make run` shows before playing it).",
        "With --origin: only the origin AS (AS131279), for scripts."
      })
  int describe(
      @Parameters(paramLabel = "FILE") Path file,
      @Option(names = "--origin", description = "print only the origin AS") boolean originOnly)
      throws Exception {
    Scenario s = ScenarioParser.parse(file);
    if (originOnly) {
      System.out.println("AS" + s.origin());
      return 0;
    }
    Timeline tl = new Timeline(s, s.speed());
    System.out.printf(
        "%s (origin AS%d): %d VPs, %d prefixes (%d IPv6), %d steps; %.0f s at %.0f× (one scenario hour per %.1f s)%n",
        s.name(),
        s.origin(),
        s.vps().size(),
        s.prefixes().size(),
        s.prefixes().stream().filter(Scenario::isIpv6).count(),
        s.steps().size(),
        tl.wallMillis(s.endMicros()) / 1000.0,
        tl.speed(),
        3600 / tl.speed());
    for (String line : wrap(s.description(), 96)) {
      System.out.println("  " + line);
    }
    if (s.isPending()) {
      System.out.println("  pending: " + s.pending());
    }
    return 0;
  }

  /**
   * Folds free text (YAML folded scalars keep single newlines) into lines of at most {@code width}.
   */
  static java.util.List<String> wrap(String text, int width) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String w : text.trim().split("\\s+")) {
      if (w.isEmpty()) {
        continue;
      }
      if (line.length() > 0 && line.length() + 1 + w.length() > width) {
        out.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(w);
    }
    if (line.length() > 0) {
      out.add(line.toString());
    }
    return out;
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Parse a scenario and print its compressed schedule.")
  int check(
      @Parameters(paramLabel = "FILE") Path file,
      @Option(names = "--speed", paramLabel = "N") Double speed)
      throws Exception {
    Scenario s = ScenarioParser.parse(file);
    Timeline tl = new Timeline(s, speed != null ? speed : s.speed());
    System.out.printf(
        "%s: %d VPs, %d prefixes, %d steps, %d expected alerts, %d share checks; %.1f s at %.0f×%n",
        s.name(),
        s.vps().size(),
        s.prefixes().size(),
        s.steps().size(),
        s.alerts().size(),
        s.shares().size(),
        tl.wallMillis(s.endMicros()) / 1000.0,
        tl.speed());
    // the sessions: up before the baseline, or coming up later (one ExaBGP process per time)
    for (Timeline.SessionGroup g : tl.sessionGroups()) {
      System.out.printf(
          "  +%7.2f s  %s  sessions up%s: %s%s%n",
          tl.wallMillis(g.upMicros()) / 1000.0,
          Times.human(g.upMicros()),
          g.index() == 0 ? " (before the baseline)" : "",
          String.join(", ", g.names()),
          g.index() == 0 ? "" : " — table of " + tl.initialTable(g).size() + " routes");
    }
    for (Timeline.Due d : tl.schedule()) {
      System.out.printf(
          "  +%7.2f s  %s  %-44s %d updates%n",
          d.wallMillis() / 1000.0, Times.human(d.scenarioMicros()), d.note(), d.commands().size());
    }
    for (Scenario.ExpectedAlert a : s.alerts()) {
      System.out.printf(
          "  +%7.2f s  %s  expect %s%n",
          tl.wallMillis(a.dueMicros()) / 1000.0, Times.human(a.dueMicros()), a.describe());
    }
    return 0;
  }

  @Command(
      name = "exabgp-config",
      mixinStandardHelpOptions = true,
      description = {
        "Print the ExaBGP configuration a run would use: one per session group (VPs whose",
        "sessions come up at the same time), each with its own FIFO (feed.fifo, feed-1.fifo, …)."
      })
  int exabgpConfig(
      @Parameters(paramLabel = "FILE") Path file,
      @Option(names = "--bgp", defaultValue = "127.0.0.1:1179") String bgp,
      @Option(names = "--fifo", defaultValue = "/tmp/routewatch-feed.fifo") Path fifo)
      throws Exception {
    Scenario s = ScenarioParser.parse(file);
    int colon = bgp.lastIndexOf(':');
    Timeline tl = new Timeline(s, s.speed());
    java.util.List<Timeline.SessionGroup> groups = tl.sessionGroups();
    String base = fifo.getFileName().toString();
    String ext = base.endsWith(".fifo") ? ".fifo" : "";
    base = base.substring(0, base.length() - ext.length());
    Path dir = fifo.toAbsolutePath().getParent();
    for (Timeline.SessionGroup g : groups) {
      if (groups.size() > 1) {
        System.out.printf(
            "### ExaBGP process %d of %d: exabgp%s.conf, up at %s%n",
            g.index() + 1,
            groups.size(),
            g.index() == 0 ? "" : "-" + g.index(),
            g.index() == 0 ? "start (before the baseline)" : Times.human(g.upMicros()));
      }
      System.out.print(
          ExaBgpConfig.render(
              s,
              g,
              bgp.substring(0, colon),
              Integer.parseInt(bgp.substring(colon + 1)),
              ExaBgpConfig.groupFile(dir, g, base, ext)));
      if (g.index() > 0) {
        // what the runner writes into the FIFO before this process starts
        for (String c : tl.initialTable(g)) {
          System.out.println("# table: " + c);
        }
        System.out.println();
      }
    }
    return 0;
  }

  @Command(
      name = "service-env",
      mixinStandardHelpOptions = true,
      description =
          "Print the service settings (as env) the scenario needs at a speed, and the collector neighbours.")
  int serviceEnv(
      @Parameters(paramLabel = "FILE") Path file,
      @Option(names = "--speed", paramLabel = "N") Double speed)
      throws Exception {
    Scenario s = ScenarioParser.parse(file);
    for (Map.Entry<String, String> e :
        ScenarioRunner.serviceEnv(s, speed != null ? speed : s.speed()).entrySet()) {
      System.out.println(e.getKey() + "=" + e.getValue());
    }
    ExaBgpConfig.collectorEnv(s, 1179).forEach((k, v) -> System.out.println(k + "=" + v));
    return 0;
  }
}
