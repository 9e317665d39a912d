package io.routewatch.e2e.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.routewatch.deploy.Chart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A Kubernetes cluster on one machine, from rendered manifests: each Deployment and StatefulSet pod
 * a process in its own network namespace ({@link Pod}), each Service a virtual address
 * (198.18.1.0/24) rewritten to its pod by DNAT in every namespace, as kube-proxy does, with the
 * usual DNS names in every namespace's hosts file, and each NetworkPolicy enforced with iptables in
 * the pod's namespace (ingress: only the selected peers may open connections; the node, where the
 * kubelet's probes come from, always may). Hosts outside the chart (routers, Alertmanager, a
 * client) are added with {@link #addExternal}. {@link #close()} removes every process, namespace,
 * rule, file and directory it made.
 */
public final class Cluster implements AutoCloseable {
  /** A host that is not one of the chart's pods. */
  public record External(
      String host,
      String ip,
      String namespace,
      Map<String, String> labels,
      List<String> dnsNames) {}

  /** A host as NetworkPolicy peers see it. */
  private record Peer(String host, String ip, String namespace, Map<String, String> labels) {}

  final Manifests manifests;
  final Network net;
  final Path work;
  final Path repo;
  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final Map<String, External> externals = new LinkedHashMap<>();
  private final Map<String, String> serviceIps = new TreeMap<>();
  private final Map<String, List<String>> names = new TreeMap<>(); // ip -> DNS names
  private final Set<Path> createdDirs = ConcurrentHashMap.newKeySet();
  private final List<String> report = new ArrayList<>();
  private final List<Process> daemons = new ArrayList<>();
  private int nextPodIp = 10;
  private int nextServiceIp = 10;

  /** The chart rendered with a values file of its own (e.g. "ci/values-cluster.yaml"). */
  public static Manifests render(Path repo, String valuesFile) {
    Chart chart = new Chart(repo);
    return new Manifests(Chart.NAMESPACE, Chart.documents(chart.render(chart.values(valuesFile))));
  }

  public Cluster(Path repo, Manifests manifests, Path work, String id) throws IOException {
    this.repo = repo;
    this.manifests = manifests;
    this.work = work;
    Files.createDirectories(work);
    this.net = new Network(id);
    try {
      plan();
    } catch (RuntimeException | IOException e) {
      close();
      throw e;
    }
  }

  /** Every pod of the manifests gets a namespace and an address (StatefulSets keep their names). */
  private void plan() throws IOException {
    for (StatefulSet s : manifests.statefulSets()) {
      int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
      List<String> claims =
          s.getSpec().getVolumeClaimTemplates() == null
              ? List.of()
              : s.getSpec().getVolumeClaimTemplates().stream()
                  .map(PersistentVolumeClaim::getMetadata)
                  .map(m -> m.getName())
                  .toList();
      for (int i = 0; i < replicas; i++) {
        String name = s.getMetadata().getName() + "-" + i;
        addPod(name, s.getSpec().getTemplate(), claims);
        String ip = pods.get(name).ip;
        String sub = s.getSpec().getServiceName() + "." + manifests.namespace;
        dns(
            ip,
            name + "." + sub,
            name + "." + sub + ".svc",
            name + "." + sub + ".svc.cluster.local");
      }
    }
    for (var d : manifests.deployments()) {
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      for (int i = 0; i < replicas; i++) {
        addPod(d.getMetadata().getName() + "-" + i, d.getSpec().getTemplate(), List.of());
      }
    }
  }

  private void addPod(String name, PodTemplateSpec t, List<String> claims) {
    String ip = "198.18.0." + nextPodIp++;
    net.addHost(name, ip);
    Map<String, String> labels =
        t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels();
    pods.put(
        name,
        new Pod(name, name, labels, t.getSpec(), claims, manifests, net, repo, work, createdDirs));
  }

  private void dns(String ip, String... n) {
    names.computeIfAbsent(ip, k -> new ArrayList<>()).addAll(List.of(n));
  }

  /** A host outside the chart (router, Alertmanager, client) in a namespace of its own name. */
  public String addExternal(External e) {
    externals.put(e.host(), e);
    net.addHost(e.host(), e.ip());
    e.dnsNames().forEach(n -> dns(e.ip(), n));
    return net.ns(e.host());
  }

  /** Services, hosts files and network policies: call after every external host is added. */
  public void wire() throws IOException {
    for (Service s : manifests.services()) {
      String name = s.getMetadata().getName();
      List<Pod> selected =
          pods.values().stream()
              .filter(
                  p ->
                      s.getSpec().getSelector() != null
                          && p.labels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
              .toList();
      String[] svcNames = {
        name,
        name + "." + manifests.namespace,
        name + "." + manifests.namespace + ".svc",
        name + "." + manifests.namespace + ".svc.cluster.local"
      };
      if ("None".equals(s.getSpec().getClusterIP())) {
        selected.forEach(p -> dns(p.ip, svcNames));
        report.add(
            String.format(
                "service %-34s headless -> %s", name, selected.stream().map(p -> p.ip).toList()));
        continue;
      }
      if (selected.isEmpty()) {
        throw new IllegalStateException("Service " + name + " selects no pod");
      }
      String cip = "198.18.1." + nextServiceIp++;
      serviceIps.put(name, cip);
      dns(cip, svcNames);
      Pod target = selected.get(0); // one endpoint per Service in these topologies
      List<String> ports = new ArrayList<>();
      for (ServicePort sp : s.getSpec().getPorts()) {
        IntOrString tp =
            sp.getTargetPort() == null ? new IntOrString(sp.getPort()) : sp.getTargetPort();
        int podPort = target.port(tp);
        for (String host : net.hosts()) {
          net.iptables(
              host,
              "-t",
              "nat",
              "-A",
              "OUTPUT",
              "-d",
              cip + "/32",
              "-p",
              "tcp",
              "--dport",
              String.valueOf(sp.getPort()),
              "-j",
              "DNAT",
              "--to-destination",
              target.ip + ":" + podPort);
        }
        ports.add(sp.getPort() + "->" + target.ip + ":" + podPort);
      }
      report.add(String.format("service %-34s %s %s", name, cip, ports));
    }
    for (String host : net.hosts()) {
      net.hostsFile(host, names);
    }
    for (Pod p : pods.values()) {
      applyPolicies(p);
    }
  }

  private List<Peer> peers() {
    List<Peer> all = new ArrayList<>();
    pods.values().forEach(p -> all.add(new Peer(p.host, p.ip, manifests.namespace, p.labels)));
    externals.values().forEach(e -> all.add(new Peer(e.host(), e.ip(), e.namespace(), e.labels())));
    return all;
  }

  /** NetworkPolicy (ingress) as iptables rules in the pod's namespace. */
  private void applyPolicies(Pod pod) {
    List<NetworkPolicy> policies =
        manifests.networkPolicies().stream()
            .filter(np -> Manifests.selects(np.getSpec().getPodSelector(), pod.labels))
            .filter(
                np ->
                    np.getSpec().getPolicyTypes() == null
                        || np.getSpec().getPolicyTypes().contains("Ingress"))
            .toList();
    if (policies.isEmpty()) {
      report.add(String.format("policy  %-34s none: every peer admitted", pod.name));
      return;
    }
    net.iptables(pod.host, "-A", "INPUT", "-i", "lo", "-j", "ACCEPT");
    net.iptables(pod.host, "-A", "INPUT", "-s", Network.NODE_IP, "-j", "ACCEPT"); // kubelet probes
    List<String> admitted = new ArrayList<>();
    for (NetworkPolicy np : policies) {
      for (NetworkPolicyIngressRule rule :
          np.getSpec().getIngress() == null
              ? List.<NetworkPolicyIngressRule>of()
              : np.getSpec().getIngress()) {
        List<String> sources = new ArrayList<>();
        if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
          sources.add(null);
        } else {
          for (NetworkPolicyPeer peer : rule.getFrom()) {
            sources.addAll(sources(peer));
          }
        }
        List<Integer> ports = new ArrayList<>();
        if (rule.getPorts() == null || rule.getPorts().isEmpty()) {
          ports.add(null);
        } else {
          for (NetworkPolicyPort p : rule.getPorts()) {
            ports.add(pod.port(p.getPort()));
          }
        }
        for (String src : sources) {
          for (Integer port : ports) {
            List<String> args = new ArrayList<>(List.of("-A", "INPUT"));
            if (src != null) {
              args.addAll(List.of("-s", src));
            }
            args.addAll(List.of("-p", "tcp"));
            if (port != null) {
              args.addAll(List.of("--dport", String.valueOf(port)));
            }
            args.addAll(List.of("-j", "ACCEPT"));
            net.iptables(pod.host, args.toArray(String[]::new));
            admitted.add((src == null ? "any" : src) + ":" + (port == null ? "*" : port));
          }
        }
      }
    }
    // new connections from anyone else are refused; replies to the pod's own connections pass
    net.iptables(
        pod.host,
        "-A",
        "INPUT",
        "-p",
        "tcp",
        "--syn",
        "-j",
        "REJECT",
        "--reject-with",
        "tcp-reset");
    report.add(String.format("policy  %-34s admits %s", pod.name, admitted));
  }

  private List<String> sources(NetworkPolicyPeer peer) {
    if (peer.getIpBlock() != null) {
      return List.of(peer.getIpBlock().getCidr());
    }
    List<String> ips = new ArrayList<>();
    for (Peer p : peers()) {
      boolean namespaceOk =
          peer.getNamespaceSelector() == null
              ? p.namespace().equals(manifests.namespace)
              : Manifests.selects(
                  peer.getNamespaceSelector(),
                  Map.of("kubernetes.io/metadata.name", p.namespace()));
      boolean podOk =
          peer.getPodSelector() == null || Manifests.selects(peer.getPodSelector(), p.labels());
      if (namespaceOk && podOk) {
        ips.add(p.ip() + "/32");
      }
    }
    return ips;
  }

  public Pod pod(String name) {
    Pod p = pods.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no pod " + name + " in " + pods.keySet());
    }
    return p;
  }

  /** The pod of a routewatch service ("state", "alert", "collector") or "postgres". */
  public Pod podOf(String service) {
    return pods.values().stream()
        .filter(p -> service.equals("postgres") ? p.isPostgres() : service.equals(p.service()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no pod for " + service));
  }

  public String serviceIp(String service) {
    String ip = serviceIps.get(service);
    if (ip == null) {
      throw new IllegalArgumentException("no Service " + service + " in " + serviceIps.keySet());
    }
    return ip;
  }

  /** Starts every pod, the database first, then state, then the rest; waits until all are Ready. */
  public void startAll(Duration limit) throws IOException, InterruptedException {
    for (int rank = 0; rank <= 2; rank++) {
      final int r = rank;
      List<Pod> wave = pods.values().stream().filter(p -> rank(p) == r).toList();
      for (Pod p : wave) {
        p.start();
      }
      for (Pod p : wave) {
        double s = p.awaitReady(limit);
        report.add(String.format("pod     %-34s %s Ready in %.1f s", p.name, p.ip, s));
      }
    }
  }

  private static int rank(Pod p) {
    return p.isPostgres() ? 0 : "state".equals(p.service()) ? 1 : 2;
  }

  /**
   * Starts a daemon of an external host (router, Alertmanager) in that host's namespace as nobody;
   * its output goes to {@code <work>/<name>.log}. It is killed with the namespace.
   */
  public Process startIn(String host, String name, Map<String, String> env, List<String> cmd)
      throws IOException {
    List<String> c =
        new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    c.addAll(cmd);
    ProcessBuilder pb =
        new ProcessBuilder(Pod.session(net.exec(host, c)))
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    daemons.add(p);
    return p;
  }

  /** A directory for an external daemon's files, readable and writable by nobody. */
  public Path daemonDir(String name) throws IOException {
    Path d = work.resolve(name);
    Files.createDirectories(d);
    Sh.run("chmod", "777", d.toString());
    return d;
  }

  public List<String> report() {
    return report;
  }

  public void note(String line) {
    report.add(line);
  }

  @Override
  public void close() {
    for (Process d : daemons) {
      d.descendants().forEach(ProcessHandle::destroyForcibly);
      d.destroyForcibly();
    }
    for (Pod p : pods.values()) {
      try {
        p.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    net.close();
    for (Path top : createdDirs) {
      try (Stream<Path> walk = Files.walk(top)) {
        List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
        for (Path p : all) {
          if (Files.isDirectory(p)) {
            Files.deleteIfExists(
                p); // mount points only: a file left in one stays, and so does its dir
          }
        }
      } catch (IOException e) {
        System.err.println("cluster: could not remove mount point " + top + ": " + e.getMessage());
      }
    }
  }
}
