package io.routewatch.state.changes;

import io.routewatch.servicekit.log.LogText;
import io.routewatch.servicekit.metrics.Gauges;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcService;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.StateChangesGrpc;
import io.routewatch.proto.v1.SubscribeRequest;
import io.routewatch.state.StateConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Resumable change stream: replays committed journal entries after {@code from_sequence}, then
 * follows new ones. Writes only while the transport is ready (back-pressure); idles with
 * heartbeats so a subscriber can tell a quiet journal from a dead link.
 */
@GrpcService
public class StateChangesGrpcService extends StateChangesGrpc.StateChangesImplBase {
  private static final Logger LOG = Logger.getLogger(StateChangesGrpcService.class);

  @Inject ChangeJournal journal;
  @Inject StateConfig config;
  @Inject MeterRegistry registry;

  private final AtomicInteger subscribers = new AtomicInteger();
  private volatile boolean gaugeRegistered;

  @Override
  @Blocking
  public void subscribe(SubscribeRequest req, StreamObserver<Change> responses) {
    ServerCallStreamObserver<Change> out = (ServerCallStreamObserver<Change>) responses;
    if (!gaugeRegistered) {
      Gauges.gauge(registry, "routewatch_state_change_subscribers", subscribers);
      gaugeRegistered = true;
    }
    long after = req.getFromSequence();
    if (after > journal.lastSequence()) {
      out.onError(
          Status.OUT_OF_RANGE
              .withDescription(
                  "from_sequence " + after + " is beyond the journal's last sequence " + journal.lastSequence())
              .asRuntimeException());
      return;
    }
    long oldest = journal.oldestRetained();
    if (after > 0 && oldest > after + 1) {
      out.onError(
          Status.OUT_OF_RANGE
              .withDescription("sequences up to " + (oldest - 1) + " are past retention; resubscribe from 0")
              .asRuntimeException());
      return;
    }
    subscribers.incrementAndGet();
    LOG.infof("subscriber %s resumes after %d", LogText.safe(req.getSubscriber()), after);
    long heartbeatMillis = config.journal().heartbeat().toMillis();
    long lastSent = System.currentTimeMillis();
    // First message at once: the subscriber knows the stream is established before any change.
    out.onNext(heartbeat(after));
    try {
      while (!out.isCancelled()) {
        List<Change> changes = journal.read(after, 500);
        for (Change c : changes) {
          while (!out.isReady() && !out.isCancelled()) {
            Thread.sleep(5);
          }
          if (out.isCancelled()) {
            return;
          }
          out.onNext(c);
          after = c.getSequence();
          lastSent = System.currentTimeMillis();
        }
        if (changes.isEmpty()) {
          journal.awaitBeyond(after, Math.min(heartbeatMillis, 1000));
          if (System.currentTimeMillis() - lastSent >= heartbeatMillis && out.isReady()) {
            out.onNext(heartbeat(after));
            lastSent = System.currentTimeMillis();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warnf("subscription of %s failed: %s", LogText.safe(req.getSubscriber()), e.getMessage());
      if (!out.isCancelled()) {
        out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      }
      return;
    } finally {
      subscribers.decrementAndGet();
    }
  }

  private static Change heartbeat(long sequence) {
    return Change.newBuilder()
        .setKind(ChangeKind.HEARTBEAT)
        .setSequence(sequence)
        .setTimeMicros(System.currentTimeMillis() * 1000)
        .build();
  }
}
