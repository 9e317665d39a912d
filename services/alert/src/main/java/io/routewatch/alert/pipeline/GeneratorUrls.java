package io.routewatch.alert.pipeline;

import io.routewatch.alert.rule.Target;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** generatorURL: where a person clicks to see what state sees for the alert's network. */
final class GeneratorUrls {
  private GeneratorUrls() {}

  static String of(String stateUrl, Target t) {
    String base = stateUrl.endsWith("/") ? stateUrl.substring(0, stateUrl.length() - 1) : stateUrl;
    return switch (t.kind()) {
      case ASN, COUNTRY -> base + "/api/v1/upstreams/" + t.value();
      case PREFIX ->
          t.asn() != 0
              ? base + "/api/v1/upstreams/AS" + t.asn()
              : base + "/api/v1/prefixes/" + URLEncoder.encode(t.value(), StandardCharsets.UTF_8);
      case FEED -> base + "/api/v1/stats";
    };
  }
}
