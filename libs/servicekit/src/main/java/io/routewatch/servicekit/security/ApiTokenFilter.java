package io.routewatch.servicekit.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * 401 with a JSON error for {@code /api/*} without a valid token, 403 when the token's role does
 * not allow the method (reads need {@link Role#READ}, writes {@link Role#ADMIN}). Only JAX-RS
 * resources pass here: {@code /q/health/*} and {@code /q/metrics} are Vert.x routes, so probes and
 * Prometheus stay open (the NetworkPolicy limits who reaches them). Does nothing when no token is
 * configured.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiTokenFilter implements ContainerRequestFilter {
  private final ApiToken token;

  ApiTokenFilter(ApiToken token) {
    this.token = token;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!isApi(request.getUriInfo().getPath()) || !token.required()) {
      return;
    }
    Role needed = Role.ofHttp(request.getMethod());
    BearerToken.Verdict verdict =
        token.check(request.getHeaderString(HttpHeaders.AUTHORIZATION), needed);
    if (verdict == BearerToken.Verdict.FORBIDDEN) {
      request.abortWith(
          Response.status(Response.Status.FORBIDDEN)
              .type(MediaType.APPLICATION_JSON_TYPE)
              .entity(
                  "{\"error\":\"forbidden\",\"message\":\""
                      + verdict.message
                      + " (needs role "
                      + needed.name().toLowerCase()
                      + ")\"}")
              .build());
    } else if (verdict != BearerToken.Verdict.OK) {
      request.abortWith(
          Response.status(Response.Status.UNAUTHORIZED)
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"routewatch\"")
              .type(MediaType.APPLICATION_JSON_TYPE)
              .entity("{\"error\":\"unauthenticated\",\"message\":\"" + verdict.message + "\"}")
              .build());
    }
  }

  /**
   * The data routes: {@code /api/*} and the page's own {@code /web/*} (alerts, watch list, live
   * ticks: the read role, like the API). The page's static files ({@code /}, {@code app.js}) stay
   * open: they hold no data, and the page asks for the token.
   */
  static boolean isApi(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return p.equals("/api") || p.startsWith("/api/") || p.equals("/web") || p.startsWith("/web/");
  }
}
