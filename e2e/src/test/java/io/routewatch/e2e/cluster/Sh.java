package io.routewatch.e2e.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion, bounded in time; what it printed, or why it failed. */
final class Sh {
  private Sh() {}

  /** Runs and returns the output; throws with the output when the exit code is not 0. */
  static String run(Duration timeout, List<String> cmd) {
    Result r = tryRun(timeout, cmd);
    if (r.code != 0) {
      throw new IllegalStateException(
          "exit " + r.code + ": " + String.join(" ", cmd) + "\n" + r.out);
    }
    return r.out;
  }

  static String run(String... cmd) {
    return run(Duration.ofSeconds(30), List.of(cmd));
  }

  /** Runs and returns exit code and output, whatever the exit code (-1 on time-out). */
  static Result tryRun(Duration timeout, List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      StringBuilder out = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try {
                  out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                  // the process went away
                }
              });
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", cmd));
      }
      reader.join(2000);
      return new Result(p.exitValue(), out.toString());
    } catch (IOException e) {
      return new Result(-2, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-3, "interrupted");
    }
  }

  static Result tryRun(String... cmd) {
    return tryRun(Duration.ofSeconds(30), List.of(cmd));
  }

  record Result(int code, String out) {
    boolean ok() {
      return code == 0;
    }
  }
}
