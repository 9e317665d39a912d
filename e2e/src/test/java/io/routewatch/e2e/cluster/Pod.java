package io.routewatch.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod of the rendered manifests, run as a process in its own network namespace the way a
 * kubelet would run its single container: the environment from env/envFrom (ConfigMaps, Secrets,
 * fieldRefs), each volume a directory bind-mounted at its rendered mountPath (ConfigMap and Secret
 * volumes as files, emptyDirs fresh per start, claims kept across restarts), the root filesystem
 * read-only when the securityContext says so, the image's user and fsGroup, and the probes polled
 * from the node.
 *
 * <p>Images are mapped to what this machine has: {@code routewatch-<service>} to the service's
 * runner jar (as the JVM image's run-java.sh starts it: JAVA_OPTS_APPEND, heap from the memory
 * limit), the PostgreSQL image to Debian's server binaries with the official entrypoint's first
 * start (user, password and database from its env). Debian's postgres user stands in for the
 * image's uid 999, which has no passwd entry here (initdb needs one).
 */
final class Pod implements AutoCloseable {
  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  static final String PG_BIN = pgBin();

  final String name;
  final String host;
  final String ip;
  final Map<String, String> labels;
  final PodSpec spec;
  final Container container;
  private final Manifests manifests;
  private final Network net;
  private final Path repo;
  private final Path root;
  private final List<String> claims;
  private final Set<Path> createdDirs;
  private Process process;
  private int starts;

  Pod(
      String name,
      String host,
      Map<String, String> labels,
      PodSpec spec,
      List<String> claims,
      Manifests manifests,
      Network net,
      Path repo,
      Path work,
      Set<Path> createdDirs) {
    this.name = name;
    this.host = host;
    this.ip = net.ip(host);
    this.labels = labels;
    this.spec = spec;
    this.container = spec.getContainers().get(0);
    this.claims = claims;
    this.manifests = manifests;
    this.net = net;
    this.repo = repo;
    this.root = work.resolve(name);
    this.createdDirs = createdDirs;
  }

  boolean isPostgres() {
    return container.getImage().contains("postgres");
  }

  /** The routewatch service of the image (collector, state, alert), or null. */
  String service() {
    Matcher m =
        Pattern.compile("routewatch-(collector|state|alert)[:@]").matcher(container.getImage());
    return m.find() ? m.group(1) : null;
  }

  /** The container port a Service or probe names (by number or by name). */
  int port(IntOrString p) {
    if (p.getIntVal() != null) {
      return p.getIntVal();
    }
    for (ContainerPort cp : container.getPorts()) {
      if (p.getStrVal().equals(cp.getName())) {
        return cp.getContainerPort();
      }
    }
    throw new IllegalStateException(name + ": no container port named " + p.getStrVal());
  }

  Path log() {
    return root.resolve("logs/" + container.getName() + "-" + starts + ".log");
  }

  Path claim(String claimName) {
    return root.resolve("pvc/" + claimName);
  }

  /** The directory behind a volume of the current start (what the container sees at its mount). */
  Path volume(String volumeName) {
    return claims.contains(volumeName)
        ? claim(volumeName)
        : root.resolve("run-" + starts + "/volumes/" + volumeName);
  }

