package io.routewatch.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A routing daemon run unprivileged ({@code setpriv} to nobody, which execs in place so the process
 * is the daemon), output in a log file of its own work directory. {@link #close} stops it (SIGTERM,
 * then SIGKILL after 5 s); tests use try-with-resources so it dies on failure too.
 */
final class Daemon implements AutoCloseable {
  final String name;
  final Path dir;
  private final Process process;

  private Daemon(String name, Path dir, Process process) {
    this.name = name;
    this.dir = dir;
    this.process = process;
  }

  /** A work directory nobody can write (pid files, sockets) and read (configs). */
  static Path workDir(String name) throws IOException {
    Path d = Files.createTempDirectory("rw-" + name + "-");
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
    return d;
  }

  static Path write(Path dir, String file, String text) throws IOException {
    Path p = dir.resolve(file);
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  static Daemon start(String name, Path dir, Map<String, String> env, String... cmd)
      throws IOException {
    List<String> c =
        new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    c.addAll(List.of(cmd));
    ProcessBuilder pb =
        new ProcessBuilder(c)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
    pb.environment().putAll(env);
    return new Daemon(name, dir, pb.start());
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: what a crash looks like (the kernel closes its TCP connections). */
  void kill() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly); // e.g. ExaBGP's API process
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String log() {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /** Runs a command to completion (bounded) and returns its output. */
  static String run(java.time.Duration timeout, String... cmd)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", cmd));
    }
    return new String(out);
  }
}
