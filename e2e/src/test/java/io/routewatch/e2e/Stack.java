package io.routewatch.e2e;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.routewatch.pg.LocalPostgres;
import io.routewatch.proto.v1.GetImportRequest;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportServiceGrpc;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.StartImportRequest;
import io.routewatch.proto.v1.StateQueryGrpc;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The real thing for end-to-end tests: a PostgreSQL server and the built service jars as separate
 * processes on free loopback ports, so a test can {@code kill -9} one and start it again.
 */
final class Stack implements AutoCloseable {
  final LocalPostgres pg;
  final Path root;
  final Path logs;
  final int statePort;
  final int collectorPort;
  final int alertPort;
  private Process state;
  private Process collector;
  private Process alert;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Process> extras = new ArrayList<>();
  private final Map<String, String> extraEnv;

  /**
   * Set by {@link #secured}: the CA the test clients trust, and the token they send (may be null).
   */
  private Path tlsCa;

  private String token;

  /** Per service port, where its plain-HTTP listener goes when TLS is on (must stay closed). */
  private final Map<Integer, Integer> plainPorts = new HashMap<>();

  Stack(Map<String, String> extraEnv) throws IOException {
    this.extraEnv = extraEnv;
    this.root = Paths.get(System.getProperty("routewatch.root", "..")).toAbsolutePath().normalize();
    this.logs = Files.createTempDirectory("routewatch-e2e-");
    this.pg = LocalPostgres.start();
    this.statePort = freePort();
    this.collectorPort = freePort();
    this.alertPort = freePort();
  }

  static Path data() {
    return Paths.get(System.getProperty("routewatch.data", "../../shared/data"))
        .toAbsolutePath()
        .normalize();
  }

  void startState() throws Exception {
    // A private snapshot directory per stack (a test may override it, or disable snapshots).
    state =
        start(
            "state",
            statePort,
            Map.of(
                "ROUTEWATCH_DB_URL",
                pg.jdbcUrl(),
                "ROUTEWATCH_STATE_SNAPSHOT_DIR",
                snapshotDir().toString()));
    ready(statePort, Duration.ofSeconds(90));
  }

  void startCollector() throws Exception {
    startCollector(Map.of());
  }

  /**
   * Where the collector may import from (routewatch.collector.mrt.import-dirs; imports through the
   * API are refused without it): the shared corpus every test imports from, this stack's private
   * directory and the JVM's temp directory, for a test that writes a file of its own. A test's own
   * value (env or extraEnv) wins.
   */
  private Map<String, String> collectorEnv(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("QUARKUS_GRPC_CLIENTS_STATE_PORT", Integer.toString(statePort));
    all.putIfAbsent(
        "ROUTEWATCH_COLLECTOR_MRT_IMPORT_DIRS",
        String.join(",", data().toString(), logs.toString(), System.getProperty("java.io.tmpdir")));
    return all;
  }

  void startAlert() throws Exception {
    alert =
        start(
            "alert",
            alertPort,
            Map.of(
                "ROUTEWATCH_DB_URL", pg.jdbcUrl(),
                "QUARKUS_GRPC_CLIENTS_STATE_PORT", Integer.toString(statePort)));
    ready(alertPort, Duration.ofSeconds(90));
  }

  Path snapshotDir() {
    return logs.resolve("snapshot");
  }

