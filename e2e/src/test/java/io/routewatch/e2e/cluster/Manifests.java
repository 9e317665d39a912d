package io.routewatch.e2e.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Rendered manifests as typed objects, with the look-ups the pods need (Secrets, ConfigMaps). */
final class Manifests {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  final String namespace;
  final List<HasMetadata> objects = new ArrayList<>();

  Manifests(String namespace, List<String> documents) {
    this.namespace = namespace;
    for (String doc : documents) {
      Object o = SERIALIZATION.unmarshal(doc);
      if (o instanceof HasMetadata h) {
        objects.add(h);
      }
    }
  }

  <T> List<T> of(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<Deployment> deployments() {
    return of(Deployment.class);
  }

  List<StatefulSet> statefulSets() {
    return of(StatefulSet.class);
  }

  List<Service> services() {
    return of(Service.class);
  }

  List<NetworkPolicy> networkPolicies() {
    return of(NetworkPolicy.class);
  }

  ConfigMap configMap(String name) {
    return of(ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("ConfigMap " + name + " is not rendered"));
  }

  /** A Secret's entries, decoded (data is base64, stringData plain). */
  Map<String, String> secret(String name) {
    Secret s =
        of(Secret.class).stream()
            .filter(c -> c.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("Secret " + name + " is not rendered"));
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  /** Kubernetes label selection: matchLabels and the four matchExpressions operators. */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (var r : selector.getMatchExpressions()) {
        String v = labels.get(r.getKey());
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> v != null && r.getValues().contains(v);
              case "NotIn" -> v == null || !r.getValues().contains(v);
              case "Exists" -> v != null;
              case "DoesNotExist" -> v == null;
              default -> throw new IllegalArgumentException("operator " + r.getOperator());
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
