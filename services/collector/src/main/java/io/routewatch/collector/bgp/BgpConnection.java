package io.routewatch.collector.bgp;

import com.google.protobuf.ByteString;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.message.BgpMessageDecoder;
import io.routewatch.bgp.message.BgpMessageEncoder;
import io.routewatch.bgp.message.Capability;
import io.routewatch.bgp.message.Open;
import io.routewatch.bgp.message.SessionContext;
import io.routewatch.bgp.message.Update;
import io.routewatch.bgp.mrt.Bgp4mpEndpoints;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.journal.LiveJournal;
import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.collector.publish.LiveStream;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.VantagePoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One accepted TCP connection of a configured neighbour, on its own thread: frames BGP messages
 * (marker + length, RFC 4271 §4.1), decodes them with the negotiated {@link SessionContext}, drives
 * the {@link BgpFsm} (ticked every half second by the read timeout) and, once Established, hands
 * route events to the session's own {@link LiveStream} ({@code bgp/<peer>/<start-ms>}).
 */
final class BgpConnection implements Runnable, BgpFsm.Io, BgpFsm.Listener {
  private static final Logger LOG = Logger.getLogger(BgpConnection.class);
  private static final int TICK_MILLIS = 500;
  private static final BgpMessageEncoder ENCODER = new BgpMessageEncoder(SessionContext.LEGACY);

  private final Socket socket;
  private final BgpNeighbor neighbor;
  private final BgpListener owner;
  private final BgpMetrics metrics;
  private final FeedHealth.Feed health;
  private final BgpFsm fsm;
  private final long startMillis = System.currentTimeMillis();
  private OutputStream out;
  private volatile LiveStream stream;
  private volatile VantagePoint vp;
  private BgpRoutes routes;
  private BgpMessageDecoder decoder;
  private final LiveJournal journal;

  /** The session as the journal's records name it (set when Established, journal on). */
  private volatile Bgp4mpEndpoints endpoints;

  private boolean as4;

  /** The frame being handled: what the journal keeps of an UPDATE, byte for byte. */
  private byte[] frame;

  private SessionContext decoderCtx;

  BgpConnection(
      Socket socket,
      BgpNeighbor neighbor,
      BgpLocal local,
      BgpListener owner,
      BgpMetrics metrics,
      FeedHealth.Feed health) {
    this.socket = socket;
    this.neighbor = neighbor;
    this.owner = owner;
    this.metrics = metrics;
    this.health = health;
    this.journal = owner.journal();
    this.fsm = new BgpFsm(local, neighbor, this, this);
  }

  BgpNeighbor neighbor() {
    return neighbor;
  }

  int state() {
    return fsm.state();
  }

