package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.routewatch.proto.v1.AlertServiceGrpc;
import io.routewatch.proto.v1.GetImportRequest;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.GetStatusRequest;
import io.routewatch.proto.v1.GetStatusResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportServiceGrpc;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.StateQueryGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, acceptance 4 (security half): with TLS and an API token on, set by the same properties
 * the Helm chart renders, the services talk only over TLS — collector → state and alert → state
 * included — and a client without the token gets {@code UNAUTHENTICATED} (gRPC) or 401 (REST).
 */
class SecurityIT {
  static final String TOKEN = "e2e-token-" + Long.toHexString(System.nanoTime());
  static final Path MRT = Stack.data().resolve("mrt/ripe-bgpdump/updates.20020722.2238.gz");

  static Stack stack;
  static TestPki pki;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(Files.createTempDirectory("routewatch-pki-"));
    // The chart's properties (helm/routewatch/templates/_helpers.tpl: tlsConfig, stateClientConfig,
    // apiTokenEnv) as its ConfigMap/Secret deliver them: env form, except the named TLS
    // configuration, which only works in property form (SmallRye cannot parse the name back).
    Map<String, String> env = new HashMap<>();
    env.put("quarkus.tls.routewatch.key-store.pem.0.cert", pki.tlsCrt.toString());
    env.put("quarkus.tls.routewatch.key-store.pem.0.key", pki.tlsKey.toString());
    env.put("quarkus.tls.routewatch.trust-store.pem.certs", pki.caCrt.toString());
    env.put("QUARKUS_HTTP_TLS_CONFIGURATION_NAME", "routewatch");
    env.put("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled");
    env.put("QUARKUS_HTTP_SSL_CLIENT_AUTH", "NONE");
    env.put("QUARKUS_GRPC_CLIENTS_STATE_PLAIN_TEXT", "false");
    env.put("QUARKUS_GRPC_CLIENTS_STATE_SSL_TRUST_STORE", pki.caCrt.toString());
    env.put("ROUTEWATCH_SECURITY_API_TOKEN", TOKEN);
    stack = new Stack(env).secured(pki.caCrt, TOKEN);
    stack.startState();
    stack.startCollector();
    stack.startAlert();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** One cheap unary call per service, on a given channel. */
  static final Map<String, Function<ManagedChannel, Object>> CALLS =
      Map.of(
          "state",
          ch ->
              StateQueryGrpc.newBlockingStub(ch)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .getStats(GetStatsRequest.getDefaultInstance()),
          "collector",
          ch ->
              ImportServiceGrpc.newBlockingStub(ch)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .getImport(GetImportRequest.newBuilder().setId("none").build()),
          "alert",
          ch ->
              AlertServiceGrpc.newBlockingStub(ch)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .getStatus(GetStatusRequest.getDefaultInstance()));

  Map<String, Integer> ports() {
    return Map.of(
        "state", stack.statePort, "collector", stack.collectorPort, "alert", stack.alertPort);
  }

