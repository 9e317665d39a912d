package io.routewatch.alert.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.pg.PostgresTestResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: alert serves its REST API's OpenAPI document at {@code /q/openapi} (YAML, and JSON with
 * {@code ?format=json}) listing the real {@code /api/v1} paths, and the document follows the rule
 * of the API it describes: with a token configured it is refused without one (401) and to a token
 * of another role (403), exactly like {@code /api/*}; health stays open.
 */
@QuarkusTest
@TestProfile(OpenApiTest.WithTokens.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class OpenApiTest {
  static final String TOKEN = "openapi-test-token";
  static final String INGEST_TOKEN = "openapi-test-ingest-token";

  /** The paths of {@link AlertResource} and the watch list's resource: the document lists each. */
  static final List<String> ALERT_PATHS =
      List.of("/api/v1/alerts", "/api/v1/alerts/active", "/api/v1/alerts/stream", "/api/v1/watch");

  public static class WithTokens implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "routewatch.security.api-token", TOKEN,
          "routewatch.security.tokens.ingest", INGEST_TOKEN);
    }
  }

  @TestHTTPResource("/")
  URL base;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + path)).GET();
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void documentListsTheRestPathsInYamlAndJson() throws Exception {
    HttpResponse<String> yaml = get("/q/openapi", TOKEN);
    assertEquals(200, yaml.statusCode(), yaml.body());
    assertTrue(yaml.body().startsWith("---") || yaml.body().startsWith("openapi:"), yaml.body());
    for (String p : ALERT_PATHS) {
      assertTrue(yaml.body().contains("  " + p + ":"), "YAML lacks " + p);
    }

    HttpResponse<String> json = get("/q/openapi?format=json", TOKEN);
    assertEquals(200, json.statusCode(), json.body());
    JsonNode doc = new ObjectMapper().readTree(json.body());
    assertTrue(doc.path("openapi").asText().startsWith("3."), doc.path("openapi").asText());
    assertEquals("routewatch alert", doc.path("info").path("title").asText());
    Set<String> paths = new TreeSet<>();
    doc.path("paths").fieldNames().forEachRemaining(paths::add);
    assertTrue(paths.containsAll(ALERT_PATHS), "JSON paths " + paths);
    JsonNode watch = doc.path("paths").path("/api/v1/watch");
    assertTrue(watch.has("get") && watch.has("post") && watch.has("delete"), "watch " + watch);
  }

  @Test
  void documentIsRefusedLikeTheApiWithoutTheReadRole() throws Exception {
    for (String path : List.of("/api/v1/alerts", "/q/openapi", "/q/openapi?format=json")) {
      HttpResponse<String> none = get(path, null);
      assertEquals(401, none.statusCode(), path + ": " + none.body());
      assertTrue(
          none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
      assertTrue(none.body().contains("\"error\":\"unauthenticated\""), path + ": " + none.body());

      assertEquals(401, get(path, "not-the-token").statusCode(), path + " with a wrong token");

      HttpResponse<String> ingest = get(path, INGEST_TOKEN);
      assertEquals(403, ingest.statusCode(), path + " with the ingest token: " + ingest.body());
      assertTrue(ingest.body().contains("needs role read"), path + ": " + ingest.body());
    }
    // the variants Quarkus also serves, and Swagger UI (present in test mode) are guarded too
    for (String path : List.of("/q/openapi.json", "/q/openapi.yaml", "/q/swagger-ui/")) {
      assertEquals(401, get(path, null).statusCode(), path);
    }
    assertEquals(200, get("/q/openapi.json", TOKEN).statusCode(), "/q/openapi.json with token");
    // probes stay open, as documented
    assertEquals(200, get("/q/health/live", null).statusCode());
  }
}