  @Override
  public void run() {
    try {
      socket.setSoTimeout(TICK_MILLIS);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      fsm.start(System.currentTimeMillis());
      health.state(fsm.state());
      byte[] header = new byte[19];
      while (fsm.state() != BgpFsm.IDLE) {
        if (journal != null && journal.overQuota()) {
          holdBack();
          continue;
        }
        if (!readFully(in, header, 19)) {
          break;
        }
        for (int i = 0; i < 16; i++) {
          if (header[i] != (byte) 0xff) {
            fsm.onMalformed(1, 1); // RFC 4271 §6.1: Connection Not Synchronized
            return;
          }
        }
        int len = (header[16] & 0xff) << 8 | (header[17] & 0xff);
        int type = header[18] & 0xff;
        if (len < 19 || len > fsm.context().maxMessageLength()) {
          // RFC 4271 §6.1: Bad Message Length, the Data field carries the erroneous Length field;
          // checked before the body is allocated.
          LOG.warnf(
              "bgp %s: message length %d outside 19..%d: NOTIFICATION 1/2",
              neighbor.name(), len, fsm.context().maxMessageLength());
          fsm.stop(1, 2, new byte[] {header[16], header[17]}, "malformed_message");
          return;
        }
        byte[] msg = new byte[len];
        System.arraycopy(header, 0, msg, 0, 19);
        if (len > 19 && !readFully(in, msg, len, 19)) {
          break;
        }
        onFrame(msg, type);
        // A peer that never pauses (a table transfer) must still get our keepalives.
        fsm.tick(System.currentTimeMillis());
      }
    } catch (IOException e) {
      LOG.debugf("bgp %s: %s", neighbor.name(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.errorf(e, "bgp %s: session failed", neighbor.name());
      fsm.onMalformed(6, 0);
    } finally {
      fsm.connectionLost();
      close();
    }
  }

  /**
   * The journal is at its disk quota: read nothing (TCP back-pressures the peer) for a tick, keep
   * the session up (our keepalives, our hold timer restarted: we are the ones not reading).
   */
  private void holdBack() throws InterruptedIOException {
    long now = System.currentTimeMillis();
    metrics.heldBack(neighbor.name());
    fsm.notReading(now);
    fsm.tick(now);
    try {
      Thread.sleep(TICK_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("stopped while holding back");
    }
  }

  private void onFrame(byte[] msg, int type) {
    health.message();
    metrics.message(neighbor.name(), type);
    BgpMessage m;
    try {
      m = decoder().decode(msg);
    } catch (DecodeException e) {
      LOG.warnf(
          "bgp %s: malformed %s: %s", neighbor.name(), BgpMetrics.typeName(type), e.getMessage());
      if (type == 2) {
        metrics.rfc7606(neighbor.name(), "session_reset");
      }
      // RFC 4271 §6.1–6.3: header error (bad type), OPEN error, UPDATE error (malformed attribute
      // list).
      switch (type) {
        case 1 -> fsm.onMalformed(2, 0);
        case 2 -> fsm.onMalformed(3, 1);
        case 3, 4, 5 -> fsm.onMalformed(1, 2);
        default -> fsm.onMalformed(1, 3);
      }
      return;
    }
    frame = msg;
    try {
      fsm.onMessage(m, System.currentTimeMillis());
    } finally {
      frame = null;
    }
  }

  private BgpMessageDecoder decoder() {
    SessionContext c = fsm.context();
    if (decoder == null || c != decoderCtx) {
      decoder = new BgpMessageDecoder(c);
      decoderCtx = c;
    }
    return decoder;
  }

  /** Reads exactly n bytes at off; ticks the FSM on every read timeout. False at end of stream. */
  private boolean readFully(InputStream in, byte[] b, int n, int off) throws IOException {
    int got = off;
    while (got < n) {
      int r;
      try {
        r = in.read(b, got, n - got);
      } catch (SocketTimeoutException t) {
        fsm.tick(System.currentTimeMillis());
        if (fsm.state() == BgpFsm.IDLE) {
          return false;
        }
        continue;
      }
      if (r < 0) {
        return false;
      }
      got += r;
    }
    return true;
  }

  private boolean readFully(InputStream in, byte[] b, int n) throws IOException {
    return readFully(in, b, n, 0);
  }

  @Override
  public void send(BgpMessage m) {
    byte[] bytes = ENCODER.encode(m);
    try {
      synchronized (this) {
        out.write(bytes);
        out.flush();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (m instanceof io.routewatch.bgp.message.Notification n) {
      metrics.notificationSent(neighbor.name(), n.code());
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void established(Open theirs, SessionContext ctx) {
    byte[] addr = socket.getInetAddress().getAddress();
    vp =
        VantagePoint.newBuilder()
            .setCollector(owner.collectorName())
            .setPeerAddress(ByteString.copyFrom(addr))
            .setPeerAsn((int) theirs.as())
            .setPeerBgpId(theirs.bgpId())
            .build();
    if (journal != null) {
      as4 = ctx.as4();
      endpoints =
          new Bgp4mpEndpoints(theirs.as(), owner.localAsn(), 0, addr, localAddress(addr.length));
      // RFC 6396 §4.4.1 codes: OpenConfirm (5) -> Established (6); state takes the VP up
      journal.stateChange(
          endpoints, BgpFsm.OPEN_CONFIRM, BgpFsm.ESTABLISHED, LiveEvent.nowMicros());
      routes = new BgpRoutes(vp, null, neighbor, metrics);
      health.state(BgpFsm.ESTABLISHED);
      owner.onEstablished(this, health);
      LOG.infof(
          "bgp %s: established (AS %d, hold %d s, as4 %s), journaled",
          neighbor.name(), theirs.as(), fsm.holdSeconds(), ctx.as4());
      return;
    }
    String streamId = "bgp/" + socket.getInetAddress().getHostAddress() + "/" + startMillis;
    LiveStream s = owner.streams().open(owner.collectorName(), streamId, FeedKind.BGP);
    s.onRewind(this::resend);
    routes = new BgpRoutes(vp, s, neighbor, metrics);
    stream = s;
    s.offer(LiveEvent.of(EventKind.PEER_UP, vp, LiveEvent.nowMicros()));
    health.state(BgpFsm.ESTABLISHED);
    owner.onEstablished(this, health);
    LOG.infof(
        "bgp %s: established (AS %d, hold %d s, as4 %s)",
        neighbor.name(), theirs.as(), fsm.holdSeconds(), ctx.as4());
  }

  /** Our address on this connection, in the peer address's family (MRT has one AFI for both). */
  private byte[] localAddress(int length) {
    byte[] a = socket.getLocalAddress().getAddress();
    if (a.length == length) {
      return a;
    }
    if (a.length == 16 && length == 4) {
      return java.util.Arrays.copyOfRange(a, 12, 16); // IPv4-mapped
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(a, 0, mapped, 12, 4);
    return mapped;
  }

  @Override
  public void update(Update u) {
    metrics.decoded(neighbor.name());
    Bgp4mpEndpoints e = endpoints;
    if (e != null && frame != null) {
      journal.message(e, as4, addPath(u), frame, LiveEvent.nowMicros());
    }
    switch (routes.update(u, LiveEvent.nowMicros())) {
      case OK -> {}
      case RESET -> fsm.onMalformed(3, 1);
      case MAX_PREFIX_CLOSE -> {
        // RFC 4486 §4: Cease / Maximum Number of Prefixes Reached, data AFI(2) SAFI(1) limit(4).
        long max = neighbor.maxPrefix();
        byte[] data = {
          0, 1, 1, (byte) (max >>> 24), (byte) (max >>> 16), (byte) (max >>> 8), (byte) max
        };
        fsm.stop(6, 1, data, "max_prefix");
      }
    }
  }

  /**
   * The UPDATE's NLRI carry path ids (add-path negotiated for its family): the _ADDPATH subtype.
   */
  private static boolean addPath(Update u) {
    List<Nlri> w = u.allWithdrawn();
    if (!w.isEmpty()) {
      return w.get(0).hasPathId();
    }
    List<Nlri> a = u.announced();
    return !a.isEmpty() && a.get(0).hasPathId();
  }

  @Override
  public void down(String reason, boolean wasEstablished) {
    metrics.down(neighbor.name(), reason);
    health.state(BgpFsm.IDLE);
    Bgp4mpEndpoints e = endpoints;
    if (e != null && wasEstablished) {
      // Established (6) -> Idle (1): state drops the session's routes when it reads this
      journal.stateChange(e, BgpFsm.ESTABLISHED, BgpFsm.IDLE, LiveEvent.nowMicros());
      endpoints = null;
    }
    LiveStream s = stream;
    if (s != null) {
      s.offer(LiveEvent.of(EventKind.PEER_DOWN, vp, LiveEvent.nowMicros()));
      Thread closer = new Thread(() -> s.close(Duration.ofSeconds(30)), "close-" + s.streamId());
      closer.setDaemon(true);
      closer.start();
    }
    owner.onDown(this);
    LOG.infof("bgp %s: session down (%s)", neighbor.name(), reason);
  }

  /**
   * State lost this stream's past (it restarted): ask the peer to send everything again — ROUTE-
   * REFRESH per negotiated family (RFC 2918) if it can, else reset the session (Cease /
   * Administrative Reset, RFC 4486) so it re-sends on reconnecting.
   */
  void resend() {
    LiveStream s = stream;
    if (s == null || fsm.state() != BgpFsm.ESTABLISHED) {
      return;
    }
    s.offer(LiveEvent.of(EventKind.PEER_UP, vp, LiveEvent.nowMicros()));
    if (fsm.peerSupportsRouteRefresh()) {
      Open theirs = fsm.theirs();
      boolean any = false;
      for (Capability c : theirs.capabilities()) {
        if (c.code() == Capability.MULTIPROTOCOL
            && c.value().length == 4
            && c.safi() == 1
            && fsm.ours().capabilities().contains(c)) {
          any |= fsm.refresh(c.afi(), c.safi());
        }
      }
      if (!any) {
        fsm.refresh(1, 1);
      }
    } else {
      fsm.stop(6, 4, new byte[0], "rewind");
    }
  }

  void shutdown() {
    fsm.stop(6, 2, new byte[0], "admin_shutdown"); // RFC 4486: Administrative Shutdown
  }

  void collision() {
    fsm.stop(6, 7, new byte[0], "collision"); // RFC 4486: Connection Collision Resolution
  }
}
