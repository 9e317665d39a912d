package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** k8s/routewatch.yaml is exactly what `make k8s` renders from the chart today. */
class K8sManifestsTest {
  @Test
  void committedManifestsEqualAFreshRender() throws Exception {
    Path committed = Flavour.CHART.root().resolve(RenderK8s.OUTPUT);
    assertEquals(
        RenderK8s.manifests(Flavour.CHART),
        Files.readString(committed),
        "k8s/ drifted from helm/routewatch: run `make k8s` and commit k8s/");
  }
}
