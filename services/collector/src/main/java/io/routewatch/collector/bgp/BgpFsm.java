package io.routewatch.collector.bgp;

import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.message.Capability;
import io.routewatch.bgp.message.Keepalive;
import io.routewatch.bgp.message.Notification;
import io.routewatch.bgp.message.Open;
import io.routewatch.bgp.message.RouteRefresh;
import io.routewatch.bgp.message.SessionContext;
import io.routewatch.bgp.message.Update;

/**
 * The RFC 4271 §8 finite state machine of one passive session, without I/O: the connection feeds it
 * received messages, decode errors and clock ticks; it answers through {@link Io} and reports to a
 * {@link Listener}. A passive collector starts in Active with the TCP connection already accepted,
 * so it goes straight to OpenSent (§8.2.2 Event 17).
 */
public final class BgpFsm {
  public static final int IDLE = 1,
      CONNECT = 2,
      ACTIVE = 3,
      OPEN_SENT = 4,
      OPEN_CONFIRM = 5,
      ESTABLISHED = 6;

  /**
   * RFC 4271 §8.2.2: hold timer while waiting for the OPEN ("a large value", 4 minutes suggested).
   */
  static final long LARGE_HOLD_MILLIS = 240_000;

  /** Sends on and closes the connection. */
  public interface Io {
    void send(BgpMessage m);

    void close();
  }

  /** What the session owner learns. {@code reason} values are metric labels. */
  public interface Listener {
    void established(Open theirs, SessionContext ctx);

    void update(Update u);

    void down(String reason, boolean wasEstablished);
  }

  private final BgpLocal local;
  private final BgpNeighbor neighbor;
  private final Io io;
  private final Listener listener;
  private final Open ours;
  private int state = ACTIVE;
  private Open theirs;
  private SessionContext ctx = SessionContext.LEGACY;
  private int holdSeconds;
  private long holdDeadline = Long.MAX_VALUE;
  private long keepaliveDue = Long.MAX_VALUE;
  private Notification sent;
  private Notification received;

  public BgpFsm(BgpLocal local, BgpNeighbor neighbor, Io io, Listener listener) {
    this.local = local;
    this.neighbor = neighbor;
    this.io = io;
    this.listener = listener;
    this.ours = local.open();
  }

  public int state() {
    return state;
  }

  public Open ours() {
    return ours;
  }

  public Open theirs() {
    return theirs;
  }

  /** What received messages are decoded with (negotiated after the OPENs). */
  public SessionContext context() {
    return ctx;
  }

  public int holdSeconds() {
    return holdSeconds;
  }

  public Notification lastSent() {
    return sent;
  }

  public Notification lastReceived() {
    return received;
  }

  /** The TCP connection is up: send our OPEN (§8.2.2, Active, Event 17). */
  public synchronized void start(long nowMillis) {
    io.send(ours);
    state = OPEN_SENT;
    holdDeadline = nowMillis + LARGE_HOLD_MILLIS;
  }

  public synchronized void onMessage(BgpMessage m, long now) {
    if (state == IDLE) {
      return;
    }
    if (m instanceof Notification n) {
      received = n;
      drop("notification_received");
      return;
    }
    switch (state) {
      case OPEN_SENT -> {
        if (m instanceof Open o) {
          onOpen(o, now);
        } else {
          fail(5, 1, "fsm_error"); // RFC 6608: unexpected message in OpenSent
        }
      }
      case OPEN_CONFIRM -> {
        if (m instanceof Keepalive) {
          state = ESTABLISHED;
          restartHold(now);
          listener.established(theirs, ctx);
        } else {
          fail(5, 2, "fsm_error"); // RFC 6608: unexpected message in OpenConfirm
        }
      }
      case ESTABLISHED -> {
        if (m instanceof Open) {
          fail(5, 3, "fsm_error"); // RFC 6608: unexpected message in Established
          return;
        }
        restartHold(now); // §8.2.2 Events 26/27: KEEPALIVE or UPDATE restart the hold timer
        if (m instanceof Update u) {
          listener.update(u);
        }
        // ROUTE-REFRESH: we announce nothing, so there is nothing to re-send (RFC 2918 §4).
      }
      default -> fail(5, 0, "fsm_error");
    }
  }

