package io.routewatch.cli;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  // Security: the commands call the static channel(); picocli applies these options (their
  // defaults too, all non-null) through setters to the one command being run, so statics suffice.
  private static volatile String token = "";
  private static volatile boolean tls;
  private static volatile String ca = "";

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "API token sent as 'authorization: Bearer TOKEN' (env ROUTEWATCH_TOKEN)",
      defaultValue = "${env:ROUTEWATCH_TOKEN:-}")
  void token(String value) {
    token = value == null ? "" : value.trim();
  }

  @Option(
      names = "--tls",
      description = "connect with TLS (system trust store unless --ca; env ROUTEWATCH_TLS=true)",
      defaultValue = "${env:ROUTEWATCH_TLS:-false}")
  void tls(boolean value) {
    tls = value;
  }

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "PEM CA certificate(s) to trust; implies --tls (env ROUTEWATCH_CA)",
      defaultValue = "${env:ROUTEWATCH_CA:-}")
  void ca(String value) {
    ca = value == null ? "" : value.trim();
  }

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
    ManagedChannelBuilder<?> b;
    if (tls || !ca.isEmpty()) {
      TlsChannelCredentials.Builder creds = TlsChannelCredentials.newBuilder();
      if (!ca.isEmpty()) {
        try {
          creds.trustManager(new File(ca));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read CA file " + ca, e);
        }
      }
      b = Grpc.newChannelBuilderForAddress(host, port, creds.build());
    } else {
      b = ManagedChannelBuilder.forAddress(host, port).usePlaintext();
    }
    if (!token.isEmpty()) {
      Metadata h = new Metadata();
      h.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      b.intercept(MetadataUtils.newAttachHeadersInterceptor(h));
    }
    return b.maxInboundMessageSize(64 << 20).build();
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
