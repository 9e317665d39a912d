package io.routewatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code routewatch}: the command line of routewatch. Offline tools (mrt dump/stats) use the codec
 * directly; everything else is a gRPC client of the services.
 *
 * <p>Exit codes: 0 ok, 1 the answer is "no" / something was found wrong (e.g. decode errors), 2 bad
 * usage, 3 a service is unreachable, 4 the service refused the request.
 */
@Command(
    name = "routewatch",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "BGP route monitor: upstreams, shares, visibility and alerts for networks and countries.",
    subcommands = {
      MrtCommand.class,
      ApiCommand.class,
      StatsCommand.class,
      ImportCommand.class,
      ArchiveCommand.class,
      JournalCommand.class,
      PcapCommand.class,
      UpstreamsCommand.class,
      RovCommand.class,
      VisibilityCommand.class,
      OutagesCommand.class,
      AlertsCommand.class,
      WatchCommand.class,
      PlotCommand.class,
      ScenarioCommand.class,
      CommandLine.HelpCommand.class,
      picocli.AutoComplete.GenerateCompletion.class
    })
public final class Main {
  public static final int EXIT_FINDINGS = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNAVAILABLE = 3;
  public static final int EXIT_REFUSED = 4;

  public static void main(String[] args) {
    // `mrt dump FILE...` is timed against bgpdump including JVM start; building the picocli model
    // of every subcommand costs ~0.3 s of CPU, so plain invocations skip it (same output and exit
    // code).
    Integer fast = MrtDumpCommand.fastPath(args);
    System.exit(fast != null ? fast : run(args));
  }

  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(new Errors());
    return cl.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"routewatch " + (v == null ? "dev" : v)};
    }
  }
}
