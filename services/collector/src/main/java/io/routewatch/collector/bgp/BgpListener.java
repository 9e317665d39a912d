package io.routewatch.collector.bgp;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.health.RefusalLog;
import io.routewatch.collector.journal.LiveJournal;
import io.routewatch.collector.publish.LiveStreams;
import io.routewatch.servicekit.metrics.Gauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The passive BGP listener: accepts TCP connections from configured neighbours only (others are
 * closed at once and counted), one {@link BgpConnection} thread per session, at most one session
 * per neighbour (RFC 4271 §6.8: a second connection while one is Established is refused). A
 * listener that cannot bind logs and counts the failure; the collector keeps running.
 */
@ApplicationScoped
public class BgpListener {
  private static final Logger LOG = Logger.getLogger(BgpListener.class);

  /** One WARN per refused source a minute: a misconfigured peer retries every few seconds. */
  private final RefusalLog refusals = new RefusalLog(LOG);

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;
  @Inject LiveStreams streams;
  @Inject FeedHealth health;
  @Inject LiveJournal journal;

  private final Map<InetAddress, BgpNeighbor> neighbors = new HashMap<>();
  private final Map<InetAddress, BgpConnection> sessions = new ConcurrentHashMap<>();
  private final Map<InetAddress, Boolean> everUp = new ConcurrentHashMap<>();
  private BgpLocal local;
  private BgpMetrics metrics;
  private ServerSocket server;
  private volatile boolean stopping;

  void onStart(@Observes StartupEvent ev) {
    CollectorConfig.Bgp c = config.bgp();
    metrics = new BgpMetrics(registry);
    List<BgpNeighbor> list = BgpNeighbor.parseAll(c.neighbors());
    for (BgpNeighbor n : list) {
      neighbors.put(n.address(), n);
      health.feed("bgp", n.name()); // series exist at 0 before the first session
    }
    Gauges.gauge(
        registry,
        "routewatch_collector_bgp_listener_up",
        this,
        l -> l.server != null && !l.server.isClosed() ? 1 : 0);
    if (!c.enabled()) {
      return;
    }
    local = BgpLocal.of(c.localAsn(), c.routerId(), (int) c.holdTime().toSeconds());
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(c.host()), c.port()), 64);
    } catch (IOException e) {
      LOG.errorf(
          "BGP listener cannot bind %s:%d (%s); BGP sessions disabled",
          c.host(), c.port(), e.getMessage());
      server = null;
      return;
    }
    Thread t = new Thread(this::acceptLoop, "bgp-listener");
    t.setDaemon(true);
    t.start();
    LOG.infof(
        "BGP listener on %s:%d, AS %d, %d neighbours",
        c.host(), server.getLocalPort(), c.localAsn(), list.size());
  }

  void onStop(@Observes ShutdownEvent ev) {
    stopping = true;
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException e) {
      // closing
    }
    sessions.values().forEach(BgpConnection::shutdown);
  }

  /** The bound port (useful when configured as 0), or -1. */
  public int port() {
    return server == null ? -1 : server.getLocalPort();
  }

  /** The live journal when it is on, else null (events go through the live buffer). */
  LiveJournal journal() {
    return journal.enabled() ? journal : null;
  }

  long localAsn() {
    return config.bgp().localAsn();
  }

  String collectorName() {
    return config.name();
  }

  LiveStreams streams() {
    return streams;
  }

  private void acceptLoop() {
    while (!stopping) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!stopping) {
          LOG.warnf("BGP accept failed: %s", e.getMessage());
        }
        continue;
      }
      accept(s);
    }
  }

  private void accept(Socket s) {
    InetAddress from = s.getInetAddress();
    BgpNeighbor n = neighbors.get(from);
    if (n == null) {
      metrics.refused("unconfigured");
      refusals.refused(
          from, "BGP connection from unconfigured " + from.getHostAddress() + " refused");
      closeQuietly(s);
      return;
    }
    BgpConnection existing = sessions.get(from);
    if (existing != null && existing.state() == BgpFsm.ESTABLISHED) {
      metrics.refused("collision");
      closeQuietly(s);
      return;
    }
    if (existing != null) {
      existing.collision(); // the older, not yet established connection gives way
    }
    FeedHealth.Feed feed = health.feed("bgp", n.name());
    BgpConnection c = new BgpConnection(s, n, local, this, metrics, feed);
    sessions.put(from, c);
    Thread t = new Thread(c, "bgp-" + n.name());
    t.setDaemon(true);
    t.start();
  }

  void onEstablished(BgpConnection c, FeedHealth.Feed feed) {
    feed.established(everUp.put(c.neighbor().address(), true) != null);
  }

  void onDown(BgpConnection c) {
    sessions.remove(c.neighbor().address(), c);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
