package io.routewatch.state.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.pg.PostgresTestResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: at the cap of followed pages a {@code /web/live} request is refused before routing
 * ({@link LiveAdmission}), with the same 503, Retry-After and counter as the resource's own
 * refusal; a caller without a valid read token still gets the API's 401/403, not the cap; other
 * routes are untouched at the cap. Real PostgreSQL and HTTP.
 */
@QuarkusTest
@TestProfile(LiveAdmissionTest.OnePage.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class LiveAdmissionTest {
  static final String READ = "live-admission-read-token";
  static final String INGEST = "live-admission-ingest-token";

  public static class OnePage implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "routewatch.security.api-token", READ,
          "routewatch.security.tokens.ingest", INGEST,
          "routewatch.web.max-live-clients", "1");
    }
  }

  @TestHTTPResource("/")
  URL base;

  @Inject MeterRegistry registry;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpRequest get(String path, String token) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + path))
            .header(
                "Accept", path.startsWith("/web/live") ? "text/event-stream" : "application/json")
            .GET();
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return req.build();
  }

  double refused() {
    return registry.find("routewatch_state_web_live_clients_refused_total").counter().count();
  }

  @Test
  void atTheCapAPageIsRefusedEarlyButOnlyToAnAuthorisedCaller() throws Exception {
    HttpResponse<Stream<String>> page =
        http.send(get("/web/live", READ), HttpResponse.BodyHandlers.ofLines());
    try {
      assertEquals(200, page.statusCode());
      double before = refused();

      HttpResponse<String> anonymous =
          http.send(get("/web/live", null), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode(), anonymous.body());
      HttpResponse<String> wrongRole =
          http.send(get("/web/live", INGEST), HttpResponse.BodyHandlers.ofString());
      assertEquals(403, wrongRole.statusCode(), wrongRole.body());
      assertEquals(before, refused(), 1e-9, "the cap is not counted for unauthorised callers");

      HttpResponse<String> full =
          http.send(get("/web/live", READ), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, full.statusCode(), full.body());
      assertEquals("30", full.headers().firstValue("Retry-After").orElse(""));
      assertTrue(full.body().contains("at most 1 live pages"), full.body());
      assertTrue(full.body().contains("routewatch.web.max-live-clients"), full.body());
      assertEquals(before + 1, refused(), 1e-9);

      // another route is not the filter's business at the cap
      HttpResponse<String> stats =
          http.send(get("/api/v1/stats", READ), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, stats.statusCode(), stats.body());
    } finally {
      page.body().close();
    }
  }
}
