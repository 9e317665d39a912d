package io.routewatch.cli;

import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.text.MrtDump;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code routewatch mrt dump FILE...}: the lines {@code bgpdump -m} prints, faster. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description =
        "Print MRT records as bgpdump -m lines. Errors go to stderr with file, record and offset.")
final class MrtDumpCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "MRT files (plain, gzip or bzip2)")
  List<Path> files;

  /**
   * {@code mrt dump FILE...} without any option, run without picocli; null when the arguments need
   * the parser (options, help, too few arguments). Failures are reported as {@link Errors} does.
   */
  static Integer fastPath(String[] args) {
    if (args.length < 3 || !"mrt".equals(args[0]) || !"dump".equals(args[1])) return null;
    List<Path> paths = new java.util.ArrayList<>(args.length - 2);
    for (int i = 2; i < args.length; i++) {
      if (args[i].startsWith("-") || args[i].startsWith("@")) return null;
      try {
        paths.add(Path.of(args[i]));
      } catch (java.nio.file.InvalidPathException e) {
        return null; // picocli reports it as a usage error
      }
    }
    MrtDumpCommand c = new MrtDumpCommand();
    c.files = paths;
    try {
      return c.call();
    } catch (IllegalArgumentException e) {
      System.err.println("routewatch: " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (Exception e) {
      System.err.println("routewatch: " + e);
      return Main.EXIT_REFUSED;
    }
  }

  @Override
  public Integer call() throws Exception {
    // Raw stdout: the formatter buffers itself; System.out's PrintStream would add a lock per
    // write.
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    int problems = 0;
    for (Path f : files) {
      MrtDump.Result r = MrtDump.dump(f, out);
      for (DecodeProblem p : r.problems()) {
        System.err.println("routewatch: " + p);
        problems++;
      }
    }
    out.flush();
    return problems == 0 ? 0 : Main.EXIT_FINDINGS;
  }
}
