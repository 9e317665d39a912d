package io.routewatch.state.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.pg.PostgresTestResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@code quarkus.http.limits} in application.properties hold, so one client cannot make
 * state read an oversize body (64 KiB), header (16 KiB) or request line (4096). State's gRPC ingest
 * keeps its own message limit.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class HttpLimitsTest {
  @TestHTTPResource("/")
  URL base;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  int status(HttpRequest.Builder req) throws Exception {
    return http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * The status of a request whose body is over the limit. The server answers 413 and closes while
   * the client may still be sending the body; the close can then reset the connection before the
   * client reads the answer ("header parser received no bytes", a TCP race, not a missing limit).
   * Such an attempt is tried again, at most 5 times; any other outcome counts.
   */
  int oversize(HttpRequest.Builder req) throws Exception {
    java.io.IOException last = null;
    for (int i = 0; i < 5; i++) {
      try {
        return status(req);
      } catch (java.io.IOException e) {
        last = e;
      }
    }
    throw last;
  }

  HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + path));
  }

  @Test
  void oversizeBodyHeaderAndLineAreRefused() throws Exception {
    byte[] body = new byte[65 * 1024];
    assertEquals(413, oversize(at("/web/live").POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    assertEquals(431, status(at("/q/health/live").header("X-Big", "a".repeat(17 * 1024))));
    assertEquals(414, status(at("/q/health/live?q=" + "a".repeat(4100))));
    // within the limits: served
    assertEquals(200, status(at("/q/health/live").header("X-Small", "a".repeat(8 * 1024))));
  }
}
