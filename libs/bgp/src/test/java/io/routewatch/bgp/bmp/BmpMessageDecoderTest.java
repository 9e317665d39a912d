package io.routewatch.bgp.bmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BmpMessageDecoderTest {

  @Test
  void initiationTlvs() {
    Initiation m = (Initiation) BmpMessageDecoder.decode(Fixtures.INITIATION);
    assertEquals("rtr1", m.sysDescr());
    assertEquals("rtr-1", m.sysName());
  }

  @Test
  void peerUpKeepsBothOpensAndDerivesEncoding() {
    PeerUpNotification up = (PeerUpNotification) BmpMessageDecoder.decode(Fixtures.PEER_UP);
    assertEquals("192.0.2.1", up.peer().address().getHostAddress());
    assertEquals(65001, up.peer().asn());
    assertEquals("192.0.2.2", up.localAddress().getHostAddress());
    assertEquals(179, up.localPort());
    assertEquals(50000, up.remotePort());
    assertEquals(BgpPdu.OPEN, up.sentOpen().type());
    assertEquals(43, up.receivedOpen().length());
    assertEquals("hi", up.information().get(0).text());

    BmpSession session = new BmpSession();
    BmpPeerContext ctx = session.accept(up).orElseThrow();
    assertTrue(ctx.fourOctetAs());
    // RFC 7911 §5: router→peer (Adj-RIB-Out) uses path ids: router sends, peer receives.
    OpenCapabilities.Family v4u = new OpenCapabilities.Family(1, 1);
    assertEquals(Set.of(v4u), ctx.addPath(true));
    // peer→router (Adj-RIB-In): the peer did not advertise Send.
    assertEquals(Set.of(), ctx.addPath(false));

    RouteMonitoring rm = (RouteMonitoring) BmpMessageDecoder.decode(Fixtures.ROUTE_MONITORING);
    UpdateEncoding in = session.encodingFor(rm.peer());
    assertTrue(in.fromPeerUp());
    assertTrue(in.fourOctetAs());
    assertFalse(in.addPath(1, 1));
    assertEquals(BgpPdu.UPDATE, rm.update().type());
    assertEquals(47, rm.update().length());
    assertEquals(48, rm.update().offset(), "PDU is a slice right after the per-peer header");

    // A flag (RFC 7854 §4.2) forces 2-byte even when both OPENs have the capability.
    PerPeerHeader legacy =
        new PerPeerHeader(0, PerPeerHeader.FLAG_A, 0, rm.peer().address(), 65001, 0, 0, 0);
    assertFalse(session.encodingFor(legacy).fourOctetAs());
    PerPeerHeader out =
        new PerPeerHeader(0, PerPeerHeader.FLAG_O, 0, rm.peer().address(), 65001, 0, 0, 0);
    assertTrue(session.encodingFor(out).addPath(1, 1));
  }

  @Test
  void peerDownRemovesContext() {
    BmpSession session = new BmpSession();
    session.accept(BmpMessageDecoder.decode(Fixtures.PEER_UP));
    PeerDownNotification down =
        (PeerDownNotification) BmpMessageDecoder.decode(Fixtures.PEER_DOWN_NOTIFICATION);
    assertEquals(PeerDownNotification.LOCAL_NOTIFICATION, down.reason());
    assertEquals(BgpPdu.NOTIFICATION, down.notification().orElseThrow().type());
    assertEquals(6, down.notification().get().byteAt(19), "Cease");
    assertTrue(session.accept(down).isPresent());
    assertTrue(session.peers().isEmpty());
    assertFalse(session.encodingFor(down.peer()).fromPeerUp());
  }

  @Test
  void peerDownFsmAndLocRib() {
    PeerDownNotification fsm =
        (PeerDownNotification) BmpMessageDecoder.decode(Fixtures.PEER_DOWN_FSM);
    assertEquals(5, fsm.fsmEventCode());
    PeerDownNotification loc =
        (PeerDownNotification) BmpMessageDecoder.decode(Fixtures.LOC_RIB_PEER_DOWN);
    assertEquals(PeerDownNotification.LOCAL_SYSTEM_CLOSED, loc.reason());
    assertTrue(loc.peer().locRib());
    assertTrue(loc.peer().locRibFiltered());
    assertFalse(loc.peer().ipv6(), "bit 0 is F, not V, for peer type 3");
    assertEquals("global", loc.tlvs().get(0).text());
  }

  @Test
  void statisticsIncludingAdjRibOutAndUnknown() {
    StatisticsReport s = (StatisticsReport) BmpMessageDecoder.decode(Fixtures.STATS);
    assertTrue(s.peer().adjRibOut());
    assertEquals(100, s.stat(BmpStat.ADJ_RIB_OUT_PRE_ROUTES).longValue());
    BmpStat perAfi = s.stat(BmpStat.ADJ_RIB_OUT_PRE_ROUTES_PER_AFI_SAFI);
    assertEquals(2, perAfi.afi());
    assertEquals(1, perAfi.safi());
    assertEquals(255, perAfi.longValue());
    BmpStat unknown = s.stat(99);
    assertEquals(BmpStat.Kind.UNKNOWN, BmpStat.kindOf(99));
    assertArrayEquals(new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc}, unknown.value());
  }

  @Test
  void terminationAndMirroring() {
    Termination t = (Termination) BmpMessageDecoder.decode(Fixtures.TERMINATION);
    assertEquals(1, t.reason());
    BmpSession session = new BmpSession();
    session.accept(BmpMessageDecoder.decode(Fixtures.PEER_UP));
    session.accept(t);
    assertTrue(session.peers().isEmpty(), "RFC 7854 §4.5: all peers gone after Termination");
    RouteMirroring rm = (RouteMirroring) BmpMessageDecoder.decode(Fixtures.ROUTE_MIRRORING);
    assertEquals(1, rm.tlvs().get(0).code());
  }

  @Test
  void otherVersionIsALocatedError() {
    byte[] v1 = Fixtures.TERMINATION.clone();
    v1[0] = 1;
    BmpException e = assertThrows(BmpException.class, () -> BmpMessageDecoder.decode(v1));
    assertEquals(0, e.error().offsetInMessage());
    assertEquals(BmpError.Action.SKIP_MESSAGE, e.error().action());
    assertTrue(e.error().what().contains("version 1"));
  }

  @Test
  void truncatedBodyNamesFieldAndOffset() {
    byte[] m = Arrays.copyOf(Fixtures.PEER_UP, 80);
    m[4] = 80; // length field says 80: the sent OPEN is cut
    BmpException e = assertThrows(BmpException.class, () -> BmpMessageDecoder.decode(m));
    assertTrue(e.error().what().contains("sent OPEN"), e.getMessage());
    assertEquals(68, e.error().offsetInMessage());
    assertEquals(80, e.error().raw().length);
  }

  @Test
  void lengthFieldMustMatchFrame() {
    byte[] m = Arrays.copyOf(Fixtures.TERMINATION, 13);
    assertThrows(BmpException.class, () -> BmpMessageDecoder.decode(m));
  }
}
