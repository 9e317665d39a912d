package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.routewatch.alert.AlertKnownConfig;
import io.routewatch.collector.CollectorKnownConfig;
import io.routewatch.servicekit.config.ConfigKeys;
import io.routewatch.state.StateKnownConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every routewatch key the chart renders is one the service reads: each service's ConfigMap and
 * container env, in every values file, checked against the service's own config mappings (the same
 * lists the services check themselves against at start, {@code KnownConfig}).
 */
class ChartKeysTest {
  static final Map<String, ConfigKeys> SERVICES =
      Map.of(
          "collector",
              ConfigKeys.of(CollectorKnownConfig.MAPPINGS, CollectorKnownConfig.OTHER_KEYS),
          "state", ConfigKeys.of(StateKnownConfig.MAPPINGS),
          "alert", ConfigKeys.of(AlertKnownConfig.MAPPINGS));

  /** The service a ConfigMap or workload belongs to (by its name's suffix), or null. */
  private static String service(HasMetadata o) {
    String name = o.getMetadata().getName();
    for (String s : SERVICES.keySet()) {
      if (name.endsWith("-" + s)) {
        return s;
      }
    }
    return null;
  }

  /** A routewatch key the service does not read, or null (strict: env form must be its own). */
  private static boolean unknown(ConfigKeys keys, String key) {
    if (key.startsWith("routewatch.")) {
      return !keys.knowsProperty(key);
    }
    if (key.startsWith("ROUTEWATCH_")) {
      return !keys.knowsEnv(key);
    }
    return false;
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void everyRenderedRoutewatchKeyIsReadByItsService(Flavour flavour) {
    List<String> bad = new ArrayList<>();
    int checked = 0;
    for (HasMetadata o : flavour.documents().stream().map(StrictModel::parse).toList()) {
      String service = service(o);
      if (service == null) {
        continue;
      }
      ConfigKeys keys = SERVICES.get(service);
      List<String> names = new ArrayList<>();
      if (o instanceof ConfigMap cm && cm.getData() != null) {
        names.addAll(cm.getData().keySet());
      }
      PodSpec pod = null;
      if (o instanceof Deployment d) {
        pod = d.getSpec().getTemplate().getSpec();
      } else if (o instanceof StatefulSet s) {
        pod = s.getSpec().getTemplate().getSpec();
      }
      if (pod != null) {
        for (Container c : pod.getContainers()) {
          c.getEnv().stream().map(EnvVar::getName).forEach(names::add);
        }
      }
      for (String k : names) {
        if (k.startsWith("routewatch.") || k.startsWith("ROUTEWATCH_")) {
          checked++;
          if (unknown(keys, k)) {
            bad.add(
                o.getKind()
                    + " "
                    + o.getMetadata().getName()
                    + ": "
                    + k
                    + " (did you mean "
                    + keys.closest(k)
                    + "?)");
          }
        }
      }
    }
    System.out.printf(
        "%s: %d routewatch keys checked against the services' mappings%n", flavour, checked);
    assertTrue(checked >= 8, flavour + ": too few routewatch keys rendered: " + checked);
    assertTrue(bad.isEmpty(), () -> flavour + ": keys no service reads: " + String.join("; ", bad));
  }

  /** The check can fail: the chart's former spellings are refused. */
  @Test
  void formerChartSpellingsAreUnknown() {
    ConfigKeys collector = SERVICES.get("collector");
    assertTrue(unknown(collector, "ROUTEWATCH_COLLECTOR_BGP_ASN"));
    assertTrue(unknown(collector, "routewatch.collector.bgp.neighbors[0].address"));
    assertTrue(
        unknown(SERVICES.get("state"), "ROUTEWATCH_COLLECTOR_NAME"), "another service's key");
    assertFalse(unknown(collector, "ROUTEWATCH_COLLECTOR_BGP_LOCAL_ASN"));
    assertFalse(unknown(collector, "ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS"));
    assertFalse(unknown(SERVICES.get("state"), "ROUTEWATCH_STATE_SNAPSHOT_DIR"));
  }
}
