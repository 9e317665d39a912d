package io.routewatch.state.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.proto.v1.GetRovRequest;
import io.routewatch.proto.v1.GetRovResponse;
import io.routewatch.proto.v1.RovRoute;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.rpki.RpkiService;
import io.routewatch.state.rpki.RpkiTestSupport;
import io.routewatch.state.shard.ShardPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GetRov over a real engine and a VRP file: per (prefix, origin) rows, counts, limits, errors. */
class RovQueriesTest {
  @TempDir Path dir;

  private final RoutingEngine engine = new RoutingEngine();
  private RovQueries rov;

  @BeforeEach
  void setUp() throws Exception {
    int vp1 = engine.vantagePoint("rrc00", Prefix.parse("10.0.0.1/32").address(), 3356, 0);
    int vp2 = engine.vantagePoint("rrc00", Prefix.parse("10.0.0.2/32").address(), 174, 0);
    long t = 1_700_000_000_000_000L;
    announce(vp1, "192.0.2.0/24", "3356 64500", t);
    announce(vp2, "192.0.2.0/24", "174 1299 64500 64500", t);
    announce(vp1, "192.0.2.128/25", "3356 64501", t); // sub-prefix by another AS: invalid
    announce(vp2, "192.0.2.0/25", "174 64500", t); // longer than maxLength 24: invalid length
    announce(vp1, "198.51.100.0/24", "3356 {64500,64502}", t); // AS_SET: origin NONE
    announce(vp2, "198.51.100.0/24", "174 64502", t);
    announce(vp1, "2001:db8::/32", "3356 64500", t);
    announce(vp2, "203.0.113.0/24", "174 64500", t); // not covered
    Path f = dir.resolve("vrps.csv");
    Files.writeString(
        f,
        "ASN,IP Prefix,Max Length\n64500,192.0.2.0/24,24\n64502,198.51.100.0/24,24\n64500,2001:db8::/32,48\n");
    RpkiService rpki = service(Optional.of(f.toString()));
    RpkiTestSupport.reload(rpki);
    rov = queries(rpki);
  }

  private RovQueries queries(RpkiService service) {
    RovQueries q = new RovQueries();
    q.engine = engine;
    q.rpki = service;
    q.shards =
        new ShardPeers() {
          @Override
          public boolean enabled() {
            return false;
          }
        };
    return q;
  }

  private static RpkiService service(Optional<String> file) {
    return RpkiTestSupport.service(
        RpkiTestSupport.config(RpkiTestSupport.values(file, Optional.empty())),
        new SimpleMeterRegistry());
  }

  private void announce(int vp, String prefix, String path, long t) {
    engine.announce(vp, Prefix.parse(prefix), 0, AsPath.parse(path), RouteAttributes.NONE, t);
  }

  private static String row(RovRoute r) {
    return r.getPrefix()
        + " "
        + (r.getOriginNone() ? "NONE" : "AS" + Integer.toUnsignedString(r.getOrigin()))
        + " "
        + r.getState()
        + " vps="
        + r.getVpCount()
        + " vrps="
        + r.getVrpsCount();
  }

  private static List<String> rows(GetRovResponse r) {
    return r.getRoutesList().stream().map(RovQueriesTest::row).toList();
  }

  @Test
  void prefixAndItsMoreSpecifics() {
    GetRovResponse r = rov.rov(GetRovRequest.newBuilder().setPrefix("192.0.2.0/24").build());
    assertEquals(
        List.of(
            "192.0.2.0/24 AS64500 ROV_STATE_VALID vps=2 vrps=1",
            "192.0.2.0/25 AS64500 ROV_STATE_INVALID_LENGTH vps=1 vrps=1",
            "192.0.2.128/25 AS64501 ROV_STATE_INVALID_ASN vps=1 vrps=1"),
        rows(r));
    assertEquals(1, r.getValid());
    assertEquals(1, r.getInvalidAsn());
    assertEquals(1, r.getInvalidLength());
    assertEquals(0, r.getNotFound());
    assertEquals(3, r.getVrpCount());
    assertTrue(r.getVrpsLoadedMicros() > 0);
    assertEquals("192.0.2.0/24", r.getRoutes(0).getVrps(0).getPrefix());
    assertEquals(24, r.getRoutes(0).getVrps(0).getMaxLength());
    assertEquals(64500, r.getRoutes(0).getVrps(0).getAsn());
  }

