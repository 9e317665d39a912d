package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Where the services are: flags, else env ROUTEWATCH_{COLLECTOR,STATE,ALERT}, else localhost. */
final class Endpoints {
  @Option(
      names = "--collector",
      description = "collector host:port (default ${DEFAULT-VALUE}; env ROUTEWATCH_COLLECTOR)",
      defaultValue = "${env:ROUTEWATCH_COLLECTOR:-127.0.0.1:8081}")
  String collector;

  @Option(
      names = "--state",
      description = "state host:port (default ${DEFAULT-VALUE}; env ROUTEWATCH_STATE)",
      defaultValue = "${env:ROUTEWATCH_STATE:-127.0.0.1:8082}")
  String state;

  @Option(
      names = "--alert",
      description = "alert host:port (default ${DEFAULT-VALUE}; env ROUTEWATCH_ALERT)",
      defaultValue = "${env:ROUTEWATCH_ALERT:-127.0.0.1:8083}")
  String alert;

  static ManagedChannel channel(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + hostPort + "'");
    }
    return ManagedChannelBuilder.forAddress(host, port)
        .usePlaintext()
        .maxInboundMessageSize(64 << 20)
        .build();
  }

  static void close(ManagedChannel ch) {
    ch.shutdownNow();
    try {
      ch.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
