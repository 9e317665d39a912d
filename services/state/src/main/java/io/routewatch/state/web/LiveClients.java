package io.routewatch.state.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.servicekit.metrics.Gauges;
import io.routewatch.state.WebConfig;
import io.routewatch.state.changes.ChangeJournal;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pages following {@code /web/live}, served by one thread whatever their number: on each
 * journal commit it sends every page a tick, without waiting for the write; a page whose previous
 * tick is still being written is marked and gets one tick with the newest sequence when that write
 * completes (ticks coalesce, nothing queues up behind a slow page). Every second it drops closed
 * pages and sends a keep-alive tick to those idle for {@code routewatch.web.keep-alive}. At most
 * {@code routewatch.web.max-live-clients} are followed at once.
 */
@ApplicationScoped
public class LiveClients {
  @Inject ChangeJournal journal;
  @Inject WebConfig config;
  @Inject MeterRegistry registry;

  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicBoolean tickQueued = new AtomicBoolean();
  private Counter refused;
  private ScheduledExecutorService thread;

  /** One followed page. */
  final class Client {
    private final SseEventSink sink;
    private final Sse sse;
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean again;
    private volatile long seen = -1;
    private volatile long lastSent;

    Client(SseEventSink sink, Sse sse) {
      this.sink = sink;
      this.sse = sse;
    }

    /** Sends the journal's position unless a write is in flight (then once it completes). */
    void tick(boolean keepAlive) {
      if (!writing.compareAndSet(false, true)) {
        again = !keepAlive || again;
        return;
      }
      again = false;
      long seq = journal.lastSequence();
      boolean ka = keepAlive && seq == seen;
      seen = seq;
      lastSent = System.currentTimeMillis();
      OutboundSseEvent ev =
          sse.newEventBuilder()
              .name("tick")
              .id(Long.toString(seq))
              .mediaType(MediaType.APPLICATION_JSON_TYPE)
              .data(String.class, "{\"sequence\":" + seq + ",\"keepAlive\":" + ka + "}")
              .build();
      try {
        sink.send(ev)
            .whenComplete(
                (ok, err) -> {
                  writing.set(false);
                  if (err != null) {
                    drop(this);
                  } else if (again) {
                    tick(false);
                  }
                });
      } catch (RuntimeException e) {
        writing.set(false);
        drop(this); // closed meanwhile
      }
    }
  }

  void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent ev) {
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "web-live");
              t.setDaemon(true);
              return t;
            });
    Gauges.gauge(registry, "routewatch_state_web_live_clients", count);
    Gauges.gauge(registry, "routewatch_state_web_live_clients_limit", config.maxLiveClients());
    refused = registry.counter("routewatch_state_web_live_clients_refused_total");
    journal.onCommit(
        batch -> {
          if (tickQueued.compareAndSet(false, true)) {
            try {
              thread.execute(this::tickAll);
            } catch (RejectedExecutionException e) {
              // shutting down
            }
          }
        });
    thread.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (thread != null) {
      thread.shutdownNow();
    }
    clients.forEach(c -> c.sink.close());
  }

  /** Follows a page (sends its first tick now); false at the cap (the caller answers 503). */
  boolean add(SseEventSink sink, Sse sse) {
    if (count.incrementAndGet() > config.maxLiveClients()) {
      count.decrementAndGet();
      refused.increment();
      return false;
    }
    Client c = new Client(sink, sse);
    clients.add(c);
    c.tick(false);
    return true;
  }

  int clients() {
    return count.get();
  }

  /** At the cap: a new page would be refused. */
  boolean full() {
    return count.get() >= config.maxLiveClients();
  }

  int limit() {
    return config.maxLiveClients();
  }

  /** A page refused before it reached {@link #add} ({@link LiveAdmission}). */
  void refuse() {
    refused.increment();
  }

  private void drop(Client c) {
    if (clients.remove(c)) {
      count.decrementAndGet();
      try {
        c.sink.close();
      } catch (RuntimeException e) {
        // gone already
      }
    }
  }

  private void tickAll() {
    tickQueued.set(false);
    for (Client c : clients) {
      c.tick(false);
    }
  }

  private void sweep() {
    long idle = config.keepAlive().toMillis();
    long now = System.currentTimeMillis();
    for (Client c : clients) {
      if (c.sink.isClosed()) {
        drop(c);
      } else if (now - c.lastSent >= idle) {
        c.tick(true);
      }
    }
  }
}
