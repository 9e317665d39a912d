package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * values.schema.json rejects bad values: one case per rule, each a small values file over the
 * defaults that breaks exactly that rule; Helm must refuse to render and name the key.
 */
class ValuesSchemaTest {
  static Stream<Arguments> rules() {
    return Stream.of(
        rule("unknown top-level key (typo)", "colector:\n  replicas: 2\n", "colector"),
        rule("unknown nested key (typo)", "collector:\n  replica: 2\n", "replica"),
        rule("image.flavor is jvm or native", "image:\n  flavor: graal\n", "/image/flavor"),
        rule(
            "image.pullPolicy is a Kubernetes policy",
            "image:\n  pullPolicy: Sometimes\n",
            "/image/pullPolicy"),
        rule("replicas are not negative", "collector:\n  replicas: -1\n", "/collector/replicas"),
        rule("state has at least one replica", "state:\n  replicas: 0\n", "/state/replicas"),
        rule("replicas are integers", "alert:\n  replicas: two\n", "/alert/replicas"),
        rule(
            "container ports are unprivileged (no NET_BIND_SERVICE)",
            "collector:\n  bgp:\n    containerPort: 179\n",
            "/collector/bgp/containerPort"),
        rule(
            "service ports are 1..65535",
            "collector:\n  bgp:\n    port: 70000\n",
            "/collector/bgp/port"),
        rule(
            "router Service type is ClusterIP, NodePort or LoadBalancer",
            "collector:\n  routers:\n    type: ExternalName\n",
            "/collector/routers/type"),
        rule(
            "router CIDRs are CIDRs",
            "collector:\n  routers:\n    allowedCIDRs: [10.0.0.1]\n",
            "/collector/routers/allowedCIDRs/0"),
        rule(
            "NodePorts are in 30000..32767",
            "collector:\n  routers:\n    nodePorts:\n      bgp: 179\n",
            "/collector/routers/nodePorts/bgp"),
        rule(
            "externalTrafficPolicy is Local or Cluster",
            "collector:\n  routers:\n    externalTrafficPolicy: Nearest\n",
            "/collector/routers/externalTrafficPolicy"),
        rule(
            "ASN is 1..4294967294",
            "collector:\n  bgp:\n    asn: 4294967296\n",
            "/collector/bgp/asn"),
        rule(
            "ASN is not reserved (RFC 7300)",
            "collector:\n  bgp:\n    asn: 65535\n",
            "/collector/bgp/asn"),
        rule(
            "ASN is not AS_TRANS (RFC 6793)",
            "collector:\n  bgp:\n    asn: 23456\n",
            "/collector/bgp/asn"),
        rule(
            "max-prefix action is close or warn",
            "collector:\n  bgp:\n    neighbors:\n      - {address: 192.0.2.1, asn: 64500, maxPrefixAction: drop}\n",
            "/collector/bgp/neighbors/0/maxPrefixAction"),
        rule(
            "neighbours need address and ASN",
            "collector:\n  bgp:\n    neighbors:\n      - address: 192.0.2.1\n",
            "/collector/bgp/neighbors/0"),
        rule(
            "neighbour address is an IP address",
            "collector:\n  bgp:\n    neighbors:\n      - address: router1\n        asn: 64500\n",
            "/collector/bgp/neighbors/0/address"),
        rule(
            "database.mode is external or internal",
            "database:\n  mode: embedded\n",
            "/database/mode"),
        rule(
            "in-chart PostgreSQL needs a password",
            "database:\n  mode: internal\n",
            "/database/internal/password"),
        rule(
            "external database URL is a PostgreSQL JDBC URL",
            "database:\n  external:\n    url: postgres://db/routewatch\n",
            "/database/external/url"),
        rule(
            "at least one Alertmanager URL",
            "alert:\n  alertmanagerUrls: []\n",
            "/alert/alertmanagerUrls"),
        rule(
            "Alertmanager URLs are http(s) URLs",
            "alert:\n  alertmanagerUrls: [alertmanager:9093]\n",
            "/alert/alertmanagerUrls/0"),
        rule("TLS needs a Secret or cert-manager", "tls:\n  enabled: true\n", "/tls/secretName"),
        rule(
            "cert-manager needs an issuer",
            "tls:\n  enabled: true\n  certManager:\n    enabled: true\n",
            "/tls/certManager/issuerRef/name"),
        rule(
            "tls.clientAuth is NONE, REQUEST or REQUIRED",
            "tls:\n  clientAuth: MAYBE\n",
            "/tls/clientAuth"),
        rule(
            "an API token value has 16+ characters",
            "apiToken:\n  enabled: true\n  value: short\n",
            "/apiToken/value"),
        rule(
            "pods never run as root",
            "podSecurityContext:\n  runAsNonRoot: false\n",
            "/podSecurityContext/runAsNonRoot"),
        rule(
            "containers never escalate privileges",
            "containerSecurityContext:\n  allowPrivilegeEscalation: true\n",
            "/containerSecurityContext/allowPrivilegeEscalation"),
        rule(
            "resources have limits",
            "state:\n  resources:\n    limits: null\n",
            "/state/resources"),
        rule(
            "resource quantities are Kubernetes quantities",
            "collector:\n  resources:\n    limits:\n      memory: 1 GB\n",
            "/collector/resources/limits/memory"),
        rule(
            "durations are Go durations",
            "serviceMonitor:\n  interval: 30 seconds\n",
            "/serviceMonitor/interval"),
        rule(
            "Quarkus properties are scalars",
            "config:\n  quarkus.log.level:\n    nested: true\n",
            "/config/quarkus.log.level"),
        rule(
            "PDB maxUnavailable is at least 1",
            "alert:\n  pdb:\n    maxUnavailable: 0\n",
            "/alert/pdb/maxUnavailable"),
        rule(
            "podManagementPolicy is Parallel or OrderedReady",
            "state:\n  podManagementPolicy: Random\n",
            "/state/podManagementPolicy"),
        rule("nameOverride is a DNS label", "nameOverride: Route_Watch\n", "/nameOverride"));
  }

