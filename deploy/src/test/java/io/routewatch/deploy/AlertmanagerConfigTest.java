package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Alertmanager configuration the chart ships (files/alertmanager.yml, issue 15 "one incident,
 * one page"): rendered into a ConfigMap with the receivers and timers of alertmanagerConfig, it
 * passes `amtool check-config` (amtool comes with the Debian prometheus-alertmanager package that
 * scripts/deps.sh installs); the file as shipped (what `make run` uses) passes too; the schema
 * refuses an enabled config without its two receivers.
 */
class AlertmanagerConfigTest {
  static final Path SHIPPED = Path.of("helm/routewatch/files/alertmanager.yml");

  /** Values enabling the config with webhook receivers on loopback and short timers. */
  static final String ENABLED =
      """
      alertmanagerConfig:
        enabled: true
        groupWait: 2s
        groupInterval: 3s
        repeatInterval: 1h
        receivers:
          routewatch-network:
            webhook_configs: [{url: "http://127.0.0.1:9/network", send_resolved: true}]
          routewatch-ops:
            webhook_configs: [{url: "http://127.0.0.1:9/ops", send_resolved: true}]
      """;

  /** The alertmanager.yml of the ConfigMap rendered with {@code values}. */
  static String rendered(Path values) {
    String out = Flavour.CHART.render(List.of(values), Map.of());
    return Chart.documents(out).stream()
        .map(StrictModel::parse)
        .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().endsWith("-alertmanager"))
        .map(o -> ((ConfigMap) o).getData().get("alertmanager.yml"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no <release>-alertmanager ConfigMap rendered"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void renderedConfigPassesAmtool(@TempDir Path tmp) throws Exception {
    Path values = tmp.resolve("values.yaml");
    Files.writeString(values, ENABLED);
    String yaml = rendered(values);
    Map<String, Object> cfg = new KubernetesSerialization().unmarshal(yaml, Map.class);
    Map<String, Object> route = (Map<String, Object>) cfg.get("route");
    assertEquals("2s", route.get("group_wait"));
    assertEquals("3s", route.get("group_interval"));
    assertEquals("1h", route.get("repeat_interval"));
    List<Map<String, Object>> receivers = (List<Map<String, Object>>) cfg.get("receivers");
    assertEquals(
        List.of("routewatch-network", "routewatch-ops"),
        receivers.stream().map(r -> r.get("name")).toList());
    assertTrue(yaml.contains("http://127.0.0.1:9/network"), yaml);
    // the inhibit rules and routes come from the shipped file unchanged
    Map<String, Object> shipped =
        new KubernetesSerialization()
            .unmarshal(Files.readString(Flavour.CHART.root().resolve(SHIPPED)), Map.class);
    assertEquals(shipped.get("inhibit_rules"), cfg.get("inhibit_rules"));
    assertEquals(((Map<String, Object>) shipped.get("route")).get("routes"), route.get("routes"));

    Path file = tmp.resolve("alertmanager.yml");
    Files.writeString(file, yaml);
    String out = amtool(file);
    assertTrue(out.contains("2 receivers"), out);
    assertTrue(out.contains("6 inhibit rules"), out);
  }

  /** `make run` starts Alertmanager with the file as it is (empty receivers). */
  @Test
  void shippedFilePassesAmtool() throws Exception {
    String out = amtool(Flavour.CHART.root().resolve(SHIPPED));
    assertTrue(out.contains("6 inhibit rules"), out);
  }

  /** Which receiver each kind of alert reaches (amtool config routes test on the shipped file). */
  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("routewatch-network", "alertname=VisibilityLoss asn=AS131279 country=KP"),
        Arguments.of(
            "routewatch-network",
            "alertname=VisibilityLoss asn=AS131279 country=KP prefix=175.45.176.0/24"),
        Arguments.of("routewatch-network", "alertname=NewUpstream asn=AS131279 upstream=AS20485"),
        Arguments.of("routewatch-network", "alertname=VisibilityLoss country=KP"),
        Arguments.of(
            "routewatch-network",
            "alertname=Hijack asn=AS36561 prefix=208.65.153.0/24 hijack=sub-prefix"),
        Arguments.of(
            "routewatch-network",
            "alertname=RpkiInvalid asn=AS36561 prefix=208.65.153.0/24 rov=invalid-origin"),
        Arguments.of(
            "routewatch-network", "alertname=RoutewatchWatchedNetworkNoUpstream asn=AS131279"),
        Arguments.of("routewatch-ops", "alertname=FeedStale feed=rislive:rrc00"),
        Arguments.of("routewatch-ops", "alertname=RoutewatchAlertStateLinkDown"),
        Arguments.of("routewatch-ops", "alertname=RoutewatchJournalBacklog"),
        Arguments.of("routewatch-ops", "alertname=SomethingElse"));
  }

  @ParameterizedTest(name = "{1} -> {0}")
  @MethodSource("routes")
  void routesBySubjectAndKind(String receiver, String labels) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "amtool",
                "config",
                "routes",
                "test",
                "--config.file=" + Flavour.CHART.root().resolve(SHIPPED)));
    cmd.addAll(List.of(labels.split(" ")));
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/amtool")) || onPath("amtool"), "no amtool");
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "amtool timed out");
    assertEquals(receiver, out, labels);
  }

  @Test
  void disabledByDefault() {
    String out = Flavour.DEFAULT.render();
    assertTrue(!out.contains("-alertmanager\n"), "ConfigMap rendered although disabled");
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("enabled without receivers", "alertmanagerConfig: {enabled: true}\n"),
        Arguments.of(
            "enabled without routewatch-ops",
            "alertmanagerConfig:\n  enabled: true\n  receivers:\n"
                + "    routewatch-network: {webhook_configs: [{url: 'http://127.0.0.1:9/'}]}\n"),
        Arguments.of(
            "an empty receiver (would silently drop pages)",
            "alertmanagerConfig:\n  enabled: true\n  receivers:\n"
                + "    routewatch-network: {}\n"
                + "    routewatch-ops: {webhook_configs: [{url: 'http://127.0.0.1:9/'}]}\n"),
        Arguments.of(
            "a receiver body that is not <kind>_configs",
            "alertmanagerConfig:\n  enabled: true\n  receivers:\n"
                + "    routewatch-network: {url: 'http://127.0.0.1:9/'}\n"
                + "    routewatch-ops: {webhook_configs: [{url: 'http://127.0.0.1:9/'}]}\n"),
        Arguments.of(
            "a receiver name the routes do not use",
            "alertmanagerConfig:\n  receivers:\n"
                + "    routewatch-pager: {webhook_configs: [{url: 'http://127.0.0.1:9/'}]}\n"),
        Arguments.of(
            "a duration Alertmanager cannot parse", "alertmanagerConfig: {groupWait: 1.5s}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void schemaRefuses(String rule, String yaml, @TempDir Path tmp) throws Exception {
    Path values = tmp.resolve("bad-values.yaml");
    Files.writeString(values, yaml);
    Exception e =
        assertThrows(
            Exception.class,
            () -> Flavour.CHART.render(List.of(values), Map.of()),
            () -> "schema accepted: " + rule + "\n" + yaml);
    String message = String.valueOf(e.getMessage());
    System.out.println(
        rule
            + ": "
            + message
                .lines()
                .filter(l -> l.contains("alertmanagerConfig"))
                .findFirst()
                .orElse(message));
    assertTrue(message.contains("schema"), () -> rule + ": not a schema error: " + message);
    assertTrue(
        message.contains("/alertmanagerConfig"),
        () -> rule + ": error does not name alertmanagerConfig: " + message);
  }

  static String amtool(Path file) throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/amtool")) || onPath("amtool"),
        "amtool is not installed (scripts/deps.sh test installs prometheus-alertmanager)");
    Process p =
        new ProcessBuilder("amtool", "check-config", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "amtool timed out");
    System.out.print("amtool: " + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("SUCCESS"), out);
    return out;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
