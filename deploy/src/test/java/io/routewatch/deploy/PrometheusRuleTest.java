package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrometheusRule the chart renders carries the alert service's rules file, and those rules pass
 * `promtool check rules` (Prometheus 2.42 from Debian).
 */
class PrometheusRuleTest {
  private static final Path SERVICE_RULES =
      Path.of("services/alert/src/main/resources/routewatch.rules.yml");
  private static final Path CHART_RULES = Path.of("helm/routewatch/files/routewatch.rules.yml");

  @Test
  void renderedRulesPassPromtool(@TempDir Path tmp) throws Exception {
    String rendered = Flavour.CHART.render(List.of(), Map.of("prometheusRule.enabled", "true"));
    HasMetadata rule =
        Chart.documents(rendered).stream()
            .map(StrictModel::parse)
            .filter(o -> o.getKind().equals("PrometheusRule"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no PrometheusRule rendered"));
    Object spec = ((GenericKubernetesResource) rule).getAdditionalProperties().get("spec");
    // spec of a PrometheusRule is a Prometheus rules file ({groups: [...]}) as-is.
    Path rules = tmp.resolve("rendered.rules.yml");
    Files.writeString(rules, new KubernetesSerialization().asYaml(spec), StandardCharsets.UTF_8);

    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/promtool")) || onPath("promtool"),
        "promtool is not installed");
    Process p =
        new ProcessBuilder("promtool", "check", "rules", rules.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool timed out");
    System.out.print("promtool: " + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("SUCCESS"), out);
  }

  /** The chart's copy must be the alert service's file, byte for byte, once that file exists. */
  @Test
  void chartRulesAreTheAlertServiceRules() throws Exception {
    Path root = Flavour.CHART.root();
    Path service = root.resolve(SERVICE_RULES);
    assumeTrue(Files.exists(service), SERVICE_RULES + " does not exist yet: nothing to compare");
    assertEquals(
        Files.readString(service),
        Files.readString(root.resolve(CHART_RULES)),
        "helm/routewatch/files/routewatch.rules.yml differs from the alert service's: "
            + "cp "
            + SERVICE_RULES
            + " "
            + CHART_RULES);
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
