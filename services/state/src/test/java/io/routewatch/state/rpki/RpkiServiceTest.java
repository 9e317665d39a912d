package io.routewatch.state.rpki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.state.route.Prefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads from a real file and a real loopback HTTP server; a failed reload keeps the last set. */
class RpkiServiceTest {
  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private RpkiService service(Optional<String> file, Optional<String> url) {
    return RpkiTestSupport.service(
        RpkiTestSupport.config(RpkiTestSupport.values(file, url)), registry);
  }

  private double metric(String name) {
    return registry.get(name).meter().measure().iterator().next().getValue();
  }

  @Test
  void fileReloadKeepsLastGoodSet() throws Exception {
    Path f = dir.resolve("vrps.csv");
    Files.writeString(
        f,
        "ASN,IP Prefix,Max Length\nAS13335,1.1.1.0/24,24\n13335,2606:4700::/32,48\nAS1,1.0.0.0/8,7\n");
    RpkiService s = service(Optional.of(f.toString()), Optional.empty());
    assertTrue(s.enabled());
    assertFalse(s.loaded());
    assertTrue(Double.isNaN(metric("routewatch_state_rpki_last_load_age_seconds")));
    s.reload();
    assertTrue(s.loaded());
    assertEquals(2, s.table().size());
    assertEquals(RovState.VALID, s.table().validate(Prefix.parse("1.1.1.0/24"), 13335));
    assertEquals(1.0, metric("routewatch_state_rpki_rejected_rows_total"));
    assertEquals(
        1.0, registry.get("routewatch_state_rpki_vrps").tag("family", "ipv6").gauge().value());

    // malformed, then over the VRP cap: both fail, the first set stays
    Files.writeString(f, "{\"roas\":[{\"asn\":1,");
    s.reload();
    Files.writeString(
        f, "1.0.0.0, 8, 8, 1\n2.0.0.0, 8, 8, 1\n3.0.0.0, 8, 8, 1\n4.0.0.0, 8, 8, 1\n");
    s.reload();
    Files.delete(f);
    s.reload();
    assertEquals(3.0, metric("routewatch_state_rpki_load_failures_total"));
    assertEquals(2, s.table().size());
    assertEquals(RovState.VALID, s.table().validate(Prefix.parse("1.1.1.0/24"), 13335));
  }

  @Test
  void urlAndFileAreMerged() throws Exception {
    AtomicReference<String> body =
        new AtomicReference<>(
            "{\"roas\":[{\"asn\":\"AS64500\",\"prefix\":\"192.0.2.0/24\",\"maxLength\":24}]}");
    AtomicInteger status = new AtomicInteger(200);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/json",
        ex -> {
          byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status.get(), b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    try {
      Path f = dir.resolve("roa.csv");
      Files.writeString(f, "1.1.1.0, 24, 24, 13335\n");
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/json";
      RpkiService s = service(Optional.of(f.toString()), Optional.of(url));
      s.reload();
      assertEquals(2, s.table().size());
      assertEquals(RovState.INVALID_ASN, s.table().validate(Prefix.parse("192.0.2.0/24"), 64501));

      status.set(500);
      s.reload();
      assertEquals(1.0, metric("routewatch_state_rpki_load_failures_total"));
      assertEquals(2, s.table().size());

      // too large for max-bytes (1 MiB): refused, last set kept
      status.set(200);
      body.set("{\"roas\":[" + " ".repeat(2 << 20) + "]}");
      s.reload();
      assertEquals(2.0, metric("routewatch_state_rpki_load_failures_total"));
      assertEquals(2, s.table().size());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void offWithoutSource() {
    RpkiService s = service(Optional.empty(), Optional.empty());
    assertFalse(s.enabled());
    assertEquals(0, s.table().size());
    assertEquals(RovState.NOT_FOUND, s.table().validate(Prefix.parse("1.1.1.0/24"), 13335));
  }
}
