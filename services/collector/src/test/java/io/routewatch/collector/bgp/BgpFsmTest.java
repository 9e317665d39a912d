package io.routewatch.collector.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.message.Capability;
import io.routewatch.bgp.message.Keepalive;
import io.routewatch.bgp.message.Notification;
import io.routewatch.bgp.message.Open;
import io.routewatch.bgp.message.SessionContext;
import io.routewatch.bgp.message.Update;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RFC 4271 §8 FSM of a passive session, driven by messages and a fake clock. */
class BgpFsmTest {
  final List<BgpMessage> sent = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  boolean closed;

  BgpFsm fsm(long asn) {
    BgpNeighbor n = BgpNeighbor.parse("address=127.0.0.2;asn=" + asn);
    return new BgpFsm(
        BgpLocal.of(65000, "192.0.2.1", 90),
        n,
        new BgpFsm.Io() {
          public void send(BgpMessage m) {
            sent.add(m);
          }

          public void close() {
            closed = true;
          }
        },
        new BgpFsm.Listener() {
          public void established(Open theirs, SessionContext ctx) {
            events.add("up as4=" + ctx.as4());
          }

          public void update(Update u) {
            events.add("update");
          }

          public void down(String reason, boolean was) {
            events.add("down " + reason + " " + was);
          }
        });
  }

  static Open open(long as, int hold) {
    return new Open(
        4,
        (int) Math.min(as, 23456),
        hold,
        0x0a000002,
        List.of(Capability.multiprotocol(1, 1), Capability.fourOctetAs(as)),
        List.of(),
        false);
  }

  @Test
  void passiveOpenToEstablishedNegotiatesHoldAndAs4() {
    BgpFsm f = fsm(65002);
    f.start(0);
    assertInstanceOf(Open.class, sent.get(0));
    assertEquals(BgpFsm.OPEN_SENT, f.state());
    f.onMessage(open(65002, 9), 10);
    assertEquals(BgpFsm.OPEN_CONFIRM, f.state());
    assertInstanceOf(Keepalive.class, sent.get(1));
    assertEquals(9, f.holdSeconds()); // RFC 4271 §4.2: the smaller hold time
    f.onMessage(Keepalive.INSTANCE, 20);
    assertEquals(BgpFsm.ESTABLISHED, f.state());
    assertEquals(List.of("up as4=true"), events);
    f.tick(20 + 3000); // keepalive every hold/3
    assertInstanceOf(Keepalive.class, sent.get(2));
  }

  @Test
  void holdTimerExpirySendsNotification4AndReportsDown() {
    BgpFsm f = fsm(0);
    f.start(0);
    f.onMessage(open(4200000000L, 3), 0);
    f.onMessage(Keepalive.INSTANCE, 0);
    f.tick(2999);
    assertEquals(BgpFsm.ESTABLISHED, f.state());
    f.tick(3000);
    Notification n = (Notification) sent.get(sent.size() - 1);
    assertEquals(4, n.code()); // RFC 4271 §6.5 Hold Timer Expired
    assertTrue(closed);
    assertEquals("down hold_timer_expired true", events.get(events.size() - 1));
  }

  @Test
  void wrongPeerAsIsRejectedWithBadPeerAs() {
    BgpFsm f = fsm(65002);
    f.start(0);
    f.onMessage(open(65003, 90), 0);
    Notification n = (Notification) sent.get(1);
    assertEquals(2, n.code());
    assertEquals(2, n.subcode()); // RFC 4271 §6.2 Bad Peer AS
    assertEquals("down open_rejected false", events.get(0));
  }

  @Test
  void updateBeforeEstablishedIsAnFsmError() {
    BgpFsm f = fsm(0);
    f.start(0);
    f.onMessage(Keepalive.INSTANCE, 0);
    Notification n = (Notification) sent.get(1);
    assertEquals(5, n.code()); // RFC 4271 §6.6 / RFC 6608 subcode 1: unexpected in OpenSent
    assertEquals(1, n.subcode());
  }

  @Test
  void openWaitUsesTheLargeHoldTimer() {
    BgpFsm f = fsm(0);
    f.start(0);
    f.tick(BgpFsm.LARGE_HOLD_MILLIS - 1);
    assertEquals(BgpFsm.OPEN_SENT, f.state());
    f.tick(BgpFsm.LARGE_HOLD_MILLIS);
    assertEquals(BgpFsm.IDLE, f.state());
  }
}
