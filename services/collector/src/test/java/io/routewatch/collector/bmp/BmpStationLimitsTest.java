package io.routewatch.collector.bmp;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.collector.bgp.BgpListener;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * The BMP station refuses sources outside allowed-sources and connections beyond max-connections
 * (closed at once, counted), and closes a connection idle for idle-timeout. Linux routes all of
 * 127/8 to loopback, so a client bound to 127.0.0.2 is a second source on one machine.
 */
@QuarkusTest
@TestProfile(BmpStationLimitsTest.Limits.class)
class BmpStationLimitsTest {
  public static class Limits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "routewatch.collector.bmp.allowed-sources", "127.0.0.1/32",
          "routewatch.collector.bmp.max-connections", "2",
          "routewatch.collector.bmp.idle-timeout", "3s");
    }
  }

  @Inject BmpStation station;
  @Inject BgpListener bgp;

  /** WARN records of one class's logger (JBoss LogManager is the JUL LogManager in Quarkus). */
  static List<String> warnings(Class<?> c, ThrowingRunnable r) throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(c.getName());
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord rec) {
            if (rec.getLevel().intValue() >= Level.WARNING.intValue()) {
              got.add(rec.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    l.addHandler(h);
    try {
      r.run();
      Thread.sleep(300); // the accept thread logs after the close the client saw
    } finally {
      l.removeHandler(h);
    }
    return got;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * A source retrying every few hundred ms gets one WARN line a minute, BMP and BGP alike (the BGP
   * listener logged one per refused connection); each refusal is still counted.
   */
  @Test
  void refusalsAreLoggedOncePerSourceAMinute() throws Exception {
    String bmpRefused =
        "routewatch_collector_bmp_connections_refused_total{reason=\"not_allowed\"}";
    double bmp0 = metric(bmpRefused);
    List<String> bmpLines =
        warnings(
            BmpStation.class,
            () -> {
              for (int i = 0; i < 3; i++) {
                try (Socket s = connect("127.0.0.3", station.port())) {
                  assertTrue(closedWithin(s, 2000));
                }
              }
            });
    assertEquals(1, bmpLines.size(), bmpLines.toString());
    assertEquals(bmp0 + 3, metric(bmpRefused));

    // no neighbours configured in tests: every BGP connection is from an unconfigured source
    String bgpRefused =
        "routewatch_collector_bgp_connections_refused_total{reason=\"unconfigured\"}";
    double bgp0 = metric(bgpRefused);
    List<String> bgpLines =
        warnings(
            BgpListener.class,
            () -> {
              for (int i = 0; i < 3; i++) {
                try (Socket s = connect("127.0.0.3", bgp.port())) {
                  assertTrue(closedWithin(s, 2000));
                }
              }
            });
    assertEquals(1, bgpLines.size(), bgpLines.toString());
    assertTrue(bgpLines.get(0).contains("127.0.0.3"), bgpLines.toString());
    assertEquals(bgp0 + 3, metric(bgpRefused));
  }

  static double metric(String line) {
    String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    return text.lines()
        .filter(l -> l.startsWith(line + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(line.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  Socket connect(String from) throws IOException {
    return connect(from, station.port());
  }

  static Socket connect(String from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    return s;
  }

  /** True when the station closed s within millis (EOF or reset), false while it stays open. */
  static boolean closedWithin(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Test
  void refusesOtherSourcesAndConnectionsBeyondTheCapAndClosesIdleOnes() throws Exception {
    String notAllowed =
        "routewatch_collector_bmp_connections_refused_total{reason=\"not_allowed\"}";
    String limit = "routewatch_collector_bmp_connections_refused_total{reason=\"limit\"}";
    String idle = "routewatch_collector_bmp_idle_closed_total{router=\"other\"}";
    double notAllowed0 = metric(notAllowed);
    double limit0 = metric(limit);
    double idle0 = metric(idle);

    try (Socket outsider = connect("127.0.0.2")) {
      assertTrue(
          closedWithin(outsider, 2000), "a source outside allowed-sources is closed at once");
    }
    assertEquals(notAllowed0 + 1, metric(notAllowed));

    try (Socket a = connect("127.0.0.1");
        Socket b = connect("127.0.0.1")) {
      Thread.sleep(200); // both accepted
      try (Socket c = connect("127.0.0.1")) {
        assertTrue(closedWithin(c, 2000), "the third connection beyond max-connections 2");
      }
      assertEquals(limit0 + 1, metric(limit));
      assertTrue(!closedWithin(a, 500) && !closedWithin(b, 10), "the two within the cap stay open");
      long start = System.nanoTime();
      assertTrue(closedWithin(a, 8000) && closedWithin(b, 2000), "idle connections closed");
      double waited = (System.nanoTime() - start) / 1e9;
      assertTrue(waited > 1 && waited < 6, "closed after ~3 s idle, waited " + waited + " s more");
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (metric(idle) < idle0 + 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(idle0 + 2, metric(idle));
  }
}
