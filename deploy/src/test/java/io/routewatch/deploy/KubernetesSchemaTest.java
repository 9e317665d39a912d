package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rendered object (all four flavours, and k8s/) validates against the Kubernetes OpenAPI
 * schemas of npm kubernetes-models 5.1.0; ServiceMonitor/PrometheusRule against
 * {@code @kubernetes-models/prometheus-operator}, Certificate against
 * {@code @kubernetes-models/cert-manager}. deploy/node/validate.mjs does the validation; {@code npm
 * ci} installs its locked dependencies on first use.
 */
class KubernetesSchemaTest {
  private static final Path NODE_DIR = Flavour.CHART.root().resolve("deploy/node");

  @BeforeAll
  static void installValidator() throws Exception {
    assumeTrue(onPath("node"), "node is not installed: Kubernetes schema validation skipped");
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/kubernetes-models"))) {
      assumeTrue(onPath("npm"), "npm is not installed: cannot install deploy/node dependencies");
      Result r = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
      assertEquals(0, r.exit, "npm ci failed:\n" + r.output);
    }
  }

  @Test
  void renderedObjectsValidateAgainstKubernetesSchemas(@TempDir Path tmp) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("node", NODE_DIR.resolve("validate.mjs").toString()));
    for (Flavour f : Flavour.values()) {
      Path file = tmp.resolve(f.name().toLowerCase() + ".yaml");
      Files.writeString(file, f.render(), StandardCharsets.UTF_8);
      args.add(file.toString());
    }
    args.add(Flavour.CHART.root().resolve(RenderK8s.OUTPUT).toString());
    Result r = run(args, 120);
    JsonNode json = new ObjectMapper().readTree(r.output.lines().reduce((a, b) -> b).orElse("{}"));
    System.out.println("kubernetes-models: " + json);
    assertEquals(0, r.exit, "schema validation failed:\n" + r.output);
    assertTrue(json.get("errors").isEmpty(), r.output);
    assertTrue(json.get("noSchema").isEmpty(), "objects without a schema: " + json.get("noSchema"));
    int expected = 0;
    for (Flavour f : Flavour.values()) {
      expected += f.documents().size();
    }
    expected += Chart.documents(Flavour.DEFAULT.render()).size(); // k8s/ holds the default render
    assertEquals(expected, json.get("validated").asInt());
  }

  @Test
  void validatorRejectsAnInvalidObject(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: x}
        spec:
          ports:
            - port: "179"
              protocol: SCTPX
        """);
    Result r =
        run(List.of("node", NODE_DIR.resolve("validate.mjs").toString(), bad.toString()), 60);
    assertEquals(1, r.exit, r.output);
    assertTrue(r.output.contains("ports/0/port"), r.output);
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
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
