package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.GetPrefixRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.StartImportRequest;
import io.routewatch.proto.v1.VantagePointRoute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14, the collector under abuse, with real processes (PostgreSQL, state, collector, ExaBGP):
 * each attack is refused or bounded, counted in its metric, and leaves its neighbours alone.
 */
@Tag("serial") // see e2e/pom.xml: asserts wall-clock timing
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbuseCollectorIT {
  static Stack stack;
  static int bgpPort;
  static int bmpPort;
  static LoopbackWebSocket ris;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One RIS Live message over the 1 MiB max-message-size, and the real sample's first line. */
  static final int BIG = (1 << 20) + 200_000;

  @BeforeAll
  static void start() throws Exception {
    String update = Files.readAllLines(Stack.data().resolve("rislive/ris-live-stream.json")).get(0);
    String big = "{\"type\":\"ris_message\",\"data\":{\"pad\":\"" + "x".repeat(BIG) + "\"}}";
    ris = new LoopbackWebSocket(List.of(big, update));
    bgpPort = Stack.freePort();
    bmpPort = Stack.freePort();
    stack =
        new Stack(
            Map.of(
                "ROUTEWATCH_COLLECTOR_BGP_PORT",
                Integer.toString(bgpPort),
                "ROUTEWATCH_COLLECTOR_BMP_PORT",
                Integer.toString(bmpPort),
                "ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS",
                "address=127.0.0.21;asn=65021;name=exabgp",
                "ROUTEWATCH_COLLECTOR_BGP_HOLD_TIME",
                "9s",
                "ROUTEWATCH_COLLECTOR_RIS_LIVE_URL",
                "ws://127.0.0.1:" + ris.port() + "/v1/ws/",
                "ROUTEWATCH_COLLECTOR_RIS_LIVE_RECONNECT_MIN",
                "200ms"));
    stack.startState();
    stack.startCollector();
  }

  @AfterAll
  static void stop() throws IOException {
    if (stack != null) {
      stack.close();
    }
    if (ris != null) {
      ris.close();
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (ok.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      Thread.sleep(200);
    }
    String log = stack.log("collector");
    throw new AssertionError(
        "not true after "
            + timeout
            + ": "
            + what
            + "\n"
            + log.substring(Math.max(0, log.length() - 3000)));
  }

  static double metric(String name, String... labels) {
    try {
      return Metrics.sum(Metrics.scrape(stack.collectorPort), name, labels);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<VantagePointRoute> routes(String prefix) {
    return stack
        .state()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getPrefix(GetPrefixRequest.newBuilder().setPrefix(prefix).build())
        .getRoutesList();
  }

  static HttpResponse<String> http(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.collectorPort + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json");
    b =
        body == null
            ? b.method(method, HttpRequest.BodyPublishers.noBody())
            : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** (1) An import of a file outside mrt.import-dirs: 403 naming the allowed dirs, no job. */
  @Test
  @Order(1)
  void importOutsideTheAllowedDirectoriesIsRefused() throws Exception {
    String refused = "routewatch_collector_mrt_imports_refused_total";
    double before = metric(refused, "reason=\"outside_import_dirs\"");
    int jobs =
        stack
            .imports()
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .listImports(io.routewatch.proto.v1.ListImportsRequest.getDefaultInstance())
            .getJobsCount();
    HttpResponse<String> r = http("POST", "/api/v1/imports", "{\"path\":\"/etc/passwd\"}");
    System.out.println("POST /etc/passwd: " + r.statusCode() + " " + r.body());
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(
        r.body().contains("allowedDirs") && r.body().contains(Stack.data().toString()), r.body());
    assertEquals(
        jobs,
        stack
            .imports()
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .listImports(io.routewatch.proto.v1.ListImportsRequest.getDefaultInstance())
            .getJobsCount(),
        "no job created");
    assertEquals(before + 1, metric(refused, "reason=\"outside_import_dirs\""));
  }

  /**
   * (2) A gzip MRT file of ~0.5 MiB whose first record declares a ~2 GiB body (then zeros) fails at
   * record 1 before anything is allocated, while a real archive imported at the same time ends DONE
   * with bgpdump's counts; the collector's heap stays far below its maximum throughout.
   */
  @Test
  @Order(3)
  void decompressionBombFailsAtRecordOneAndARealImportIsUndisturbed() throws Exception {
    long t0 = System.nanoTime();
    Path bomb = Files.createTempFile(stack.logs, "bomb-", ".gz");
    long zeros = 512L << 20;
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16) {
          {
            def.setLevel(Deflater.BEST_COMPRESSION);
          }
        }) {
      ByteBuffer h = ByteBuffer.allocate(12);
      h.putInt(1_170_000_000)
          .putShort((short) 16)
          .putShort((short) 4)
          .putInt(0x7fff_fff0); // BGP4MP, ~2 GiB
      out.write(h.array());
      byte[] z = new byte[1 << 20];
      for (long n = 0; n < zeros; n += z.length) {
        out.write(z);
      }
    }
    System.out.printf(
        "bomb: %d bytes compressed, declares a %d-byte record, %d MiB of zeros (made in %.1f s)%n",
        Files.size(bomb), 0x7fff_fff0L, zeros >> 20, (System.nanoTime() - t0) / 1e9);
    long t1 = System.nanoTime();

    Path real = Stack.data().resolve("mrt/ripe-bgpdump/updates.20071015.1505.gz");
    Reference.Counts want = Reference.counts(real);
    double oversized0 = metric("routewatch_collector_mrt_oversized_records_total");
    GetStatsResponse before = stack.stats(false);
    // Both submitted together (the collector runs import jobs one at a time, in order).
    ImportJob realJob =
        stack
            .imports()
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .startImport(
                StartImportRequest.newBuilder()
                    .setPath(real.toString())
                    .setCollector("abuse-real")
                    .build());
    ImportJob bombJob =
        stack
            .imports()
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .startImport(
                StartImportRequest.newBuilder()
                    .setPath(bomb.toString())
                    .setCollector("abuse-bomb")
                    .build());
    double heapMax = metric("jvm_memory_max_bytes", "area=\"heap\"");
    double heapPeak = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    ImportJob r;
    ImportJob b;
    do {
      heapPeak = Math.max(heapPeak, metric("jvm_memory_used_bytes", "area=\"heap\""));
      Thread.sleep(100);
      r = job(realJob.getId());
      b = job(bombJob.getId());
    } while (!(done(r) && done(b)) && System.nanoTime() < deadline);
    heapPeak = Math.max(heapPeak, metric("jvm_memory_used_bytes", "area=\"heap\""));
    System.out.printf(
        "bomb job: %s, %d records, errors %s%n", b.getState(), b.getRecords(), b.getErrorsList());
    System.out.printf(
        "real job: %s, %d records, %d events; both ended after %.1f s%n",
        r.getState(), r.getRecords(), r.getEvents(), (System.nanoTime() - t1) / 1e9);
    System.out.printf(
        "collector heap: peak %.0f MiB used of %.0f MiB max%n",
        heapPeak / (1 << 20), heapMax / (1 << 20));

    assertEquals(ImportState.FAILED, b.getState(), b.toString());
    assertEquals(0, b.getRecords());
    assertTrue(
        b.getErrorsList().stream()
            .anyMatch(e -> e.getRecord() == 1 && e.getMessage().contains("max-record-bytes")),
        b.getErrorsList().toString());
    assertEquals(oversized0 + 1, metric("routewatch_collector_mrt_oversized_records_total"));

    assertEquals(ImportState.DONE, r.getState(), r.toString());
    GetStatsResponse after = stack.stats(false);
    assertEquals(
        want.announcements(),
        after.getAnnouncements() - before.getAnnouncements(),
        "announcements");
    assertEquals(
        want.withdrawals(), after.getWithdrawals() - before.getWithdrawals(), "withdrawals");
    assertEquals(want.ribEntries(), after.getRibEntries() - before.getRibEntries(), "RIB entries");
    assertEquals(
        want.stateChanges(), after.getStateChanges() - before.getStateChanges(), "state changes");
    assertTrue(heapPeak < heapMax / 2, "heap peak " + heapPeak + " of " + heapMax);
  }

  static ImportJob job(String id) {
    return stack
        .imports()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getImport(io.routewatch.proto.v1.GetImportRequest.newBuilder().setId(id).build());
  }

  static boolean done(ImportJob j) {
    return j.getState() == ImportState.DONE || j.getState() == ImportState.FAILED;
  }

  /**
   * (3) An ExaBGP speaker not in bgp.neighbors is refused; the listed one stays up and delivers.
   */
  @Test
  @Order(4)
  void unlistedSpeakerIsRefusedWhileAListedOneStaysUp() throws Exception {
    Path good = Daemon.workDir("exabgp-listed");
    Daemon.write(good, "feed.py", LiveDaemonsIT.FEED_PY);
    Path goodConf =
        Daemon.write(
            good,
            "exabgp.conf",
            LiveDaemonsIT.exabgpConf(
                good, "127.0.0.21", 65021, "127.0.0.1", 65000, bgpPort, false));
    Path bad = Daemon.workDir("exabgp-unlisted");
    Daemon.write(bad, "feed.py", LiveDaemonsIT.FEED_PY);
    Path badConf =
        Daemon.write(
            bad,
            "exabgp.conf",
            LiveDaemonsIT.exabgpConf(bad, "127.0.0.29", 65029, "127.0.0.1", 65000, bgpPort, false));
    String refused = "routewatch_collector_bgp_connections_refused_total";
    double refused0 = metric(refused, "reason=\"unconfigured\"");
    try (Daemon g =
            Daemon.start("exabgp", good, LiveDaemonsIT.EXABGP_ENV, "exabgp", goodConf.toString());
        Daemon u =
            Daemon.start("exabgp", bad, LiveDaemonsIT.EXABGP_ENV, "exabgp", badConf.toString())) {
      LiveDaemonsIT.commands(
          good, 1, "announce route 100.64.121.0/24 next-hop 192.0.2.21 as-path [ 65021 65100 ]");
      LiveDaemonsIT.commands(
          bad, 1, "announce route 100.64.129.0/24 next-hop 192.0.2.29 as-path [ 65029 65100 ]");
      await(
          "listed ExaBGP's route in state\n" + g.log(),
          Duration.ofSeconds(40),
          () -> routes("100.64.121.0/24").size() == 1);
      await(
          "unlisted ExaBGP refused\n" + u.log(),
          Duration.ofSeconds(20),
          () -> metric(refused, "reason=\"unconfigured\"") > refused0);
      Thread.sleep(1000);
      double n = metric(refused, "reason=\"unconfigured\"") - refused0;
      System.out.printf(
          "unlisted ExaBGP: %.0f connections refused; listed session state %.0f%n",
          n,
          metric("routewatch_collector_feed_session_state", "source=\"bgp\"", "peer=\"exabgp\""));
      assertTrue(routes("100.64.129.0/24").isEmpty(), "nothing from the unlisted speaker");
      assertEquals(
          6.0,
          metric("routewatch_collector_feed_session_state", "source=\"bgp\"", "peer=\"exabgp\""));
      assertEquals(0.0, metric("routewatch_collector_bgp_session_downs_total", "peer=\"exabgp\""));
      assertEquals(1, routes("100.64.121.0/24").size());
      assertTrue(g.alive());
    }
  }

  /**
   * (4) RIS Live: a >1 MiB message in fragments is dropped and counted; the next one is applied.
   */
  @Test
  @Order(2)
  void oversizeRisLiveMessageIsDroppedAndTheNextOneApplied() throws Exception {
    await(
        "the RIS Live sample's announcement in state",
        Duration.ofSeconds(30),
        () -> !routes("45.161.192.0/23").isEmpty());
    double tooLarge = metric("routewatch_collector_rislive_errors_total", "reason=\"too_large\"");
    System.out.printf(
        "RIS Live: %d-byte message dropped (%.0f counted), connections %d%n",
        BIG, tooLarge, ris.connections.get());
    assertEquals(1.0, tooLarge);
    assertEquals(1, ris.connections.get(), "the same connection carried on");
    assertEquals(1.0, metric("routewatch_collector_rislive_messages_total", "type=\"update\""));
    assertEquals(11708, routes("45.161.192.0/23").get(0).getPeerAsn());
  }

  /**
   * (5) BMP: 5,000 Peer Ups from one router: 4,096 kept, 904 refused, the session and routes
   * intact.
   */
  @Test
  @Order(5)
  void bmpPeerFloodIsCappedAndTheRouterSessionSurvives() throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      s.connect(new InetSocketAddress("127.0.0.1", bmpPort), 3000);
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream batch = new ByteArrayOutputStream();
      batch.write(Bmp.initiation("abuse-router"));
      for (int i = 0; i < 5000; i++) {
        batch.write(Bmp.peerUp(i));
        if (i == 0) {
          batch.write(Bmp.routeMonitoring(0, 77)); // peer 0's route, before the flood
        }
      }
      out.write(batch.toByteArray());
      out.flush();
      await(
          "5,000 Peer Ups framed",
          Duration.ofSeconds(30),
          () -> metric("routewatch_collector_bmp_messages_total", "type=\"peer_up\"") >= 5000);
      double kept = metric("routewatch_collector_bmp_peers", "router=\"other\"");
      double refused = metric("routewatch_collector_bmp_peers_refused_total", "router=\"other\"");
      double evicted = metric("routewatch_collector_bmp_peers_evicted_total", "router=\"other\"");
      System.out.printf(
          "BMP: 5000 Peer Ups: %.0f peers kept, %.0f refused, %.0f evicted%n",
          kept, refused, evicted);
      assertEquals(4096.0, kept);
      assertEquals(904.0, refused);
      assertEquals(0.0, evicted);

      // The same connection goes on: a route of a kept peer is applied, one of a refused peer is
      // not.
      out.write(Bmp.routeMonitoring(0, 78));
      out.write(Bmp.routeMonitoring(4999, 79));
      out.flush();
      await(
          "peer 0's routes in state",
          Duration.ofSeconds(20),
          () -> routes("100.64.77.0/24").size() == 1 && routes("100.64.78.0/24").size() == 1);
      assertEquals(
          905.0, metric("routewatch_collector_bmp_peers_refused_total", "router=\"other\""));
      assertTrue(routes("100.64.79.0/24").isEmpty(), "a refused peer's route is not applied");
      assertEquals(0.0, metric("routewatch_collector_bmp_framing_errors_total"));
      s.setSoTimeout(500);
      InputStream in = s.getInputStream();
      try {
        assertFalse(in.read() < 0, "the station closed the router's connection");
      } catch (SocketTimeoutException open) {
        // still open: what we want
      }
    }
  }

  /** BMP v3 messages (RFC 7854) of a router whose monitored peers are 10.0.x.y, AS 64512+i. */
  static final class Bmp {
    static byte[] message(int type, byte[] body) {
      ByteBuffer b = ByteBuffer.allocate(6 + body.length);
      b.put((byte) 3).putInt(6 + body.length).put((byte) type).put(body); // §4.1 common header
      return b.array();
    }

    static byte[] initiation(String sysName) {
      byte[] n = sysName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      ByteBuffer b = ByteBuffer.allocate(4 + n.length);
      b.putShort((short) 2).putShort((short) n.length).put(n); // §4.3 sysName TLV
      return message(4, b.array());
    }

    static long asn(int i) {
      return 64512 + i;
    }

    /** §4.2 per-peer header: global instance, IPv4, 4-byte AS_PATH (A clear), pre-policy. */
    static void perPeer(ByteBuffer b, int i) {
      b.put((byte) 0).put((byte) 0).putLong(0);
      b.put(new byte[12]).put((byte) 10).put((byte) 0).put((byte) (i >> 8)).put((byte) i);
      b.putInt((int) asn(i)).putInt(0x0a000000 | i).putInt(1_700_000_000).putInt(0);
    }

    /** BGP OPEN (RFC 4271 §4.2) with the 4-octet AS capability (RFC 6793). */
    static void open(ByteBuffer b, long as, int id) {
      for (int k = 0; k < 16; k++) {
        b.put((byte) 0xff);
      }
      b.putShort((short) 37)
          .put((byte) 1)
          .put((byte) 4)
          .putShort((short) (as > 65535 ? 23456 : as))
          .putShort((short) 90)
          .putInt(id)
          .put((byte) 8);
      b.put((byte) 2).put((byte) 6).put((byte) 65).put((byte) 4).putInt((int) as);
    }

    /** §4.10 Peer Up: local address/ports, then the OPENs sent and received. */
    static byte[] peerUp(int i) {
      ByteBuffer b = ByteBuffer.allocate(42 + 20 + 37 + 37);
      perPeer(b, i);
      b.put(new byte[12])
          .put(new byte[] {127, 0, 0, 1})
          .putShort((short) 179)
          .putShort((short) 40000);
      open(b, 65000, 0x7f000001);
      open(b, asn(i), 0x0a000000 | i);
      return message(3, b.array());
    }

    /** §4.6 Route Monitoring: an UPDATE announcing 100.64.{octet}.0/24 from peer i. */
    static byte[] routeMonitoring(int i, int octet) {
      byte[] attrs =
          ByteBuffer.allocate(4 + 9 + 7)
              .put(new byte[] {0x40, 1, 1, 0}) // ORIGIN IGP
              .put(new byte[] {0x40, 2, 6, 2, 1})
              .putInt((int) asn(i)) // AS_PATH [asn], 4-byte
              .put(new byte[] {0x40, 3, 4, (byte) 192, 0, 2, 1}) // NEXT_HOP 192.0.2.1
              .array();
      int len = 19 + 2 + 2 + attrs.length + 4;
      ByteBuffer b = ByteBuffer.allocate(42 + len);
      perPeer(b, i);
      for (int k = 0; k < 16; k++) {
        b.put((byte) 0xff);
      }
      b.putShort((short) len)
          .put((byte) 2)
          .putShort((short) 0)
          .putShort((short) attrs.length)
          .put(attrs);
      b.put(new byte[] {24, 100, 64, (byte) octet});
      return message(0, b.array());
    }
  }
}
