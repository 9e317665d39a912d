package io.routewatch.collector.bmp;

import io.routewatch.bgp.bmp.BgpPdu;
import io.routewatch.bgp.bmp.BmpError;
import io.routewatch.bgp.bmp.BmpException;
import io.routewatch.bgp.bmp.BmpFrame;
import io.routewatch.bgp.bmp.BmpFramer;
import io.routewatch.bgp.bmp.BmpMessage;
import io.routewatch.bgp.bmp.BmpSession;
import io.routewatch.bgp.bmp.BmpUpdate;
import io.routewatch.bgp.bmp.Initiation;
import io.routewatch.bgp.bmp.PeerDownNotification;
import io.routewatch.bgp.bmp.PeerKey;
import io.routewatch.bgp.bmp.PeerUpNotification;
import io.routewatch.bgp.bmp.RouteMirroring;
import io.routewatch.bgp.bmp.RouteMonitoring;
import io.routewatch.bgp.bmp.StatisticsReport;
import io.routewatch.bgp.bmp.Termination;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.message.Update;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.collector.publish.LiveStream;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.VantagePoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * One router's BMP connection on its own thread: frames (RFC 7854 §4.1; a stream that cannot be
 * framed is closed, the router reconnects and re-sends), decodes, keeps the {@link BmpSession}
 * (OPENs of each Peer Up decide how UPDATEs are decoded) and emits route events on the connection's
 * {@link LiveStream} ({@code bmp/<router>/<start-ms>}).
 *
 * <p>Re-dumps: every Peer Up opens a dump (RIB_DUMP_BEGIN) for the peer's VPs; its End-of-RIB (or
 * the settle timeout) closes it (RIB_DUMP_END), so state replaces the VP's table instead of adding
 * to it. A connection that breaks does not take its peers down (the router still has them): the
 * station waits {@code down-after} for the router to come back.
 */
final class BmpConnection implements Runnable, BmpFramer.Sink {
  private static final Logger LOG = Logger.getLogger(BmpConnection.class);

  /** An open dump of one peer: VPs begun and the settle deadline. */
  private static final class Dump {
    final long deadline;
    final Set<VantagePoint> open = new HashSet<>();
    final Set<VantagePoint> ended = new HashSet<>();

    Dump(long deadline) {
      this.deadline = deadline;
    }
  }

  private final Socket socket;
  private final BmpStation station;
  private final String label;
  private final BmpMetrics metrics;
  private final FeedHealth.Feed health;
  private final BmpRouterMemory memory;
  private final long settleMillis;
  private final BmpFramer framer;
  private final BmpSession session = new BmpSession();
  private final Map<PeerKey, Dump> dumps = new HashMap<>();
  private final long startMillis = System.currentTimeMillis();
  private String router;
  private LiveStream stream;
  private volatile boolean closing;

  /** Closed after this long without data (0: never). */
  private final long idleMillis;

  BmpConnection(
      Socket socket,
      BmpStation station,
      String label,
      BmpMetrics metrics,
      FeedHealth.Feed health,
      BmpRouterMemory memory,
      Duration settle,
      int maxMessage,
      Duration idle) {
    this.socket = socket;
    this.idleMillis = idle.toMillis();
    this.station = station;
    this.label = label;
    this.metrics = metrics;
    this.health = health;
    this.memory = memory;
    this.settleMillis = settle.toMillis();
    this.framer = new BmpFramer(maxMessage, BmpFramer.OnError.CLOSE);
  }

