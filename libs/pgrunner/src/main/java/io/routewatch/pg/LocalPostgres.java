package io.routewatch.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server on a free 127.0.0.1 port in a temp dir, from the Debian binaries
 * ({@code /usr/lib/postgresql/N/bin}, package {@code postgresql}). One helper for every test and
 * for {@code make run}: no Docker here, so no Dev Services or Testcontainers.
 *
 * <p>initdb refuses to run as root, so as root every server command runs as the {@code postgres}
 * user through {@code runuser}; the data dir is handed to that user. Start takes ~1 s.
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String USER = "routewatch";
  public static final String DATABASE = "routewatch";

  private final Path binDir;
  private final Path baseDir;
  private final Path dataDir;
  private final int port;
  private final boolean asPostgresUser;
  private volatile boolean running;

  private LocalPostgres(Path binDir, Path baseDir, int port) {
    this.binDir = binDir;
    this.baseDir = baseDir;
    this.dataDir = baseDir.resolve("data");
    this.port = port;
    this.asPostgresUser = "root".equals(System.getProperty("user.name"));
  }

  /** Creates, initialises and starts a server; fails with a message naming what is missing. */
  public static LocalPostgres start() {
    Path bin = findBinDir();
    try {
      Path base = Files.createTempDirectory("routewatch-pg-");
      LocalPostgres pg = new LocalPostgres(bin, base, freePort());
      pg.init();
      pg.startServer();
      pg.createDatabase();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare a temp dir for PostgreSQL", e);
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public String username() {
    return USER;
  }

  public String password() {
    return "";
  }

  public boolean isRunning() {
    return running;
  }

  /**
   * Stops the server immediately, keeping the data dir, so {@link #restart()} can bring it back.
   */
  public synchronized void stopServer() {
    if (!running) {
      return;
    }
    run(
        Duration.ofSeconds(30),
        pg("pg_ctl"),
        "-D",
        dataDir.toString(),
        "-m",
        "immediate",
        "-w",
        "stop");
    running = false;
  }

  /** Starts the server again on the same port and data dir. */
  public synchronized void restart() {
    if (!running) {
      startServer();
    }
  }

  /** Stops the server and deletes its files. */
  @Override
  public synchronized void close() {
    try {
      stopServer();
    } finally {
      deleteTree(baseDir);
    }
  }

  private void init() throws IOException {
    if (asPostgresUser) {
      // The postgres user must own the directory and be able to reach it.
      run(Duration.ofSeconds(10), "chown", "-R", "postgres:postgres", baseDir.toString());
      run(Duration.ofSeconds(10), "chmod", "755", baseDir.toString());
    }
    run(
        Duration.ofSeconds(60),
        pg("initdb"),
        "-D",
        dataDir.toString(),
        "-U",
        USER,
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C",
        "-N");
  }

  private synchronized void startServer() {
    String opts =
        "-p "
            + port
            + " -k "
            + baseDir
            + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c max_connections=100";
    run(
        Duration.ofSeconds(60),
        pg("pg_ctl"),
        "-D",
        dataDir.toString(),
        "-l",
        baseDir.resolve("postgres.log").toString(),
        "-w",
        "-t",
        "50",
        "-o",
        opts,
        "start");
    running = true;
  }

  private void createDatabase() {
    createDatabase(DATABASE);
  }

  /**
   * Creates another database on this server (one per state shard in a test) and returns its JDBC
   * URL; the name must be a plain identifier.
   */
  public String database(String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    createDatabase(name);
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  private void createDatabase(String name) {
    run(
        Duration.ofSeconds(30),
        binDir.resolve("createdb").toString(),
        "-h",
        "127.0.0.1",
        "-p",
        Integer.toString(port),
        "-U",
        USER,
        name);
  }

  private String[] pg(String tool) {
    String exe = binDir.resolve(tool).toString();
    return asPostgresUser
        ? new String[] {"runuser", "-u", "postgres", "--", exe}
        : new String[] {exe};
  }

  private void run(Duration timeout, Object... parts) {
    List<String> cmd = new ArrayList<>();
    for (Object p : parts) {
      if (p instanceof String[] a) {
        cmd.addAll(List.of(a));
      } else {
        cmd.add(p.toString());
      }
    }
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).directory(baseDir.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("PostgreSQL: timed out running " + cmd);
      }
      if (p.exitValue() != 0) {
        String log = "";
        Path logFile = baseDir.resolve("postgres.log");
        if (Files.exists(logFile)) {
          log = "\n--- postgres.log ---\n" + Files.readString(logFile);
        }
        throw new IllegalStateException(
            "PostgreSQL: "
                + String.join(" ", cmd)
                + " failed with exit code "
                + p.exitValue()
                + ":\n"
                + new String(out, StandardCharsets.UTF_8)
                + log);
      }
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL: cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("PostgreSQL: interrupted running " + cmd, e);
    }
  }

  /** Newest {@code /usr/lib/postgresql/N/bin} with initdb, or {@code $ROUTEWATCH_PG_BIN}. */
  static Path findBinDir() {
    String env = System.getenv("ROUTEWATCH_PG_BIN");
    if (env != null && !env.isBlank()) {
      return Paths.get(env);
    }
    Path root = Paths.get("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        return versions
            .map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparingInt(LocalPostgres::version))
            .orElseThrow(LocalPostgres::missing);
      } catch (IOException e) {
        throw missing();
      }
    }
    throw missing();
  }

  private static int version(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static IllegalStateException missing() {
    return new IllegalStateException(
        "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install the Debian"
            + " package 'postgresql' (scripts/deps.sh does it) or set ROUTEWATCH_PG_BIN.");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp dir left behind is not worth failing a test run for
    }
  }

  /**
   * {@code make run} entry point: starts a server, writes its JDBC URL to the file given as the
   * first argument (if any), prints it, and stops it on Ctrl-C / SIGTERM.
   */
  public static void main(String[] args) throws Exception {
    LocalPostgres pg = start();
    Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "pg-stop"));
    String url = pg.jdbcUrl();
    if (args.length > 0) {
      Files.writeString(Paths.get(args[0]), url + "\n");
    }
    System.out.println("PostgreSQL ready: " + url + " (user " + USER + ")");
    System.out.flush();
    Thread.currentThread().join();
  }
}
