package io.routewatch.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;

/** Turns gRPC failures into one clear line and a meaningful exit code, never a stack trace. */
final class Errors implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    if (ex instanceof StatusRuntimeException sre) {
      Status s = sre.getStatus();
      String what = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
      cmd.getErr().println("routewatch: " + s.getCode() + ": " + what);
      return switch (s.getCode()) {
        case UNAVAILABLE, DEADLINE_EXCEEDED -> Main.EXIT_UNAVAILABLE;
        case INVALID_ARGUMENT, OUT_OF_RANGE -> Main.EXIT_USAGE;
        default -> Main.EXIT_REFUSED;
      };
    }
    if (ex instanceof IllegalArgumentException) {
      cmd.getErr().println("routewatch: " + ex.getMessage());
      return Main.EXIT_USAGE;
    }
    cmd.getErr().println("routewatch: " + ex);
    return Main.EXIT_REFUSED;
  }
}