  @Override
  public void run() {
    byte[] buf = new byte[65536];
    try {
      socket.setSoTimeout(1000);
      InputStream in = socket.getInputStream();
      long lastData = System.currentTimeMillis();
      while (!closing && !framer.closed()) {
        int n;
        try {
          n = in.read(buf);
        } catch (SocketTimeoutException t) {
          long now = System.currentTimeMillis();
          expireDumps(now);
          if (idleMillis > 0 && now - lastData >= idleMillis) {
            metrics.idleClosed(label);
            LOG.infof(
                "bmp %s: nothing received for %d s (idle-timeout): closing",
                name(), idleMillis / 1000);
            break;
          }
          continue;
        }
        if (n < 0) {
          break;
        }
        lastData = System.currentTimeMillis();
        framer.feed(buf, 0, n, this);
        expireDumps(System.currentTimeMillis());
      }
    } catch (IOException e) {
      LOG.debugf("bmp %s: %s", name(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.errorf(e, "bmp %s: connection failed", name());
    } finally {
      close();
      if (stream != null) {
        stream.close(Duration.ofSeconds(30));
      }
      station.onClosed(this);
    }
  }

  InetAddressKey key() {
    return new InetAddressKey(socket.getInetAddress());
  }

  /** Closes the connection: the router reconnects and re-dumps (RFC 7854 §3.3). */
  void close() {
    closing = true;
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private String name() {
    return router != null ? router : socket.getInetAddress().getHostAddress();
  }

  @Override
  public void onError(BmpError error) {
    metrics.framingError(label);
    LOG.warnf("bmp %s: %s", name(), error);
  }

  @Override
  public void onFrame(BmpFrame frame) {
    metrics.message(label, frame.typeCode());
    health.message();
    BmpMessage m;
    try {
      m = frame.decode();
    } catch (BmpException e) {
      metrics.decodeError(label);
      LOG.debugf("bmp %s: %s", name(), e.error());
      return;
    }
    if (m instanceof PeerUpNotification up && !admitted(up.peer().key())) {
      return; // not even into the session: its peer map stays as bounded as the memory
    }
    session.accept(m);
    long now = LiveEvent.nowMicros();
    if (m instanceof Initiation i) {
      router = i.sysName() != null && !i.sysName().isBlank() ? i.sysName() : null;
    } else if (m instanceof PeerUpNotification up) {
      peerUp(up, now);
    } else if (m instanceof PeerDownNotification down) {
      peerDown(down.peer().key(), now);
    } else if (m instanceof RouteMonitoring rm) {
      routeMonitoring(rm, now);
    } else if (m instanceof StatisticsReport st) {
      if (admitted(st.peer().key())) {
        metrics.stats(label, st); // remembered peers only: the stat map is as bounded as they are
      }
    } else if (m instanceof RouteMirroring) {
      metrics.mirroring(label);
    } else if (m instanceof Termination) {
      closing = true; // RFC 7854 §4.5: the router closes after Termination
    }
  }

  private LiveStream stream() {
    if (stream == null) {
      String who = name();
      stream =
          station
              .streams()
              .open(
                  who,
                  "bmp/" + socket.getInetAddress().getHostAddress() + "/" + startMillis,
                  FeedKind.BMP);
      stream.onRewind(this::close);
    }
    return stream;
  }

  private void emit(LiveEvent e) {
    stream().offer(e);
  }

  /**
   * Whether the router's memory keeps (or makes room for) this peer; a refusal is counted and
   * logged at most once a minute per connection.
   */
  private boolean admitted(PeerKey k) {
    BmpRouterMemory.Admit a = memory.admit(k);
    if (a == BmpRouterMemory.Admit.EVICTED) {
      metrics.peerEvicted(label);
    } else if (a == BmpRouterMemory.Admit.REFUSED) {
      refusedPeer(k, "max-peers-per-router: every remembered peer is up");
      return false;
    }
    return true;
  }

  private void refusedPeer(PeerKey k, String why) {
    metrics.peerRefused(label);
    long now = System.nanoTime();
    if (now - lastRefusalLog >= REFUSAL_LOG_NANOS) {
      LOG.warnf(
          "bmp %s: peer %s refused (%s); %d more refused since the last line",
          name(), k, why, refusalsNotLogged);
      lastRefusalLog = now;
      refusalsNotLogged = 0;
    } else {
      refusalsNotLogged++;
    }
  }

  private static final long REFUSAL_LOG_NANOS = 60_000_000_000L;
  private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_NANOS;
  private long refusalsNotLogged;

  private void peerUp(PeerUpNotification up, long now) {
    PeerKey k = up.peer().key();
    memory.up(k);
    Set<VantagePoint> views = memory.views(k);
    if (views.isEmpty()) {
      VantagePoint vp = BmpViews.vp(name(), up.peer());
      memory.addView(k, vp); // the first view of an admitted peer always fits
      views = Set.of(vp);
    }
    Dump d = new Dump(System.currentTimeMillis() + settleMillis);
    for (VantagePoint vp : views) {
      emit(LiveEvent.of(EventKind.PEER_UP, vp, now));
      emit(LiveEvent.of(EventKind.RIB_DUMP_BEGIN, vp, now));
      d.open.add(vp);
    }
    dumps.put(k, d);
    metrics.events(2L * views.size());
  }

  private void peerDown(PeerKey k, long now) {
    memory.down(k);
    dumps.remove(k);
    for (VantagePoint vp : memory.views(k)) {
      emit(LiveEvent.of(EventKind.PEER_DOWN, vp, now));
      metrics.events(1);
    }
  }

  private void routeMonitoring(RouteMonitoring rm, long now) {
    if (rm.update().type() != BgpPdu.UPDATE) {
      return;
    }
    BmpUpdate bu;
    try {
      bu = rm.decodeUpdate(session.encodingFor(rm.peer()));
    } catch (DecodeException e) {
      metrics.updateError(label);
      return;
    }
    if (bu.asWidthRetried()) {
      metrics.asWidthRetried(label);
    }
    PeerKey k = rm.peer().key();
    if (!admitted(k)) {
      return;
    }
    VantagePoint vp = BmpViews.vp(name(), rm.peer());
    if (!memory.addView(k, vp)) {
      refusedPeer(k, "view " + vp.getCollector() + " over max-views-per-peer");
      return;
    }
    Dump d = dumps.get(k);
    if (d != null && !d.open.contains(vp) && !d.ended.contains(vp)) {
      emit(LiveEvent.of(EventKind.RIB_DUMP_BEGIN, vp, now)); // a view first seen during the dump
      d.open.add(vp);
    }
    Update u = bu.update();
    if (u.isEndOfRib()) {
      emit(LiveEvent.endOfRib(vp, now, u.endOfRibAfiSafi()[0]));
      if (d != null && d.open.remove(vp)) {
        emit(LiveEvent.of(EventKind.RIB_DUMP_END, vp, now));
        d.ended.add(vp);
      }
      return;
    }
    if (u.action().compareTo(Rfc7606Action.AFI_SAFI_DISABLE) >= 0) {
      metrics.updateError(label);
      return;
    }
    long n = 0;
    for (Nlri w : u.allWithdrawn()) {
      emit(LiveEvent.withdraw(vp, now, w));
      n++;
    }
    boolean withdraw = u.action() == Rfc7606Action.TREAT_AS_WITHDRAW;
    for (Nlri a : u.announced()) {
      emit(
          withdraw
              ? LiveEvent.withdraw(vp, now, a)
              : LiveEvent.announce(vp, now, a, u.attributes()));
      n++;
    }
    metrics.events(n);
  }

  /** Closes dumps whose End-of-RIB did not come within the settle time. */
  private void expireDumps(long nowMillis) {
    for (Iterator<Map.Entry<PeerKey, Dump>> it = dumps.entrySet().iterator(); it.hasNext(); ) {
      Dump d = it.next().getValue();
      if (nowMillis < d.deadline) {
        continue;
      }
      for (VantagePoint vp : d.open) {
        emit(LiveEvent.of(EventKind.RIB_DUMP_END, vp, LiveEvent.nowMicros()));
      }
      it.remove();
    }
  }

  /** Address key of the router (one memory per router address). */
  record InetAddressKey(java.net.InetAddress address) {}
}
