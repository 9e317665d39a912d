package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * helm template with default, native, HA and minimal values: every object parses into fabric8 with
 * no unknown field, and the objects say what an operator expects (hardened pods, probes, ports,
 * Services, policies).
 */
class ChartRenderTest {
  private static List<HasMetadata> objects(Flavour f) {
    return f.documents().stream().map(StrictModel::parse).toList();
  }

  private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T named(
      List<HasMetadata> objects, Class<T> type, String name) {
    return of(objects, type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  private static Map<String, PodTemplateSpec> podTemplates(List<HasMetadata> objects) {
    Map<String, PodTemplateSpec> pods = new java.util.TreeMap<>();
    of(objects, Deployment.class)
        .forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
    of(objects, StatefulSet.class)
        .forEach(s -> pods.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
    return pods;
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void everyObjectParsesWithNoUnknownField(Flavour flavour) {
    List<String> unknown = new ArrayList<>();
    int typed = 0;
    for (HasMetadata o : objects(flavour)) {
      if (StrictModel.CRD_KINDS.contains(o.getKind())) {
        continue; // no fabric8 model in client-api: KubernetesSchemaTest validates these
      }
      unknown.addAll(StrictModel.unknownFields(o));
      typed++;
    }
    System.out.printf(
        "%s: %d objects, %d typed and walked%n", flavour, flavour.documents().size(), typed);
    assertTrue(unknown.isEmpty(), () -> flavour + ": unknown fields " + unknown);
    assertTrue(typed >= 15, flavour + ": too few objects: " + typed);
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void workloadsAreTheExpectedKinds(Flavour flavour) {
    List<HasMetadata> objects = objects(flavour);
    named(objects, Deployment.class, "routewatch-collector");
    named(objects, Deployment.class, "routewatch-alert");
    StatefulSet state = named(objects, StatefulSet.class, "routewatch-state");
    assertEquals("routewatch-state-headless", state.getSpec().getServiceName());
    // snapshots on a claim per pod, mounted where routewatch.state.snapshot.dir points
    assertEquals(
        "snapshots", state.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
    assertTrue(
        state.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
            .anyMatch(
                m ->
                    m.getName().equals("snapshots")
                        && m.getMountPath().equals("/var/lib/routewatch/snapshots")));
    assertTrue(state.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() >= 60);
    Service headless = named(objects, Service.class, "routewatch-state-headless");
    assertEquals("None", headless.getSpec().getClusterIP());
    assertTrue(headless.getSpec().getPublishNotReadyAddresses());
    boolean internalDb = flavour == Flavour.MINIMAL || flavour == Flavour.CLUSTER;
    assertEquals(
        internalDb,
        of(objects, StatefulSet.class).stream()
            .anyMatch(s -> s.getMetadata().getName().equals("routewatch-postgresql")));
    if (internalDb) {
      String image =
          named(objects, StatefulSet.class, "routewatch-postgresql")
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getImage();
      assertTrue(image.startsWith("docker.io/library/postgres:"), image);
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void podsAreHardened(Flavour flavour) {
    for (Map.Entry<String, PodTemplateSpec> e : podTemplates(objects(flavour)).entrySet()) {
      String pod = flavour + " " + e.getKey();
      PodSpec spec = e.getValue().getSpec();
      assertEquals(Boolean.TRUE, spec.getSecurityContext().getRunAsNonRoot(), pod);
      assertNotNull(spec.getSecurityContext().getRunAsUser(), pod);
      assertTrue(spec.getSecurityContext().getRunAsUser() > 0, pod);
      assertEquals("RuntimeDefault", spec.getSecurityContext().getSeccompProfile().getType(), pod);
      assertEquals(Boolean.FALSE, spec.getAutomountServiceAccountToken(), pod);
      Set<String> emptyDirs =
          spec.getVolumes().stream()
              .filter(v -> v.getEmptyDir() != null)
              .map(v -> v.getName())
              .collect(Collectors.toSet());
      for (Container c : spec.getContainers()) {
        var sc = c.getSecurityContext();
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), pod);
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), pod);
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), pod);
        assertTrue(
            sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), pod);
        assertTrue(
            c.getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals("/tmp") && emptyDirs.contains(m.getName())),
            pod + ": /tmp must be a writable emptyDir");
        for (ContainerPort p : c.getPorts()) {
          assertTrue(
              p.getContainerPort() >= 1024, pod + ": privileged port " + p.getContainerPort());
        }
        assertNotNull(c.getResources().getRequests().get("memory"), pod);
        assertNotNull(c.getResources().getLimits().get("memory"), pod);
        assertNotNull(c.getStartupProbe(), pod);
        assertNotNull(c.getReadinessProbe(), pod);
        assertNotNull(c.getLivenessProbe(), pod);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void servicesProbeQuarkusHealth(Flavour flavour) {
    boolean mtls = flavour == Flavour.HA; // clientAuth REQUIRED: the kubelet has no client cert
    for (Map.Entry<String, PodTemplateSpec> e : podTemplates(objects(flavour)).entrySet()) {
      if (e.getKey().endsWith("-postgresql")) {
        continue;
      }
      Container c = e.getValue().getSpec().getContainers().get(0);
      if (mtls) {
        assertEquals("http", c.getReadinessProbe().getTcpSocket().getPort().getStrVal());
        continue;
      }
      assertEquals("/q/health/started", path(c.getStartupProbe()), e.getKey());
      assertEquals("/q/health/ready", path(c.getReadinessProbe()), e.getKey());
      assertEquals("/q/health/live", path(c.getLivenessProbe()), e.getKey());
      assertEquals("http", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
    }
  }

  private static String path(Probe p) {
    return p.getHttpGet().getPath();
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void grpcPortsSayGrpcAndRoutersReachBgpAndBmp(Flavour flavour) {
    List<HasMetadata> objects = objects(flavour);
    for (String svc : List.of("routewatch-collector", "routewatch-state", "routewatch-alert")) {
      ServicePort grpc =
          named(objects, Service.class, svc).getSpec().getPorts().stream()
              .filter(p -> p.getName().equals("grpc"))
              .findFirst()
              .orElseThrow();
      assertEquals("grpc", grpc.getAppProtocol(), svc);
      assertEquals("http", grpc.getTargetPort().getStrVal(), svc);
    }
    Service routers = named(objects, Service.class, "routewatch-collector-routers");
    Map<String, ServicePort> ports =
        routers.getSpec().getPorts().stream()
            .collect(Collectors.toMap(ServicePort::getName, p -> p));
    assertEquals(179, ports.get("bgp").getPort());
    assertEquals("bgp", ports.get("bgp").getTargetPort().getStrVal());
    assertEquals("TCP", ports.get("bgp").getProtocol());
    Container collector =
        named(objects, Deployment.class, "routewatch-collector")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertEquals(
        1179,
        collector.getPorts().stream()
            .filter(p -> "bgp".equals(p.getName()))
            .findFirst()
            .orElseThrow()
            .getContainerPort());
    assertEquals(
        flavour != Flavour.MINIMAL, ports.containsKey("bmp"), "BMP is off in minimal only");
    if (flavour == Flavour.HA) {
      assertEquals("LoadBalancer", routers.getSpec().getType());
      assertEquals("Local", routers.getSpec().getExternalTrafficPolicy());
      assertEquals(
          List.of("192.0.2.0/24", "2001:db8::/32"),
          routers.getSpec().getLoadBalancerSourceRanges());
    } else {
      assertEquals("ClusterIP", routers.getSpec().getType());
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void configMapsUseQuarkusPropertiesInEnvForm(Flavour flavour) {
    List<HasMetadata> objects = objects(flavour);
    for (ConfigMap cm : of(objects, ConfigMap.class)) {
      for (String key : cm.getData().keySet()) {
        // Named TLS configurations stay in property form: SmallRye Config ignores them in env form
        // (e2e SecurityIT), and Kubernetes accepts dots and dashes in env names.
        assertTrue(
            key.matches("[A-Z][A-Z0-9_]*")
                || key.matches("quarkus\\.tls\\.routewatch\\.[a-z0-9.-]+")
                || cm.getMetadata().getName().endsWith("-alert-watch"),
            cm.getMetadata().getName() + ": " + key);
      }
    }
    if (flavour == Flavour.HA) {
      Map<String, String> collector =
          named(objects, ConfigMap.class, "routewatch-collector").getData();
      assertEquals(
          "/etc/routewatch/tls/tls.crt",
          collector.get("quarkus.tls.routewatch.key-store.pem.0.cert"));
      assertEquals("false", collector.get("QUARKUS_GRPC_CLIENTS_STATE_PLAIN_TEXT"));
      assertEquals(
          "/etc/routewatch/tls/ca.crt",
          collector.get("QUARKUS_GRPC_CLIENTS_STATE_SSL_TRUST_STORE"));
    }
    Map<String, String> state = named(objects, ConfigMap.class, "routewatch-state").getData();
    assertEquals(
        "8082", state.get(flavour == Flavour.HA ? "QUARKUS_HTTP_SSL_PORT" : "QUARKUS_HTTP_PORT"));
    assertTrue(state.get("QUARKUS_DATASOURCE_JDBC_URL").startsWith("jdbc:postgresql://"));
    Map<String, String> collector =
        named(objects, ConfigMap.class, "routewatch-collector").getData();
    assertEquals("routewatch-state", collector.get("QUARKUS_GRPC_CLIENTS_STATE_HOST"));
    assertEquals("8082", collector.get("QUARKUS_GRPC_CLIENTS_STATE_PORT"));
    // the listeners bind the pod's address, or the routers Service reaches nothing
    assertEquals("0.0.0.0", collector.get("ROUTEWATCH_COLLECTOR_BGP_HOST"));
    assertEquals(
        flavour == Flavour.HA ? "64512" : "65000",
        collector.get("ROUTEWATCH_COLLECTOR_BGP_LOCAL_ASN"));
    assertEquals("/var/lib/routewatch/snapshots", state.get("ROUTEWATCH_STATE_SNAPSHOT_DIR"));
    assertTrue(
        state.get("ROUTEWATCH_WEB_ALERT_URL").matches("https?://routewatch-alert:8080"),
        state.get("ROUTEWATCH_WEB_ALERT_URL"));
    Map<String, String> alert = named(objects, ConfigMap.class, "routewatch-alert").getData();
    assertFalse(alert.get("ROUTEWATCH_ALERT_ALERTMANAGER_URLS").isBlank());
    if (flavour == Flavour.HA) {
      assertEquals(
          "http://alertmanager-0.alertmanager.monitoring.svc:9093,http://alertmanager-1.alertmanager.monitoring.svc:9093",
          alert.get("ROUTEWATCH_ALERT_ALERTMANAGER_URLS"));
      assertEquals("disabled", state.get("QUARKUS_HTTP_INSECURE_REQUESTS"));
      assertEquals("REQUIRED", state.get("QUARKUS_HTTP_SSL_CLIENT_AUTH"));
      assertEquals("false", collector.get("QUARKUS_GRPC_CLIENTS_STATE_PLAIN_TEXT"));
      assertEquals(
          "address=192.0.2.1;asn=64500;name=192.0.2.1",
          collector.get("ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS").split(",")[0]);
    }
  }

  /** Every ConfigMap/Secret a pod reads is rendered, or is an existing Secret the values name. */
  @ParameterizedTest
  @EnumSource(Flavour.class)
  void referencedConfigMapsAndSecretsExist(Flavour flavour) {
    List<HasMetadata> objects = objects(flavour);
    Set<String> rendered = new HashSet<>();
    of(objects, ConfigMap.class)
        .forEach(o -> rendered.add("ConfigMap/" + o.getMetadata().getName()));
    of(objects, Secret.class).forEach(o -> rendered.add("Secret/" + o.getMetadata().getName()));
    // HA names existing Secrets; default and native leave the API token to the operator (no
    // token in the chart's values), so the pods wait for that Secret
    Set<String> existing =
        flavour == Flavour.HA
            ? Set.of("Secret/routewatch-db", "Secret/routewatch-api-token", "Secret/routewatch-tls")
            : flavour == Flavour.DEFAULT || flavour == Flavour.NATIVE
                ? Set.of("Secret/routewatch-api-token")
                : Set.of();
    for (Map.Entry<String, PodTemplateSpec> e : podTemplates(objects).entrySet()) {
      PodSpec spec = e.getValue().getSpec();
      List<String> refs = new ArrayList<>();
      for (Container c : spec.getContainers()) {
        for (EnvFromSource s :
            Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
          if (s.getConfigMapRef() != null) refs.add("ConfigMap/" + s.getConfigMapRef().getName());
          if (s.getSecretRef() != null) refs.add("Secret/" + s.getSecretRef().getName());
        }
        for (EnvVar v : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
          if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
            refs.add("Secret/" + v.getValueFrom().getSecretKeyRef().getName());
          }
        }
      }
      spec.getVolumes().stream()
          .filter(v -> v.getSecret() != null)
          .forEach(v -> refs.add("Secret/" + v.getSecret().getSecretName()));
      for (String ref : refs) {
        assertTrue(
            rendered.contains(ref) || existing.contains(ref),
            flavour + " " + e.getKey() + " reads missing " + ref);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void policiesAndBudgetsFollowTheValues(Flavour flavour) {
    List<HasMetadata> objects = objects(flavour);
    Set<String> policies =
        of(objects, NetworkPolicy.class).stream()
            .map(p -> p.getMetadata().getName())
            .collect(Collectors.toSet());
    Set<String> budgets =
        of(objects, PodDisruptionBudget.class).stream()
            .map(p -> p.getMetadata().getName())
            .collect(Collectors.toSet());
    Set<String> components = Set.of("routewatch-collector", "routewatch-state", "routewatch-alert");
    if (flavour == Flavour.MINIMAL) {
      assertTrue(policies.isEmpty());
      assertTrue(budgets.isEmpty());
      return;
    }
    Set<String> withDb = new HashSet<>(components);
    withDb.add("routewatch-postgresql");
    assertEquals(flavour == Flavour.CLUSTER ? withDb : components, policies);
    assertEquals(components, budgets);
    NetworkPolicy state = named(objects, NetworkPolicy.class, "routewatch-state");
    Set<String> stateFrom =
        state.getSpec().getIngress().get(0).getFrom().stream()
            .filter(p -> p.getPodSelector() != null)
            .map(
                p ->
                    String.valueOf(
                        p.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")))
            .collect(Collectors.toSet());
    assertTrue(
        stateFrom.containsAll(Set.of("collector", "alert")),
        "state admits collector and alert: " + stateFrom);
    NetworkPolicy alert = named(objects, NetworkPolicy.class, "routewatch-alert");
    Set<String> alertFrom =
        alert.getSpec().getIngress().get(0).getFrom().stream()
            .filter(p -> p.getPodSelector() != null && p.getPodSelector().getMatchLabels() != null)
            .map(
                p ->
                    String.valueOf(
                        p.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")))
            .filter(c -> !c.equals("null"))
            .collect(Collectors.toSet());
    assertEquals(Set.of("state"), alertFrom, "only state (the page's alert panel) calls alert");
    NetworkPolicy collector = named(objects, NetworkPolicy.class, "routewatch-collector");
    boolean routerRule =
        collector.getSpec().getIngress().stream()
            .anyMatch(r -> r.getFrom().stream().anyMatch(p -> p.getIpBlock() != null));
    assertEquals(
        flavour == Flavour.HA || flavour == Flavour.CLUSTER,
        routerRule,
        "router CIDRs only when configured");
  }
}