  @Test
  void plaintextGrpcIsRefusedOnEveryPort() {
    ports()
        .forEach(
            (name, port) -> {
              StatusRuntimeException e =
                  assertThrows(
                      StatusRuntimeException.class,
                      () -> CALLS.get(name).apply(stack.plainChannel(port)),
                      name);
              // h2c against a TLS listener never reaches a service: the connection is dropped.
              assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), name + ": " + e);
              // And the plain HTTP listener is not open at all
              // (quarkus.http.insecure-requests=disabled).
              assertTrue(
                  closed(stack.plainPort(port)),
                  name + ": plain port " + stack.plainPort(port) + " is open");
            });
  }

  @Test
  void grpcWithoutTheTokenIsUnauthenticated() {
    ports()
        .forEach(
            (name, port) -> {
              StatusRuntimeException none =
                  assertThrows(
                      StatusRuntimeException.class,
                      () -> CALLS.get(name).apply(stack.tlsChannel(port, null)),
                      name);
              assertEquals(
                  Status.Code.UNAUTHENTICATED, none.getStatus().getCode(), name + ": " + none);
              assertTrue(
                  none.getStatus().getDescription().contains("missing API token"),
                  none.getStatus().getDescription());
              StatusRuntimeException wrong =
                  assertThrows(
                      StatusRuntimeException.class,
                      () -> CALLS.get(name).apply(stack.tlsChannel(port, TOKEN + "x")),
                      name);
              assertEquals(
                  Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode(), name + ": " + wrong);
              assertEquals("invalid API token", wrong.getStatus().getDescription());
            });
    // With the token the same calls pass authentication (collector: NOT_FOUND for the made-up job).
    CALLS.get("state").apply(stack.tlsChannel(stack.statePort, TOKEN));
    CALLS.get("alert").apply(stack.tlsChannel(stack.alertPort, TOKEN));
    StatusRuntimeException nf =
        assertThrows(
            StatusRuntimeException.class,
            () -> CALLS.get("collector").apply(stack.tlsChannel(stack.collectorPort, TOKEN)));
    assertNotEquals(Status.Code.UNAUTHENTICATED, nf.getStatus().getCode(), nf.toString());
  }

  @Test
  void restApiWithoutTheTokenIs401ProbesAndMetricsStayOpen() throws Exception {
    for (var api :
        Map.of(stack.statePort, "/api/v1/stats", stack.alertPort, "/api/v1/alerts/active")
            .entrySet()) {
      HttpResponse<String> none = stack.httpsGet(api.getKey(), api.getValue(), null);
      assertEquals(401, none.statusCode(), api + ": " + none.body());
      assertTrue(none.body().contains("\"error\":\"unauthenticated\""), none.body());
      assertTrue(
          none.headers().firstValue("content-type").orElse("").startsWith("application/json"),
          none.headers().toString());
      assertEquals(
          401, stack.httpsGet(api.getKey(), api.getValue(), "wrong").statusCode(), api.toString());
      HttpResponse<String> ok = stack.httpsGet(api.getKey(), api.getValue(), TOKEN);
      assertEquals(200, ok.statusCode(), api + ": " + ok.body());
    }
    for (int port : ports().values()) {
      assertEquals(
          200, stack.httpsGet(port, "/q/health/ready", null).statusCode(), "health on " + port);
      assertEquals(
          200, stack.httpsGet(port, "/q/metrics", null).statusCode(), "metrics on " + port);
    }
  }

  @Test
  void importReachesStateOverTlsAndAlertFollowsIt() throws Exception {
    Reference.Counts want = Reference.counts(MRT);
    GetStatsResponse before = stack.stats(false);
    ImportJob job = stack.importFile(MRT, "e2e-tls", Duration.ofMinutes(3));
    assertEquals(ImportState.DONE, job.getState(), job.toString());
    GetStatsResponse after = stack.stats(false);
    assertEquals(
        want.announcements(),
        after.getAnnouncements() - before.getAnnouncements(),
        "announcements");
    assertEquals(
        want.withdrawals(), after.getWithdrawals() - before.getWithdrawals(), "withdrawals");
    // alert -> state: subscribed over TLS with the token, and it has seen the import's changes.
    AlertServiceGrpc.AlertServiceBlockingStub alert =
        AlertServiceGrpc.newBlockingStub(stack.channel(stack.alertPort));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    GetStatusResponse status;
    do {
      status =
          alert
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getStatus(GetStatusRequest.getDefaultInstance());
      if (status.getStateConnected() && status.getLastChangeSequence() > 0) {
        break;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    assertTrue(
        status.getStateConnected(),
        "alert not connected to state over TLS: " + status + "\n" + stack.log("alert"));
    assertTrue(status.getLastChangeSequence() > 0, "alert saw no change from state: " + status);
  }

  /**
   * `routewatch watch import` of an ARTEMIS config, as an operator runs it against a secured alert
   * service: over TLS with the token it lands (entries listed with source "artemis"); the same
   * command without the token changes nothing.
   */
  @Test
  void watchImportOverTlsWithTheToken() throws Exception {
    Path cfg = Files.createTempFile("artemis-", ".yaml");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "prefixes:",
            "  campus: &campus",
            "    - 198.51.100.0/24",
            "    - 2001:db8:cafe::/48",
            "asns:",
            "  me: &me 64500",
            "rules:",
            "- prefixes: [*campus]",
            "  origin_asns: [*me]",
            "  neighbors: [64501]",
            ""));
    String alert = "127.0.0.1:" + stack.alertPort;
    int refused =
        io.routewatch.cli.Main.run(
            "watch",
            "import",
            "--format",
            "artemis",
            cfg.toString(),
            "--alert",
            alert,
            "--ca",
            pki.caCrt.toString());
    assertTrue(refused != 0, "an import without the token must be refused");
    int rc =
        io.routewatch.cli.Main.run(
            "watch",
            "import",
            "--format",
            "artemis",
            cfg.toString(),
            "--alert",
            alert,
            "--ca",
            pki.caCrt.toString(),
            "--token",
            TOKEN);
    assertEquals(0, rc);
    AlertServiceGrpc.AlertServiceBlockingStub stub =
        AlertServiceGrpc.newBlockingStub(stack.channel(stack.alertPort));
    var list =
        stub.withDeadlineAfter(10, TimeUnit.SECONDS)
            .listWatch(io.routewatch.proto.v1.ListWatchRequest.getDefaultInstance());
    var imported =
        list.getEntriesList().stream().filter(e -> e.getSource().equals("artemis")).toList();
    assertEquals(2, imported.size(), list.toString());
    for (var e : imported) {
      assertEquals("64500", e.getOverridesMap().get("origins"), e.toString());
      assertEquals("campus", e.getDescription());
    }
    System.out.printf(
        "SecurityIT: watch import over TLS: %d ARTEMIS entries; without the token rc=%d%n",
        imported.size(), refused);
  }

  private static boolean closed(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
