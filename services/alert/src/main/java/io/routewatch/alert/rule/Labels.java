package io.routewatch.alert.rule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Builds identifying labels and the alert key derived from them. */
public final class Labels {
  private final AlertType type;
  private final Map<String, String> labels = new LinkedHashMap<>();

  private Labels(AlertType type) {
    this.type = type;
    labels.put("alertname", type.alertname());
  }

  /** alertname plus asn/country (or feed) of the target. */
  public static Labels of(AlertType type, Target t) {
    Labels l = new Labels(type);
    switch (t.kind()) {
      case FEED -> l.put("feed", t.value());
      case PREFIX -> {
        if (t.asn() != 0) {
          l.put("asn", Fmt.as(t.asn()));
        }
        l.put("country", t.country());
      }
      default -> {
        if (t.asn() != 0) {
          l.put("asn", Fmt.as(t.asn()));
        }
        l.put("country", t.country());
      }
    }
    return l;
  }

  public Labels put(String k, String v) {
    if (v != null && !v.isEmpty()) {
      labels.put(k, v);
    }
    return this;
  }

  public Labels upstream(long asn) {
    return put("upstream", Fmt.as(asn));
  }

  public Labels prefix(String p) {
    return put("prefix", p);
  }

  public Map<String, String> map() {
    return Map.copyOf(labels);
  }

  /** "NewUpstream|asn=AS131279|country=KP|upstream=AS20485": stable across restarts. */
  public String key() {
    StringJoiner j = new StringJoiner("|");
    j.add(type.alertname());
    labels.forEach(
        (k, v) -> {
          // country follows from the AS: keep it out of an AS alert's identity
          if (!k.equals("alertname") && !(k.equals("country") && labels.containsKey("asn"))) {
            j.add(k + "=" + v);
          }
        });
    return j.toString();
  }

  /** The peers of {@code peers} that are the origin itself or {@code upstream}. */
  public static long[] adjacent(long[] peers, long origin, long upstream) {
    if (peers == null) {
      return new long[0];
    }
    return Arrays.stream(peers)
        .filter(a -> a == origin || (upstream != 0 && a == upstream))
        .toArray();
  }

  /** Unsigned peer ASNs of a change. */
  public static long[] peers(java.util.List<Integer> asns) {
    return asns.stream().mapToLong(i -> i & 0xffffffffL).distinct().toArray();
  }
}