  /** The environment Kubernetes would give the container. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "PATH",
        (isPostgres() ? PG_BIN + ":" : "")
            + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", name);
    env.put("HOME", "/tmp");
    if (container.getEnvFrom() != null) {
      for (EnvFromSource ef : container.getEnvFrom()) {
        String prefix = ef.getPrefix() == null ? "" : ef.getPrefix();
        if (ef.getConfigMapRef() != null) {
          manifests
              .configMap(ef.getConfigMapRef().getName())
              .getData()
              .forEach((k, v) -> env.put(prefix + k, v));
        }
        if (ef.getSecretRef() != null) {
          manifests.secret(ef.getSecretRef().getName()).forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    if (container.getEnv() != null) {
      for (EnvVar e : container.getEnv()) {
        env.put(e.getName(), value(e, env));
      }
    }
    return env;
  }

  private String value(EnvVar e, Map<String, String> env) {
    if (e.getValueFrom() == null) {
      String v = e.getValue() == null ? "" : e.getValue();
      Matcher m = VAR.matcher(v); // $(VAR): an earlier variable, as the kubelet expands it
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(b, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
      }
      return m.appendTail(b).toString();
    }
    var from = e.getValueFrom();
    if (from.getFieldRef() != null) {
      return switch (from.getFieldRef().getFieldPath()) {
        case "metadata.name" -> name;
        case "metadata.namespace" -> manifests.namespace;
        case "status.podIP" -> ip;
        case "status.hostIP" -> Network.NODE_IP;
        case "spec.nodeName" -> "node";
        default ->
            throw new IllegalStateException(
                name + ": fieldRef " + from.getFieldRef().getFieldPath());
      };
    }
    if (from.getSecretKeyRef() != null) {
      String v =
          manifests.secret(from.getSecretKeyRef().getName()).get(from.getSecretKeyRef().getKey());
      if (v == null) {
        throw new IllegalStateException(
            name
                + ": Secret "
                + from.getSecretKeyRef().getName()
                + " has no "
                + from.getSecretKeyRef().getKey());
      }
      return v;
    }
    if (from.getConfigMapKeyRef() != null) {
      return manifests
          .configMap(from.getConfigMapKeyRef().getName())
          .getData()
          .get(from.getConfigMapKeyRef().getKey());
    }
    throw new IllegalStateException(name + ": unsupported valueFrom in " + e.getName());
  }

  private long uid() {
    if (isPostgres()) {
      return Long.parseLong(Sh.run("id", "-u", "postgres").trim());
    }
    SecurityContext c = container.getSecurityContext();
    if (c != null && c.getRunAsUser() != null) {
      return c.getRunAsUser();
    }
    PodSecurityContext p = spec.getSecurityContext();
    return p != null && p.getRunAsUser() != null ? p.getRunAsUser() : 65534;
  }

  private long gid() {
    if (isPostgres()) {
      return Long.parseLong(Sh.run("id", "-g", "postgres").trim());
    }
    PodSecurityContext p = spec.getSecurityContext();
    if (p != null && p.getFsGroup() != null) {
      return p.getFsGroup();
    }
    return p != null && p.getRunAsGroup() != null ? p.getRunAsGroup() : 65534;
  }

  private boolean readOnlyRoot() {
    SecurityContext c = container.getSecurityContext();
    return c != null && Boolean.TRUE.equals(c.getReadOnlyRootFilesystem());
  }

  /** Starts the container (a fresh start: new emptyDirs, same claims). */
  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is running");
    }
    starts++;
    Path run = root.resolve("run-" + starts);
    Files.createDirectories(run);
    Files.createDirectories(root.resolve("logs"));
    long uid = uid();
    long gid = gid();
    Map<String, Path> volumes = new LinkedHashMap<>();
    for (String claim : claims) {
      Path p = claim(claim);
      Files.createDirectories(p);
      volumes.put(claim, p);
    }
    for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
      Path p = run.resolve("volumes/" + v.getName());
      Files.createDirectories(p);
      if (v.getConfigMap() != null) {
        for (var e : manifests.configMap(v.getConfigMap().getName()).getData().entrySet()) {
          Files.writeString(p.resolve(e.getKey()), e.getValue());
        }
      } else if (v.getSecret() != null) {
        for (var e : manifests.secret(v.getSecret().getSecretName()).entrySet()) {
          Files.writeString(p.resolve(e.getKey()), e.getValue());
        }
      } else if (v.getPersistentVolumeClaim() != null) {
        p = claim(v.getPersistentVolumeClaim().getClaimName());
        Files.createDirectories(p);
      } else if (v.getEmptyDir() == null) {
        throw new IllegalStateException(
            name + ": volume type of " + v.getName() + " not supported here");
      }
      volumes.put(v.getName(), p);
    }
    for (Path p : volumes.values()) {
      Sh.run("chown", "-R", uid + ":" + gid, p.toString());
      Sh.run("chmod", "u+rwX,g+rwX", p.toString());
    }
    StringBuilder script = new StringBuilder("#!/bin/bash\nset -euo pipefail\n");
    for (VolumeMount m :
        container.getVolumeMounts() == null
            ? List.<VolumeMount>of()
            : container.getVolumeMounts()) {
      Path src = volumes.get(m.getName());
      if (src == null) {
        throw new IllegalStateException(name + ": mount of unknown volume " + m.getName());
      }
      mountPoint(Path.of(m.getMountPath()));
      script
          .append("mount --bind ")
          .append(q(src.toString()))
          .append(' ')
          .append(q(m.getMountPath()))
          .append('\n');
      if (Boolean.TRUE.equals(m.getReadOnly())) {
        script.append("mount -o remount,bind,ro ").append(q(m.getMountPath())).append('\n');
      }
    }
    if (readOnlyRoot()) {
      script.append("mount -o remount,bind,ro /\n");
    }
    String setpriv = "setpriv --reuid=" + uid + " --regid=" + gid + " --groups=" + gid + " --";
    script.append(Images.command(this, setpriv, repo));
    Path entry = run.resolve("entry.sh");
    Files.writeString(entry, script.toString());
    ProcessBuilder pb =
        // its own session: a Ctrl-C at the terminal reaches the harness, which stops the pods
        new ProcessBuilder(session(net.exec(host, List.of("bash", entry.toString()))))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    pb.environment().clear();
    pb.environment().putAll(environment());
    process = pb.start();
  }

  static List<String> session(List<String> cmd) {
    List<String> c = new ArrayList<>(List.of("setsid"));
    c.addAll(cmd);
    return c;
  }

  /** Creates a missing mount point (and remembers the topmost directory it created). */
  private void mountPoint(Path path) throws IOException {
    Path top = null;
    for (Path p = path; p != null && !Files.exists(p); p = p.getParent()) {
      top = p;
    }
    if (top != null) {
      Files.createDirectories(path);
      createdDirs.add(top);
    }
  }

  private static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as when a node dies or the OOM killer strikes. */
  synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, then SIGKILL after the rendered grace period. */
  synchronized void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    long grace =
        spec.getTerminationGracePeriodSeconds() == null
            ? 30
            : spec.getTerminationGracePeriodSeconds();
    process.destroy();
    if (!process.waitFor(grace, TimeUnit.SECONDS)) {
      kill();
    }
  }

  /** One probe, from the node (HTTP, TCP) or inside the pod (exec). */
  boolean probe(Probe p) {
    return Probes.passes(this, p);
  }

  /** A command run inside the pod's namespace as its user, with its environment. */
  List<String> execInPod(List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("env", "-i"));
    environment().forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.addAll(
        List.of("setpriv", "--reuid=" + uid(), "--regid=" + gid(), "--groups=" + gid(), "--"));
    cmd.addAll(command);
    return net.exec(host, cmd);
  }

  /**
   * Waits as the kubelet does: the startup probe until it passes (failureThreshold × period), then
   * the readiness probe. Returns the seconds it took.
   */
  double awaitReady(Duration limit) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + limit.toNanos();
    for (Probe p : new Probe[] {container.getStartupProbe(), container.getReadinessProbe()}) {
      while (!probe(p)) {
        if (!alive()) {
          throw new IllegalStateException(
              name
                  + " exited ("
                  + process.exitValue()
                  + ") before it was ready; log "
                  + log()
                  + ":\n"
                  + tail());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              name + " not ready in " + limit + "; log " + log() + ":\n" + tail());
        }
        Thread.sleep(
            p == null || p.getPeriodSeconds() == null
                ? 1000
                : Math.min(1000, p.getPeriodSeconds() * 1000L));
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String pgBin() {
    try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
      return dirs.map(d -> d.resolve("bin"))
          .filter(d -> Files.isExecutable(d.resolve("initdb")))
          .sorted()
          .reduce((a, b) -> b)
          .map(Path::toString)
          .orElse("/usr/lib/postgresql/15/bin");
    } catch (IOException e) {
      return "/usr/lib/postgresql/15/bin";
    }
  }
}
