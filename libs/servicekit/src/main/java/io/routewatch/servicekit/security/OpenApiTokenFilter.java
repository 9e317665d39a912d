package io.routewatch.servicekit.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * The OpenAPI document ({@code /q/openapi}, {@code .json}/{@code .yaml} variants and Swagger UI
 * where it is included) follows the rule of the API it describes: with a token configured it needs
 * the read role (401 without a valid token, 403 with a token of another role, the bodies {@link
 * ApiTokenFilter} sends); without one it is open, like {@code /api/*}, and the service binds
 * loopback ({@link ExposureCheck}). These are Vert.x routes, which {@link ApiTokenFilter} (JAX-RS)
 * never sees, so this guards them as a router filter. {@code /q/health/*} and {@code /q/metrics}
 * stay open. The paths follow {@code quarkus.smallrye-openapi.path}, {@code
 * quarkus.swagger-ui.path} and the non-application root; the defaults are always guarded too.
 */
@ApplicationScoped
public class OpenApiTokenFilter {
  /** Runs before the routes, after nothing that needs to see the request first. */
  static final int PRIORITY = 100;

  @Inject ApiToken token;
  @Inject Config config;

  void register(@Observes Filters filters) {
    List<String> guarded = guardedPaths(config);
    filters.register(rc -> filter(rc, guarded), PRIORITY);
  }

  private void filter(RoutingContext rc, List<String> guarded) {
    if (!isGuarded(rc.normalizedPath(), guarded) || !token.required()) {
      rc.next();
      return;
    }
    BearerToken.Verdict verdict =
        token.check(rc.request().getHeader(HttpHeaders.AUTHORIZATION), Role.READ);
    if (verdict == BearerToken.Verdict.OK) {
      rc.next();
    } else if (verdict == BearerToken.Verdict.FORBIDDEN) {
      rc.response()
          .setStatusCode(403)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(
              "{\"error\":\"forbidden\",\"message\":\""
                  + verdict.message
                  + " (needs role read)\"}");
    } else {
      rc.response()
          .setStatusCode(401)
          .putHeader("WWW-Authenticate", "Bearer realm=\"routewatch\"")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end("{\"error\":\"unauthenticated\",\"message\":\"" + verdict.message + "\"}");
    }
  }

  /** The document's and Swagger UI's paths as configured, plus the defaults. */
  static List<String> guardedPaths(Config config) {
    String root = value(config, "quarkus.http.root-path", "/");
    String nonApp = absolute(root, value(config, "quarkus.http.non-application-root-path", "q"));
    Set<String> paths = new LinkedHashSet<>();
    paths.add(absolute(nonApp, value(config, "quarkus.smallrye-openapi.path", "openapi")));
    paths.add(absolute(nonApp, value(config, "quarkus.swagger-ui.path", "swagger-ui")));
    paths.add("/q/openapi");
    paths.add("/q/swagger-ui");
    return List.copyOf(paths);
  }

  private static String value(Config config, String key, String fallback) {
    return config.getOptionalValue(key, String.class).filter(v -> !v.isBlank()).orElse(fallback);
  }

  /**
   * {@code path} when it starts with '/', else {@code path} under {@code base}; no trailing '/'.
   */
  static String absolute(String base, String path) {
    String p = path.startsWith("/") ? path : (base.endsWith("/") ? base : base + "/") + path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /**
   * The path itself, anything below it, and its suffixed variants ({@code /q/openapi.json}), so a
   * sibling route whose name merely starts the same ({@code /q/openapix}) is not.
   */
  static boolean isGuarded(String path, List<String> guarded) {
    if (path == null) {
      return true; // a path Vert.x could not normalise: no route will serve it, refuse early
    }
    for (String g : guarded) {
      if (path.equals(g) || path.startsWith(g + "/") || path.startsWith(g + ".")) {
        return true;
      }
    }
    return false;
  }
}
