package io.routewatch.state.query;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.servicekit.grpc.Unary;
import io.routewatch.servicekit.metrics.Gauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads that answer state's gRPC queries. A query is taken off the connection's event loop
 * once, answered here and written back once; through the framework's blocking dispatch it went to a
 * worker and back to the event loop for each of its steps (headers, message, half-close), and each
 * return waited behind everything else queued on that loop: with hundreds of change streams being
 * written, a one-millisecond query took seconds. {@value #PER_CORE} threads per core (queries may
 * wait on the engine's read lock, PostgreSQL or another shard), at most {@value #QUEUE} queries
 * waiting; beyond that a query is refused with RESOURCE_EXHAUSTED, counted in {@code
 * routewatch_state_queries_refused_total}.
 */
@ApplicationScoped
public class QueryThreads {
  static final int PER_CORE = 4;
  static final int QUEUE = 1024;

  @Inject MeterRegistry registry;

  private ThreadPoolExecutor pool;
  private Counter refused;

  void onStart(@Observes StartupEvent ev) {
    start();
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private synchronized ThreadPoolExecutor start() {
    if (pool == null) {
      int threads = PER_CORE * Math.max(1, Runtime.getRuntime().availableProcessors());
      AtomicInteger n = new AtomicInteger();
      pool =
          new ThreadPoolExecutor(
              threads,
              threads,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(QUEUE),
              r -> {
                Thread t = new Thread(r, "state-query-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      pool.allowCoreThreadTimeOut(true);
      refused = registry.counter("routewatch_state_queries_refused_total");
      Gauges.gauge(registry, "routewatch_state_queries_waiting", pool.getQueue(), q -> q.size());
    }
    return pool;
  }

  /** Answers {@code call} on a query thread ({@link Unary#answer}): never on the caller's. */
  public <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    try {
      start().execute(() -> Unary.answer(out, call));
    } catch (RejectedExecutionException e) {
      refused.increment();
      out.onError(
          Status.RESOURCE_EXHAUSTED
              .withDescription(
                  "state has "
                      + QUEUE
                      + " queries waiting for an answer; retry later"
                      + " (routewatch_state_queries_refused_total)")
              .asRuntimeException());
    }
  }
}