  @Test
  void asSetOriginIsNone() {
    GetRovResponse r = rov.rov(GetRovRequest.newBuilder().setPrefix("198.51.100.0/24").build());
    assertEquals(
        List.of(
            "198.51.100.0/24 NONE ROV_STATE_INVALID_ASN vps=1 vrps=1",
            "198.51.100.0/24 AS64502 ROV_STATE_VALID vps=1 vrps=1"),
        rows(r));
  }

  @Test
  void originAsOverBothFamilies() {
    GetRovResponse r = rov.rov(GetRovRequest.newBuilder().setAsn(64500).build());
    assertEquals(
        List.of(
            "192.0.2.0/24 AS64500 ROV_STATE_VALID vps=2 vrps=1",
            "192.0.2.0/25 AS64500 ROV_STATE_INVALID_LENGTH vps=1 vrps=1",
            "203.0.113.0/24 AS64500 ROV_STATE_NOT_FOUND vps=1 vrps=0",
            "2001:db8::/32 AS64500 ROV_STATE_VALID vps=1 vrps=1"),
        rows(r));
    assertEquals(2, r.getValid());
    assertEquals(1, r.getNotFound());
  }

  @Test
  void limitTruncatesRowsNotCounts() {
    GetRovResponse r = rov.rov(GetRovRequest.newBuilder().setAsn(64500).setLimit(1).build());
    assertEquals(1, r.getRoutesCount());
    assertTrue(r.getTruncated());
    assertEquals(2, r.getValid());
    assertEquals(1, r.getInvalidLength());
    assertEquals(1, r.getNotFound());
    assertFalse(rov.rov(GetRovRequest.newBuilder().setAsn(64500).build()).getTruncated());
  }

  @Test
  void badRequests() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> rov.rov(GetRovRequest.newBuilder().setAsn(1).setLimit(10_001).build()));
    assertEquals("limit 10001 out of 1..10000", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> rov.rov(GetRovRequest.newBuilder().setAsn(1).setLimit(-1).build()));
    assertEquals("limit 4294967295 out of 1..10000", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> rov.rov(GetRovRequest.getDefaultInstance()));
    assertEquals("set prefix or asn", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> rov.rov(GetRovRequest.newBuilder().setPrefix("192.0.2.0/33").build()));
    assertTrue(e.getMessage().startsWith("not a prefix: '192.0.2.0/33'"), e.getMessage());
  }

  /** A very short prefix would walk the whole RIB: more than MAX_PREFIXES is refused. */
  @Test
  void tooManyPrefixesAreRefused() {
    int vp = engine.vantagePoint("rrc00", Prefix.parse("10.0.0.3/32").address(), 6939, 0);
    for (int i = 0; i < RovQueries.MAX_PREFIXES; i++) {
      engine.announce(
          vp,
          Prefix.ipv4(0x0A000000 | i, 32),
          0,
          AsPath.sequence(6939, 64510),
          RouteAttributes.NONE,
          1_700_000_000_000_000L);
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> rov.rov(GetRovRequest.newBuilder().setPrefix("10.0.0.0/8").build()));
    assertEquals(
        "50001 prefixes match, more than 50000 a query may examine; ask for a longer prefix",
        e.getMessage());
    // one withdrawn: the /8 and 49,999 more-specifics are examined, 10,000 rows returned
    engine.withdraw(vp, Prefix.ipv4(0x0A000000, 32), 0, 1_700_000_000_000_001L);
    GetRovResponse r =
        rov.rov(GetRovRequest.newBuilder().setPrefix("10.0.0.0/8").setLimit(10_000).build());
    assertEquals(10_000, r.getRoutesCount());
    assertTrue(r.getTruncated());
    assertEquals(RovQueries.MAX_PREFIXES - 1, r.getNotFound());
  }

  @Test
  void offAndNotLoaded() {
    StatusRuntimeException off =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                queries(service(Optional.empty()))
                    .rov(GetRovRequest.newBuilder().setAsn(64500).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, off.getStatus().getCode());
    assertTrue(off.getStatus().getDescription().contains("routewatch.state.rpki.file"));
    StatusRuntimeException notYet =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                queries(service(Optional.of(dir.resolve("missing.csv").toString())))
                    .rov(GetRovRequest.newBuilder().setAsn(64500).build()));
    assertEquals(Status.Code.UNAVAILABLE, notYet.getStatus().getCode());
  }
}