  /** SIGSTOP / SIGCONT the collector: it sends nothing while stopped, and loses nothing. */
  void signalCollector(String signal) throws Exception {
    Process k =
        new ProcessBuilder("kill", "-" + signal, Long.toString(collector.pid()))
            .inheritIO()
            .start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " collector failed");
    }
  }

  /** SIGKILL: no shutdown hook, no flush — what a crash looks like. */
  void killState() throws InterruptedException {
    state.destroyForcibly();
    state.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGKILL the collector: a crash mid-import (its watch-directory ledger says what to redo). */
  void killCollector() throws InterruptedException {
    collector.destroyForcibly();
    collector.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM the collector and wait for it to exit: a clean stop (shutdown hooks run). */
  void stopCollector() throws InterruptedException {
    collector.destroy();
    if (!collector.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("collector did not stop within 60 s of SIGTERM");
    }
  }

  /** The alert service's process id (CPU accounting in a benchmark). */
  long alertPid() {
    return alert.pid();
  }

  /** SIGKILL the alert service: its hold timers, cursor and outbox must survive in PostgreSQL. */
  void killAlert() throws InterruptedException {
    alert.destroyForcibly();
    alert.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Another state instance (a shard) on its own port, database and snapshot directory; stopped with
   * the stack. Its log is {@code <name>.log}.
   */
  void startStateShard(String name, int port, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("ROUTEWATCH_STATE_SNAPSHOT_DIR", logs.resolve("snapshot-" + name).toString());
    extras.add(start("state", name, port, all));
    ready(port, Duration.ofSeconds(90));
  }

  /** The collector with extra settings (e.g. the state shards it routes to). */
  void startCollector(Map<String, String> env) throws Exception {
    collector = start("collector", collectorPort, collectorEnv(env));
    ready(collectorPort, Duration.ofSeconds(90));
  }

  private Process start(String name, int port, Map<String, String> env) throws IOException {
    return start(name, name, port, env);
  }

  private Process start(String name, String logName, int port, Map<String, String> env)
      throws IOException {
    Path jar = snapshot(name).resolve("quarkus-run.jar");
    List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-XX:+UseParallelGC"));
    // diagnostics for one run, e.g. -Droutewatch.e2e.jvm-args=-XX:StartFlightRecording=
    // filename=/tmp/{service}.jfr (e2e/README.md); {service} is the log name
    String diagnostics = System.getProperty("routewatch.e2e.jvm-args", "").strip();
    if (!diagnostics.isEmpty()) {
      for (String arg : diagnostics.split("\\s+")) {
        command.add(arg.replace("{service}", logName));
      }
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(logs.resolve(logName + ".log").toFile()));
    pb.environment().putAll(env);
    pb.environment().putAll(extraEnv);
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    if (tlsCa != null) {
      // As the Helm chart does: HTTPS (gRPC + REST) on the service port, the plain listener
      // (disabled by quarkus.http.insecure-requests) moved out of the way.
      pb.environment().put("QUARKUS_HTTP_SSL_PORT", Integer.toString(port));
      pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(plainPort(port)));
    }
    return pb.start();
  }

  /**
   * A private copy of the service's built app, taken once per stack: a rebuild of the module while
   * the test runs (or a restart mid-test) then cannot mix two builds.
   */
  private Path snapshot(String name) throws IOException {
    Path copy = logs.resolve("app-" + name);
    if (Files.exists(copy.resolve("quarkus-run.jar"))) {
      return copy;
    }
    Path app = root.resolve("services/" + name + "/target/quarkus-app");
    if (!Files.exists(app.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException("service not built: " + app + " (run make build)");
    }
    try (var files = Files.walk(app)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dst = copy.resolve(app.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
        }
      }
    }
    return copy;
  }

  static void awaitReady(int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/q/health/ready").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("service on port " + port + " not ready after " + timeout);
  }

  ManagedChannel channel(int port) {
    if (tlsCa != null) {
      return tlsChannel(port, token);
    }
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build();
    channels.add(ch);
    return ch;
  }

  /**
   * Security on: the services are started (by the caller's env) with TLS and/or a token; from now
   * on this stack's own clients (readiness, {@link #channel}, {@link #stats}, imports) use TLS
   * trusting {@code ca} and send {@code token} (null: none). Call before starting services.
   */
  Stack secured(Path ca, String token) {
    this.tlsCa = ca;
    this.token = token;
    return this;
  }

  int plainPort(int port) {
    return plainPorts.computeIfAbsent(
        port,
        p -> {
          try {
            return freePort();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** A plaintext (h2c) channel, whatever the stack's security. */
  ManagedChannel plainChannel(int port) {
    ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(ch);
    return ch;
  }

  /** A TLS channel trusting the stack's CA, sending {@code bearer} as API token unless null. */
  ManagedChannel tlsChannel(int port, String bearer) {
    try {
      var builder =
          Grpc.newChannelBuilderForAddress(
                  "127.0.0.1",
                  port,
                  TlsChannelCredentials.newBuilder().trustManager(tlsCa.toFile()).build())
              .maxInboundMessageSize(64 << 20);
      if (bearer != null) {
        Metadata h = new Metadata();
        h.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + bearer);
        builder.intercept(MetadataUtils.newAttachHeadersInterceptor(h));
      }
      ManagedChannel ch = builder.build();
      channels.add(ch);
      return ch;
    } catch (IOException e) {
      throw new IllegalStateException("CA " + tlsCa, e);
    }
  }

  /** GET over HTTPS (trusting the stack's CA) with {@code bearer} as API token unless null. */
  HttpResponse<String> httpsGet(int port, String path, String bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (bearer != null) {
      req.header("Authorization", "Bearer " + bearer);
    }
    return https().send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpClient https() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (var in = Files.newInputStream(tlsCa)) {
        trust.setCertificateEntry(
            "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(2)).build();
    } catch (Exception e) {
      throw new IllegalStateException("CA " + tlsCa, e);
    }
  }

  private void ready(int port, Duration timeout) throws Exception {
    if (tlsCa == null) {
      awaitReady(port, timeout);
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient client = https();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "service on port " + port + " not ready (HTTPS) after " + timeout);
  }

  StateQueryGrpc.StateQueryBlockingStub state() {
    return StateQueryGrpc.newBlockingStub(shared(statePort));
  }

  ImportServiceGrpc.ImportServiceBlockingStub imports() {
    return ImportServiceGrpc.newBlockingStub(shared(collectorPort));
  }

  private final Map<String, ManagedChannel> sharedChannels = new HashMap<>();

  /**
   * One channel per service (and security setting) for the convenience stubs: a test that asks
   * 10,000 questions must not open 10,000 connections (the services cap them, as they should). Its
   * reconnect backoff is reset on every use, so a restarted service is reached at once. {@link
   * #channel} still opens a connection of its own for tests that need one.
   */
  private synchronized ManagedChannel shared(int port) {
    String key = port + "|" + tlsCa + "|" + token;
    ManagedChannel ch = sharedChannels.get(key);
    if (ch == null || ch.isShutdown()) {
      ch = channel(port);
      sharedChannels.put(key, ch);
    } else {
      ch.resetConnectBackoff();
    }
    return ch;
  }

  /**
   * Adds a watch entry through the alert service's REST API ({@code json} as {@code POST
   * /api/v1/watch} takes it) and fails the test unless it was accepted.
   */
  void addWatch(String json) throws IOException, InterruptedException {
    HttpResponse<String> w =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + alertPort + "/api/v1/watch"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (w.statusCode() / 100 != 2) {
      throw new AssertionError("watch " + json + ": " + w.statusCode() + " " + w.body());
    }
  }

  GetStatsResponse stats(boolean digest) {
    return state()
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .getStats(GetStatsRequest.newBuilder().setWithDigest(digest).build());
  }

  /** Imports a file and waits for the job to end (bounded). */
  ImportJob importFile(Path file, String collectorName, Duration timeout)
      throws InterruptedException {
    ImportJob job =
        imports()
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .startImport(
                StartImportRequest.newBuilder()
                    .setPath(file.toString())
                    .setCollector(collectorName)
                    .build());
    return awaitJob(job.getId(), timeout);
  }

  ImportJob awaitJob(String id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ImportJob job;
    do {
      job =
          imports()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getImport(GetImportRequest.newBuilder().setId(id).build());
      if (job.getState() == ImportState.DONE || job.getState() == ImportState.FAILED) {
        return job;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException("import " + id + " not finished after " + timeout + ": " + job);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String log(String name) {
    try {
      return Files.readString(logs.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    List<Process> all = new ArrayList<>();
    for (Process p : new Process[] {collector, alert, state}) {
      if (p != null) {
        all.add(p);
      }
    }
    all.addAll(extras);
    for (Process p : all) {
      p.destroy();
    }
    for (Process p : all) {
      if (p != null) {
        try {
          if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
    pg.close();
    try (var files = Files.walk(logs)) {
      files
          .filter(p -> p.getFileName().toString().startsWith("app-"))
          .toList()
          .forEach(Stack::deleteTree);
    } catch (IOException e) {
      // logs stay for inspection; the app copies are best-effort cleanup
    }
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
