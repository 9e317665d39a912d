package io.routewatch.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The routewatch chart as Helm (helm-java, Helm v3 as a library) sees it: render with values files
 * and --set overrides, split the output into documents. No helm binary, no cluster.
 */
public final class Chart {
  /** Release name and namespace of every render, so renders are reproducible. */
  public static final String RELEASE = "routewatch";

  public static final String NAMESPACE = "routewatch";

  /**
   * Kubernetes version the render assumes (Capabilities.KubeVersion); pinned so a helm-java upgrade
   * does not change k8s/.
   */
  public static final String KUBE_VERSION = "1.31.0";

  private final Path root;

  /**
   * @param root the repository root (holds helm/routewatch and k8s/)
   */
  public Chart(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The repository root, from -Droutewatch.root (Maven sets it) or the parent of the cwd. */
  public static Chart fromSystemProperty() {
    String prop = System.getProperty("routewatch.root");
    Path root = prop != null ? Path.of(prop) : Path.of("..");
    return new Chart(root);
  }

  public Path root() {
    return root;
  }

  public Path dir() {
    return root.resolve("helm/routewatch");
  }

  /** A values file of the chart by its path relative to the chart (e.g. "ci/values-ha.yaml"). */
  public Path values(String relative) {
    Path p = dir().resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("no values file " + p);
    }
    return p;
  }

  /**
   * helm template with the given values files (in order) and --set overrides.
   *
   * @throws IllegalStateException with Helm's message when rendering or schema validation fails
   */
  public String render(List<Path> valuesFiles, Map<String, Object> sets) {
    TemplateCommand cmd =
        new Helm(dir())
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    for (Path values : valuesFiles) {
      cmd = cmd.withValuesFile(values);
    }
    for (Map.Entry<String, Object> e : sets.entrySet()) {
      cmd = cmd.set(e.getKey(), e.getValue());
    }
    return cmd.call();
  }

  public String render(Path... valuesFiles) {
    return render(List.of(valuesFiles), Map.of());
  }

  /** The YAML documents of a render, without empty ones. */
  public static List<String> documents(String rendered) {
    List<String> docs = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      boolean hasContent =
          doc.lines().anyMatch(l -> !l.isBlank() && !l.stripLeading().startsWith("#"));
      if (hasContent) {
        docs.add(doc.strip() + "\n");
      }
    }
    return docs;
  }
}
