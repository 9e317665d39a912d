package io.routewatch.collector.rislive;

import io.micrometer.core.instrument.MeterRegistry;
import io.routewatch.collector.health.FeedHealth;
import io.routewatch.collector.publish.LiveEvent;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * RIS Live WebSocket client (JDK {@link java.net.http.WebSocket}): subscribes with the configured
 * filters, sends a ping every {@code ping-interval}, and reconnects with exponential backoff
 * ({@code reconnect-min} doubling to {@code reconnect-max}) whenever the connection closes, fails
 * or stays silent longer than {@code idle-timeout}. A frame that does not parse is counted ({@code
 * routewatch_collector_rislive_errors_total{reason}}) and skipped; the connection goes on. A
 * message longer than {@code max-message-size} is never held whole: its fragments are discarded as
 * they arrive (reason {@code too_large}, logged at most once a minute) and the next message is read
 * as usual.
 */
public final class RisLiveClient implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RisLiveClient.class);

  private final RisLiveSettings settings;
  private final Consumer<LiveEvent> sink;
  private final MeterRegistry registry;
  private final FeedHealth.Feed health;
  private final RisMessageMapper mapper = new RisMessageMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile WebSocket socket;
  private volatile long lastMessageNanos;
  private boolean everConnected;
  private long lastTooLargeLog = System.nanoTime() - TOO_LARGE_LOG_NANOS;
  private long tooLargeNotLogged;

  /** At most one log line a minute for dropped oversize messages (each one is counted). */
  private static final long TOO_LARGE_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

  public RisLiveClient(
      RisLiveSettings settings,
      Consumer<LiveEvent> sink,
      MeterRegistry registry,
      FeedHealth.Feed health) {
    this.settings = settings;
    this.sink = sink;
    this.registry = registry;
    this.health = health;
    registry.counter(
        "routewatch_collector_rislive_errors_total", "reason", "too_large"); // 0, not absent
    this.thread = new Thread(this::loop, "ris-live");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  @Override
  public void close() {
    stopping = true;
    WebSocket s = socket;
    if (s != null) {
      s.abort();
    }
    thread.interrupt();
  }

  private void loop() {
    Duration delay = settings.reconnectMin();
    while (!stopping) {
      boolean received = connectOnce();
      if (stopping) {
        return;
      }
      if (received) {
        delay = settings.reconnectMin(); // it worked for a while: start the backoff again
      }
      LOG.infof("RIS Live connection to %s ended; reconnecting in %s", settings.url(), delay);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      delay =
          delay.multipliedBy(2).compareTo(settings.reconnectMax()) > 0
              ? settings.reconnectMax()
              : delay.multipliedBy(2);
    }
  }

  /** One connection's life; true if it delivered at least one message. */
  private boolean connectOnce() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Listener listener = new Listener(closed);
    WebSocket ws;
    try {
      ws =
          http.newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(settings.url(), listener)
              .get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warnf("RIS Live connect to %s failed: %s", settings.url(), e.getMessage());
      return false;
    }
    socket = ws;
    health.established(everConnected);
    everConnected = true;
    health.state(6);
    lastMessageNanos = System.nanoTime();
    ws.sendText(settings.subscribeJson(), true);
    long pingNanos = settings.pingInterval().toNanos();
    long idleNanos = settings.idleTimeout().toNanos();
    long nextPing = System.nanoTime() + pingNanos;
    try {
      while (!stopping && !closed.isDone()) {
        try {
          closed.get(250, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException t) {
          // periodic work below
        }
        long now = System.nanoTime();
        if (now - lastMessageNanos > idleNanos) {
          LOG.warnf("RIS Live silent for %s: reconnecting", settings.idleTimeout());
          break;
        }
        if (now >= nextPing) {
          ws.sendPing(ByteBuffer.wrap(new byte[] {'r', 'w'}));
          nextPing = now + pingNanos;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debugf("RIS Live: %s", e.getMessage());
    } finally {
      ws.abort();
      socket = null;
      health.state(1);
    }
    return listener.messages > 0;
  }

  void onFrame(String text) {
    lastMessageNanos = System.nanoTime();
    try {
      RisMessageMapper.Result r = mapper.map(text, LiveEvent.nowMicros());
      registry.counter("routewatch_collector_rislive_messages_total", "type", r.type()).increment();
      if (r.type().equals("ris_error")) {
        registry
            .counter("routewatch_collector_rislive_errors_total", "reason", "ris_error")
            .increment();
      }
      for (LiveEvent e : r.events()) {
        sink.accept(e);
      }
      registry
          .counter("routewatch_collector_events_read_total", "source", "rislive")
          .increment(r.events().size());
    } catch (RisMessageMapper.Malformed m) {
      registry
          .counter("routewatch_collector_rislive_errors_total", "reason", m.reason())
          .increment();
      LOG.warnf("RIS Live frame skipped (%s): %s", m.reason(), m.getMessage());
    } finally {
      health.message(); // after the frame's own counters, so a reader sees them together
    }
  }

  /**
   * A message passed max-message-size after {@code chars} characters: counted, logged (limited).
   */
  void onTooLarge(long chars) {
    lastMessageNanos = System.nanoTime(); // the connection is alive, only this message is not kept
    registry
        .counter("routewatch_collector_rislive_errors_total", "reason", "too_large")
        .increment();
    long now = System.nanoTime();
    if (now - lastTooLargeLog >= TOO_LARGE_LOG_NANOS) {
      LOG.warnf(
          "RIS Live message from %s dropped: more than %d characters (max-message-size) after %d;"
              + " %d more dropped since the last line",
          settings.url(), settings.maxMessageSize(), chars, tooLargeNotLogged);
      lastTooLargeLog = now;
      tooLargeNotLogged = 0;
    } else {
      tooLargeNotLogged++;
    }
    health.message();
  }

  private final class Listener implements WebSocket.Listener {
    private final CompletableFuture<Void> closed;
    private StringBuilder partial = new StringBuilder();

    /** Inside a message already over max-message-size: its remaining fragments are discarded. */
    private boolean discarding;

    long messages;

    Listener(CompletableFuture<Void> closed) {
      this.closed = closed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (discarding) {
        discarding = !last;
        ws.request(1);
        return null;
      }
      if ((long) partial.length() + data.length() > settings.maxMessageSize()) {
        // Checked before appending: the buffer never holds more than max-message-size characters.
        long seen = (long) partial.length() + data.length();
        partial = new StringBuilder(); // drop the capacity too, not only the length
        discarding = !last;
        onTooLarge(seen);
        ws.request(1);
        return null;
      }
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        messages++;
        onFrame(text);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      lastMessageNanos = System.nanoTime();
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      LOG.warnf("RIS Live error: %s", error.toString());
      closed.complete(null);
    }
  }
}
