package io.routewatch.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fabric8 parsing made strict. fabric8 throws on type errors but keeps unknown fields in
 * getAdditionalProperties() silently, so a misspelt or misplaced key (readinessprobe, a
 * securityContext field at the wrong level) would pass; this walks every model object and reports
 * each non-empty additionalProperties with its path.
 */
final class StrictModel {
  /** Kinds fabric8's client-api has no model for; the Node schema check covers them. */
  static final Set<String> CRD_KINDS = Set.of("ServiceMonitor", "PrometheusRule", "Certificate");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StrictModel() {}

  static HasMetadata parse(String yaml) {
    KubernetesResource r = SERIALIZATION.unmarshal(yaml, KubernetesResource.class);
    if (!(r instanceof HasMetadata h)) {
      throw new AssertionError("not a Kubernetes object: " + yaml);
    }
    return h;
  }

  /** Paths of unknown fields ("spec.template.spec.containers[0]: [bogus]"); empty when none. */
  static List<String> unknownFields(HasMetadata object) {
    if (object instanceof GenericKubernetesResource) {
      throw new IllegalArgumentException(
          object.getKind() + " has no typed model; check it with the schema validation");
    }
    List<String> out = new ArrayList<>();
    walk(object, object.getKind() + "/" + object.getMetadata().getName(), out);
    return out;
  }

  private static void walk(Object o, String path, List<String> out) {
    if (o == null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        walk(e, path + "[" + i++ + "]", out);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        walk(e.getValue(), path + "." + e.getKey(), out);
      }
      return;
    }
    Class<?> cls = o.getClass();
    if (!cls.getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : cls.getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(o);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue; // computed helpers (e.g. Quantity.getNumericalAmount on a percent) are not fields
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + ": " + extra.keySet());
        }
      } else {
        String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
        walk(value, path + "." + field, out);
      }
    }
  }
}
