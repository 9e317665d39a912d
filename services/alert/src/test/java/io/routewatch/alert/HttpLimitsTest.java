package io.routewatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.AlertServiceGrpc;
import io.routewatch.proto.v1.ListAlertsRequest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@code quarkus.http.limits} and the gRPC message limit in application.properties hold:
 * an oversize body (64 KiB), header (16 KiB), request line (4096) or gRPC message (256 KiB) is
 * refused before the alert service reads it.
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
   * the client may still be sending the body, and the close can reset the connection before the
   * client reads the answer (a TCP race, not a missing limit; state's HttpLimitsTest failed so in
   * CI). Such an attempt is tried again, at most 5 times; any answer counts.
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
    assertEquals(
        413,
        oversize(
            at("/api/v1/watch")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    assertEquals(431, status(at("/q/health/live").header("X-Big", "a".repeat(17 * 1024))));
    assertEquals(414, status(at("/q/health/live?q=" + "a".repeat(4100))));
    assertEquals(200, status(at("/q/health/live").header("X-Small", "a".repeat(8 * 1024))));
  }

  @Test
  void oversizeGrpcMessageIsRefused() throws Exception {
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      // a deadline per call: withDeadlineAfter on a kept stub is one deadline for all calls
      java.util.function.Supplier<AlertServiceGrpc.AlertServiceBlockingStub> stub =
          () -> AlertServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  stub.get()
                      .listAlerts(
                          ListAlertsRequest.newBuilder().addTypes("a".repeat(300 * 1024)).build()));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.toString());
      // below the limit the message is read (and then judged on its content)
      try {
        stub.get()
            .listAlerts(ListAlertsRequest.newBuilder().addTypes("a".repeat(200 * 1024)).build());
      } catch (StatusRuntimeException below) {
        assertTrue(below.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED, below.toString());
      }
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
