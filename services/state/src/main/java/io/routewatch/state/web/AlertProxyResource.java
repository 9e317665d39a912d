package io.routewatch.state.web;

import io.routewatch.servicekit.security.ApiToken;
import io.routewatch.servicekit.security.Role;
import io.routewatch.state.WebConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * The page's window on the alert service: open alerts and the watch list, fetched server side so
 * the page needs no CORS and works when the alert service is elsewhere. When it is not configured
 * or not reachable the answer is 503 with a reason the page shows instead of alerts.
 */
@Path("/web")
@Produces(MediaType.APPLICATION_JSON)
public class AlertProxyResource {
  @Inject WebConfig config;
  @Inject ApiToken tokens;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();

  @GET
  @Path("/alerts")
  public Response alerts() {
    return proxy("/api/v1/alerts/active");
  }

  @GET
  @Path("/watch")
  public Response watch() {
    return proxy("/api/v1/watch");
  }

  /**
   * What the page should show: the configured networks (the watch list is merged in by the page).
   */
  @GET
  @Path("/config")
  public Map<String, Object> pageConfig() {
    return Map.of("networks", config.networks(), "alertService", config.alertUrl().orElse(""));
  }

  private Response proxy(String path) {
    if (config.alertUrl().isEmpty()) {
      return unavailable("alert service not configured (routewatch.web.alert-url)");
    }
    String base = config.alertUrl().get().replaceAll("/+$", "");
    try {
      HttpResponse<String> r =
          http.send(request(base + path), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return unavailable("alert service at " + base + " answered HTTP " + r.statusCode());
      }
      return Response.ok(r.body(), MediaType.APPLICATION_JSON).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable("interrupted");
    } catch (Exception e) {
      return unavailable(
          "alert service at " + base + " unreachable: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The alert service's REST API wants a token too: state sends its own read token (or the
   * all-roles api-token), so the page needs only state's token, never the alert service's address.
   */
  private HttpRequest request(String url) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(config.alertTimeout()).GET();
    tokens.header(Role.READ).ifPresent(h -> b.header("Authorization", h));
    return b.build();
  }

  private static Response unavailable(String why) {
    return Response.status(503)
        .entity(Map.of("error", why))
        .type(MediaType.APPLICATION_JSON)
        .build();
  }
}
