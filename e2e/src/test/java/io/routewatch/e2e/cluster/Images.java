package io.routewatch.e2e.cluster;

import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a rendered image runs on this machine (no container engine here): the tail of a pod's entry
 * script, after its mounts. {@code routewatch-<service>} is the service's runner jar started as the
 * JVM image's run-java.sh does ({@code JAVA_OPTS_APPEND}, the heap sized from the container's
 * memory limit); {@code postgres} is Debian's server with the official image's first start (user,
 * password and database from its environment; Debian's postgres user stands in for uid 999, which
 * has no passwd entry here and initdb needs one).
 */
final class Images {
  private Images() {}

  static String command(Pod pod, String setpriv, Path repo) {
    StringBuilder script = new StringBuilder();
    if (pod.isPostgres()) {
      // the official image's docker-entrypoint.sh on an empty data directory, then the server
      script.append(
          String.join(
              "\n",
              "if [ ! -s \"$PGDATA/PG_VERSION\" ]; then",
              "  "
                  + setpriv
                  + " bash -c 'set -e; umask 077; mkdir -p \"$PGDATA\"; printf %s \"$POSTGRES_PASSWORD\" > /tmp/.pw;"
                  + " initdb -D \"$PGDATA\" -U \"$POSTGRES_USER\" --pwfile=/tmp/.pw --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >/dev/null; rm -f /tmp/.pw;"
                  + " echo \"host all all 0.0.0.0/0 scram-sha-256\" >> \"$PGDATA/pg_hba.conf\";"
                  + " echo \"CREATE DATABASE \\\"${POSTGRES_DB:-$POSTGRES_USER}\\\";\" | postgres --single -D \"$PGDATA\" postgres >/dev/null'",
              "fi",
              "exec "
                  + setpriv
                  + " postgres -D \"$PGDATA\" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql -c fsync=off",
              ""));
    } else {
      String service = pod.service();
      if (service == null) {
        throw new IllegalStateException(
            pod.name + ": no local stand-in for image " + pod.container.getImage());
      }
      Path app = repo.resolve("services/" + service + "/target/quarkus-app");
      if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
        throw new IllegalStateException("build first: no " + app.resolve("quarkus-run.jar"));
      }
      List<String> java = new ArrayList<>(List.of("java"));
      String opts = pod.environment().getOrDefault("JAVA_OPTS_APPEND", "");
      for (String o : opts.trim().split("\\s+")) {
        if (!o.isEmpty()) {
          java.add(o);
        }
      }
      Quantity limit =
          pod.container.getResources() == null || pod.container.getResources().getLimits() == null
              ? null
              : pod.container.getResources().getLimits().get("memory");
      if (limit != null) {
        // the container's memory limit, as the JVM sees it from the cgroup
        java.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(limit).longValue());
      }
      java.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
      script.append("cd ").append(q(app.toString())).append('\n');
      script.append("exec ").append(setpriv);
      java.forEach(a -> script.append(' ').append(q(a)));
      script.append('\n');
    }
    return script.toString();
  }

  private static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