  private void onOpen(Open o, long now) {
    // RFC 4271 §6.2 OPEN message error handling.
    if (o.version() != 4) {
      fail(2, 1, new byte[] {0, 4}, "open_rejected");
      return;
    }
    if (neighbor.asn() != 0 && o.as() != neighbor.asn()) {
      fail(2, 2, "open_rejected");
      return;
    }
    if (o.holdTime() == 1 || o.holdTime() == 2) {
      fail(2, 6, "open_rejected");
      return;
    }
    if (o.bgpId() == 0 || o.bgpId() == local.bgpId() && o.as() == local.asn()) {
      fail(2, 3, "open_rejected");
      return;
    }
    theirs = o;
    ctx = SessionContext.negotiated(ours, o);
    holdSeconds = Math.min(local.holdSeconds(), o.holdTime());
    io.send(Keepalive.INSTANCE);
    state = OPEN_CONFIRM;
    restartHold(now);
  }

  private void restartHold(long now) {
    if (holdSeconds == 0) {
      holdDeadline = Long.MAX_VALUE;
      keepaliveDue = Long.MAX_VALUE;
      return;
    }
    holdDeadline = now + holdSeconds * 1000L;
    if (keepaliveDue == Long.MAX_VALUE) {
      keepaliveDue = now + keepaliveMillis();
    }
  }

  private long keepaliveMillis() {
    return Math.max(1000L, holdSeconds * 1000L / 3); // RFC 4271 §10: one third of the hold time
  }

  /**
   * We are not reading from the socket (the journal's disk quota): the peer's KEEPALIVEs wait in
   * our receive buffer, so our hold timer is not the peer's fault and starts again; our own
   * keepalives go on ({@link #tick}).
   */
  public synchronized void notReading(long now) {
    if (state == ESTABLISHED) {
      restartHold(now);
    }
  }

  /** Timers: hold expiry (§6.5) and our keepalives (§4.4). */
  public synchronized void tick(long now) {
    if (state < OPEN_SENT) {
      return;
    }
    if (now >= holdDeadline) {
      fail(4, 0, "hold_timer_expired");
      return;
    }
    if (state >= OPEN_CONFIRM && now >= keepaliveDue) {
      io.send(Keepalive.INSTANCE);
      keepaliveDue = now + keepaliveMillis();
    }
  }

  /** A message that cannot be parsed: NOTIFICATION code/subcode, then close (§6.1–6.3). */
  public synchronized void onMalformed(int code, int subcode) {
    fail(code, subcode, "malformed_message");
  }

  /** We end the session: NOTIFICATION, close, listener told {@code reason}. */
  public synchronized void stop(int code, int subcode, byte[] data, String reason) {
    fail(code, subcode, data, reason);
  }

  /** TCP closed or reset under us (§8.2.2 Event 18). */
  public synchronized void connectionLost() {
    if (state != IDLE) {
      drop("connection_lost");
    }
  }

  /**
   * Whether the peer can re-send its routes on request (RFC 2918 §2, or the pre-standard code 128).
   */
  public boolean peerSupportsRouteRefresh() {
    return theirs != null && (theirs.has(Capability.ROUTE_REFRESH) || theirs.has(128));
  }

  /** Sends a ROUTE-REFRESH (RFC 2918 §3) if Established. */
  public synchronized boolean refresh(int afi, int safi) {
    if (state != ESTABLISHED) {
      return false;
    }
    io.send(new RouteRefresh(afi, 0, safi));
    return true;
  }

  private void fail(int code, int subcode, String reason) {
    fail(code, subcode, new byte[0], reason);
  }

  private void fail(int code, int subcode, byte[] data, String reason) {
    if (state == IDLE) {
      return;
    }
    sent = new Notification(code, subcode, data);
    try {
      io.send(sent);
    } catch (RuntimeException e) {
      // the connection may already be gone; the session ends either way
    }
    drop(reason);
  }

  private void drop(String reason) {
    boolean was = state == ESTABLISHED;
    state = IDLE;
    holdDeadline = Long.MAX_VALUE;
    keepaliveDue = Long.MAX_VALUE;
    io.close();
    listener.down(reason, was);
  }
}
