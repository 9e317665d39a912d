package io.routewatch.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The value sets the chart is rendered with in tests (issue 9: default, native, HA, minimal). */
enum Flavour {
  DEFAULT(null),
  NATIVE("values-native.yaml"),
  HA("ci/values-ha.yaml"),
  MINIMAL("ci/values-minimal.yaml"),
  // what ClusterIT boots: two routers over BGP, one over BMP, API token, in-chart PostgreSQL
  CLUSTER("ci/values-cluster.yaml");

  static final Chart CHART = Chart.fromSystemProperty();
  private static final Map<Flavour, String> RENDERS = new ConcurrentHashMap<>();

  final String valuesFile;

  Flavour(String valuesFile) {
    this.valuesFile = valuesFile;
  }

  /** helm template with this flavour's values (cached: renders are deterministic). */
  String render() {
    return RENDERS.computeIfAbsent(
        this,
        f ->
            CHART.render(
                f.valuesFile == null ? List.of() : List.of(CHART.values(f.valuesFile)), Map.of()));
  }

  List<String> documents() {
    return Chart.documents(render());
  }

  Path valuesPath() {
    return valuesFile == null ? CHART.dir().resolve("values.yaml") : CHART.values(valuesFile);
  }
}
