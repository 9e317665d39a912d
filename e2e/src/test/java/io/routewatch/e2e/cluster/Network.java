package io.routewatch.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The cluster's network on one machine: a bridge owned by this run with the node at 198.18.0.1 (RFC
 * 2544 space, never routed), and one network namespace per "host" (pod, router, client) with its
 * own address on the bridge. Names are resolved per namespace through {@code
 * /etc/netns/NAME/hosts}, which {@code ip netns exec} mounts over /etc/hosts. Everything is removed
 * by {@link #close()}, and leftovers of an earlier run with the same id at start.
 */
final class Network implements AutoCloseable {
  static final String NODE_IP = "198.18.0.1";

  final String id;
  private final String bridge;
  private final Map<String, String> namespaces = new LinkedHashMap<>(); // host -> netns
  private final Map<String, String> addresses = new LinkedHashMap<>(); // host -> ip
  private int veths;

  Network(String id) {
    this.id = id;
    this.bridge = id + "br";
    removeLeftovers();
    Sh.run("ip", "link", "add", bridge, "type", "bridge");
    Sh.run("ip", "addr", "add", NODE_IP + "/24", "dev", bridge);
    Sh.run("ip", "link", "set", bridge, "up");
    String via = Sh.run("ip", "route", "get", "198.18.0.10");
    if (!via.contains("dev " + bridge + " ")) {
      close();
      throw new IllegalStateException(
          "198.18.0.0/24 is routed elsewhere on this machine (another cluster run?): "
              + via.trim());
    }
  }

  /** A new host (network namespace) with its address on the bridge. */
  synchronized String addHost(String host, String ip) {
    String ns = id + "-" + host;
    String veth = id + "v" + (veths++);
    Sh.run("ip", "netns", "add", ns);
    namespaces.put(host, ns);
    addresses.put(host, ip);
    Sh.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
    Sh.run("ip", "link", "set", veth, "master", bridge, "up");
    Sh.run("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "eth0");
    Sh.run("ip", "-n", ns, "link", "set", "eth0", "up");
    Sh.run("ip", "-n", ns, "link", "set", "lo", "up");
    // Service addresses (198.18.1.0/24) are rewritten to pod addresses before they leave
    Sh.run("ip", "-n", ns, "route", "add", "198.18.1.0/24", "dev", "eth0");
    return ns;
  }

  String ns(String host) {
    String ns = namespaces.get(host);
    if (ns == null) {
      throw new IllegalArgumentException("no host " + host);
    }
    return ns;
  }

  String ip(String host) {
    return addresses.get(host);
  }

  List<String> hosts() {
    return new ArrayList<>(namespaces.keySet());
  }

  /** Writes the host's /etc/hosts: its own name and every name given (ip -> names). */
  void hostsFile(String host, Map<String, List<String>> names) throws IOException {
    Path dir = Path.of("/etc/netns", ns(host));
    Files.createDirectories(dir);
    Map<String, List<String>> all = new TreeMap<>(names);
    StringBuilder b = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost\n");
    b.append(ip(host)).append('\t').append(host).append('\n');
    all.forEach(
        (ip, n) ->
            b.append(ip)
                .append('\t')
                .append(n.stream().distinct().collect(Collectors.joining(" ")))
                .append('\n'));
    Files.writeString(dir.resolve("hosts"), b.toString());
  }

  /** iptables in the host's namespace. */
  void iptables(String host, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(host), "iptables", "-w"));
    cmd.addAll(List.of(args));
    Sh.run(java.time.Duration.ofSeconds(30), cmd);
  }

  /** A command run inside the host's namespace. */
  List<String> exec(String host, List<String> cmd) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns(host)));
    c.addAll(cmd);
    return c;
  }

  /** Whether a TCP connection from a host to ip:port is accepted within 2 s. */
  boolean canConnect(String fromHost, String ip, int port) {
    return Sh.tryRun(
            java.time.Duration.ofSeconds(5),
            exec(
                fromHost,
                List.of("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/" + ip + "/" + port)))
        .ok();
  }

  @Override
  public synchronized void close() {
    for (String ns : namespaces.values()) {
      removeNamespace(ns);
    }
    namespaces.clear();
    Sh.tryRun("ip", "link", "del", bridge);
  }

  private static void removeNamespace(String ns) {
    // a namespace outlives nothing: kill what still runs in it first
    String pids = Sh.tryRun("ip", "netns", "pids", ns).out().trim();
    if (!pids.isEmpty()) {
      List<String> kill = new ArrayList<>(List.of("kill", "-9"));
      kill.addAll(List.of(pids.split("\\s+")));
      Sh.tryRun(java.time.Duration.ofSeconds(5), kill);
    }
    Sh.tryRun("ip", "netns", "del", ns);
    Sh.tryRun("rm", "-rf", "/etc/netns/" + ns);
  }

  private void removeLeftovers() {
    for (String line : Sh.tryRun("ip", "netns", "list").out().split("\n")) {
      String ns = line.split("\\s+")[0];
      if (ns.startsWith(id + "-")) {
        removeNamespace(ns);
      }
    }
    Sh.tryRun("ip", "link", "del", bridge);
  }
}