  private static Arguments rule(String name, String yaml, String pointer) {
    return Arguments.of(name, yaml, pointer);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void rejects(String rule, String yaml, String pointer, @TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad-values.yaml");
    Files.writeString(bad, yaml);
    Exception e =
        assertThrows(
            Exception.class,
            () -> Flavour.CHART.render(List.of(bad), Map.of()),
            () -> "schema accepted: " + rule + "\n" + yaml);
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains("schema"), () -> rule + ": not a schema error: " + message);
    assertTrue(
        message.contains(pointer),
        () -> rule + ": error does not name " + pointer + ": " + message);
  }

  /** The same keys with good values render: the rules above reject the value, not the key. */
  @Test
  void acceptsGoodValuesForTheSameKeys(@TempDir Path tmp) throws Exception {
    Path good = tmp.resolve("good-values.yaml");
    Files.writeString(
        good,
        """
        image: {flavor: native, pullPolicy: Always}
        collector:
          replicas: 0
          bgp:
            containerPort: 1179
            port: 179
            asn: 4294967294
            neighbors: [{address: "2001:db8::1", asn: 64500}, {address: 192.0.2.1, asn: 1}]
          routers:
            type: NodePort
            allowedCIDRs: [10.0.0.0/8, "fd00::/8"]
            nodePorts: {bgp: 30179, bmp: null}
            externalTrafficPolicy: Cluster
          resources: {limits: {memory: 1.5Gi}}
        state: {replicas: 3, podManagementPolicy: OrderedReady}
        alert:
          alertmanagerUrls: [https://am.example.org/prefix]
          pdb: {maxUnavailable: 50%}
        database: {mode: internal, internal: {password: try-it-out}}
        tls: {enabled: true, secretName: my-tls, clientAuth: REQUEST}
        apiToken: {enabled: true, value: 0123456789abcdef}
        serviceMonitor: {interval: 1m30s}
        config: {quarkus.log.level: DEBUG, quarkus.log.category."io.routewatch".level: TRACE}
        nameOverride: rw
        """);
    String out = Flavour.CHART.render(List.of(good), Map.of());
    assertTrue(out.contains("QUARKUS_LOG_CATEGORY__IO_ROUTEWATCH__LEVEL: \"TRACE\""), out);
    assertTrue(out.contains("nodePort: 30179"), out);
  }
}
