package io.routewatch.collector.bmp;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.health.RefusalLog;
import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.collector.publish.LiveStream;
import io.routewatch.collector.publish.LiveStreams;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.VantagePoint;
import io.routewatch.servicekit.metrics.Gauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The BMP station (RFC 7854 §3.2: the router connects to us). Only allowed sources may connect
 * (allowed-sources; default loopback and the configured routers), at most max-connections at once;
 * configured routers get their own metric label. One {@link BmpConnection} thread per connection.
 * When a router's connection ends the station waits {@code down-after} for it to come back (it
 * re-dumps on reconnect) before taking the VPs of its peers down.
 */
@ApplicationScoped
public class BmpStation {
  private static final Logger LOG = Logger.getLogger(BmpStation.class);

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;
  @Inject LiveStreams streams;
  @Inject FeedHealth health;

  private final Map<InetAddress, String> names = new HashMap<>();
  private final Map<InetAddress, BmpRouterMemory> memory = new ConcurrentHashMap<>();
  private final Map<InetAddress, ScheduledFuture<?>> pendingDown = new ConcurrentHashMap<>();
  private final Map<InetAddress, Boolean> everConnected = new ConcurrentHashMap<>();
  private final Set<BmpConnection> connections = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bmp-timers");
            t.setDaemon(true);
            return t;
          });
  private BmpMetrics metrics;
  private BmpSources sources;
  private final RefusalLog refusals = new RefusalLog(LOG);
  private ServerSocket server;
  private volatile boolean stopping;

  void onStart(@Observes StartupEvent ev) {
    CollectorConfig.Bmp c = config.bmp();
    metrics = new BmpMetrics(registry);
    c.routers().ifPresent(list -> list.stream().filter(s -> !s.isBlank()).forEach(this::addRouter));
    names.values().forEach(n -> health.feed("bmp", n));
    sources = BmpSources.of(c.allowedSources(), names.keySet());
    for (String label : labels()) {
      metrics.router(label);
      Gauges.gauge(
          registry,
          "routewatch_collector_bmp_peers",
          io.micrometer.core.instrument.Tags.of("router", label),
          this,
          s -> s.peers(label));
    }
    Gauges.gauge(
        registry,
        "routewatch_collector_bmp_listener_up",
        this,
        s -> s.server != null && !s.server.isClosed() ? 1 : 0);
    if (!c.enabled()) {
      return;
    }
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(c.host()), c.port()), 64);
    } catch (IOException e) {
      LOG.errorf(
          "BMP station cannot bind %s:%d (%s); BMP disabled", c.host(), c.port(), e.getMessage());
      server = null;
      return;
    }
    Thread t = new Thread(this::acceptLoop, "bmp-station");
    t.setDaemon(true);
    t.start();
    LOG.infof(
        "BMP station on %s:%d, sources allowed: %s, at most %d connections",
        c.host(), server.getLocalPort(), sources, c.maxConnections());
  }

  /** Every router label: the configured names and {@code other}. */
  private Set<String> labels() {
    Set<String> all = new java.util.TreeSet<>(names.values());
    all.add(FeedHealth.OTHER);
    return all;
  }

  /** Monitored peers remembered for the routers under this label. */
  private double peers(String label) {
    long n = 0;
    for (Map.Entry<InetAddress, BmpRouterMemory> e : memory.entrySet()) {
      if (names.getOrDefault(e.getKey(), FeedHealth.OTHER).equals(label)) {
        n += e.getValue().peers();
      }
    }
    return n;
  }

  /** {@code address=10.0.0.1;name=edge1}. */
  private void addRouter(String spec) {
    String address = null;
    String name = null;
    for (String part : spec.split(";")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "bmp router entry '" + spec + "': '" + part + "' is not key=value");
      }
      switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
        case "address" -> address = kv[1].trim();
        case "name" -> name = kv[1].trim();
        default ->
            throw new IllegalArgumentException(
                "bmp router entry '" + spec + "': unknown key " + kv[0]);
      }
    }
    try {
      InetAddress a = InetAddress.getByName(address);
      names.put(a, name != null ? name : a.getHostAddress());
    } catch (IOException | NullPointerException e) {
      throw new IllegalArgumentException(
          "bmp router entry '" + spec + "': bad or missing address", e);
    }
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
    connections.forEach(BmpConnection::close);
    timers.shutdownNow();
  }

  public int port() {
    return server == null ? -1 : server.getLocalPort();
  }

  LiveStreams streams() {
    return streams;
  }

  private void acceptLoop() {
    while (!stopping) {
      try {
        accept(server.accept());
      } catch (IOException e) {
        if (!stopping) {
          LOG.warnf("BMP accept failed: %s", e.getMessage());
        }
      }
    }
  }

  private void accept(Socket s) {
    InetAddress from = s.getInetAddress();
    if (!sources.allows(from)) {
      metrics.refused("not_allowed");
      refusals.refused(
          from,
          "BMP connection from "
              + from.getHostAddress()
              + " refused: not in allowed-sources "
              + sources);
      closeQuietly(s);
      return;
    }
    if (connections.size() >= config.bmp().maxConnections()) {
      metrics.refused("limit");
      refusals.refused(
          from,
          "BMP connection from "
              + from.getHostAddress()
              + " refused: "
              + connections.size()
              + " connections open (max-connections)");
      closeQuietly(s);
      return;
    }
    String label = names.getOrDefault(from, FeedHealth.OTHER);
    ScheduledFuture<?> pending = pendingDown.remove(from);
    if (pending != null) {
      pending.cancel(false); // it came back: its re-dump replaces the tables
    }
    FeedHealth.Feed feed = health.feed("bmp", label);
    feed.established(everConnected.put(from, true) != null);
    feed.state(6);
    CollectorConfig.Bmp c = config.bmp();
    BmpRouterMemory mem =
        memory.computeIfAbsent(
            from, a -> new BmpRouterMemory(c.maxPeersPerRouter(), c.maxViewsPerPeer()));
    BmpConnection conn =
        new BmpConnection(
            s, this, label, metrics, feed, mem, c.settle(), c.maxMessageSize(), c.idleTimeout());
    connections.add(conn);
    Thread t = new Thread(conn, "bmp-" + from.getHostAddress());
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  void onClosed(BmpConnection c) {
    connections.remove(c);
    InetAddress from = c.key().address();
    boolean stillConnected = connections.stream().anyMatch(x -> x.key().address().equals(from));
    if (!stillConnected) {
      health.feed("bmp", names.getOrDefault(from, FeedHealth.OTHER)).state(1);
    }
    if (stopping || stillConnected) {
      return;
    }
    Duration after = config.bmp().downAfter();
    pendingDown.put(
        from, timers.schedule(() -> downRouter(from), after.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** The router did not come back: its peers' VPs go down (their routes are withdrawn in state). */
  private void downRouter(InetAddress from) {
    pendingDown.remove(from);
    BmpRouterMemory mem = memory.get(from);
    if (mem == null) {
      return;
    }
    Set<VantagePoint> vps = mem.upViews();
    mem.clearUp();
    if (vps.isEmpty()) {
      return;
    }
    LOG.infof(
        "bmp router %s gone for %s: %d VPs down",
        from.getHostAddress(), config.bmp().downAfter(), vps.size());
    LiveStream s =
        streams.open(
            from.getHostAddress(),
            "bmp/" + from.getHostAddress() + "/down/" + System.currentTimeMillis(),
            FeedKind.BMP);
    long now = LiveEvent.nowMicros();
    vps.forEach(vp -> s.offer(LiveEvent.of(EventKind.PEER_DOWN, vp, now)));
    s.close(Duration.ofSeconds(30));
  }
}
