package io.routewatch.servicekit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiTokenFilterTest {
  static final List<String> DEFAULTS = List.of("/q/openapi", "/q/swagger-ui");

  @Test
  void theDocumentItsVariantsAndSwaggerUiAreGuarded() {
    for (String p :
        List.of(
            "/q/openapi",
            "/q/openapi.json",
            "/q/openapi.yaml",
            "/q/openapi/",
            "/q/swagger-ui",
            "/q/swagger-ui/index.html")) {
      assertTrue(OpenApiTokenFilter.isGuarded(p, DEFAULTS), p);
    }
  }

  @Test
  void probesMetricsApiAndLookAlikesAreNotGuardedHere() {
    for (String p :
        List.of("/q/health/live", "/q/metrics", "/api/v1/stats", "/", "/q/openapix", "/openapi")) {
      assertFalse(OpenApiTokenFilter.isGuarded(p, DEFAULTS), p);
    }
  }

  @Test
  void configuredPathsResolveUnderTheNonApplicationRoot() {
    assertEquals("/q/openapi", OpenApiTokenFilter.absolute("/q", "openapi"));
    assertEquals("/q/openapi", OpenApiTokenFilter.absolute("/q/", "openapi/"));
    assertEquals("/docs/api", OpenApiTokenFilter.absolute("/q", "/docs/api"));
    assertEquals("/q", OpenApiTokenFilter.absolute("/", "q"));
  }
}
