package io.routewatch.state.ingest;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcService;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.proto.v1.GetStreamPositionsRequest;
import io.routewatch.proto.v1.GetStreamPositionsResponse;
import io.routewatch.proto.v1.IngestServiceGrpc;
import io.routewatch.proto.v1.PublishAck;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.StreamPosition;
import io.routewatch.state.StateConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Receives route-event batches from collectors. Inbound flow control is manual: we ask gRPC for one
 * more batch each time the stream's and the global byte budget have room ({@link FairScheduler}),
 * so a fast collector is slowed to the speed at which state applies (and its window fills, pausing
 * its sources) instead of state buffering without bound, and a greedy stream gets its share of
 * state, not everyone's. Messages beyond {@code routewatch.state.ingest.max-message-bytes} are
 * refused by the transport before they are read.
 */
@GrpcService
public class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {
  private static final Logger LOG = Logger.getLogger(IngestGrpcService.class);

  private static final Status NOT_READY =
      Status.UNAVAILABLE.withDescription("state is loading its RIB snapshot; retry");

  private static final StreamObserver<RouteEventBatch> IGNORE =
      new StreamObserver<>() {
        public void onNext(RouteEventBatch b) {}

        public void onError(Throwable t) {}

        public void onCompleted() {}
      };

  @Inject IngestPipeline pipeline;
  @Inject StateConfig config;
  @Inject MeterRegistry registry;
  private Counter refused;
  private Counter oversize;

  void onStart(@Observes StartupEvent ev) {
    refused = registry.counter("routewatch_state_ingest_streams_refused_total");
    oversize = registry.counter("routewatch_state_ingest_oversize_messages_total");
  }

  @Override
  public StreamObserver<RouteEventBatch> publish(StreamObserver<PublishAck> responses) {
    ServerCallStreamObserver<PublishAck> out = (ServerCallStreamObserver<PublishAck>) responses;
    if (!pipeline.ready()) {
      out.onError(NOT_READY.asRuntimeException());
      return IGNORE;
    }
    out.disableAutoRequest();
    AtomicBoolean closed = new AtomicBoolean();
    // asked for one batch at a time, whenever its own and the global byte budget have room
    FairScheduler.Lane lane =
        pipeline.open(
            () -> {
              if (!closed.get()) {
                out.request(1);
              }
            });
    if (lane == null) {
      refused.increment();
      out.onError(
          Status.RESOURCE_EXHAUSTED
              .withDescription(
                  "state already has "
                      + config.ingest().maxStreams()
                      + " publish streams open (routewatch.state.ingest.max-streams); retry later")
              .asRuntimeException());
      return IGNORE;
    }
    pipeline.connected(+1);
    Runnable end =
        () -> {
          if (closed.compareAndSet(false, true)) {
            pipeline.connected(-1);
            pipeline.close(lane);
          }
        };
    out.setOnCancelHandler(end);
    return new StreamObserver<>() {
      @Override
      public void onNext(RouteEventBatch batch) {
        int bytes = batch.getSerializedSize();
        int limit = config.ingest().maxMessageBytes();
        if (bytes > limit) {
          // the transport refuses longer messages before reading them; this catches a server
          // limit configured above ours
          oversize.increment();
          synchronized (out) {
            end.run();
            out.onError(oversize(bytes, limit).asRuntimeException());
          }
          return;
        }
        pipeline.submit(
            lane,
            batch,
            bytes,
            result -> {
              synchronized (out) {
                if (closed.get()) {
                  return;
                }
                if (result.error() != null) {
                  end.run();
                  out.onError(result.error().asRuntimeException());
                  return;
                }
                out.onNext(
                    PublishAck.newBuilder()
                        .setStreamId(batch.getStreamId())
                        .setSequence(result.position())
                        .setDuplicate(result.duplicate())
                        .setEventsApplied(result.eventsApplied())
                        .build());
              }
            });
      }

      @Override
      public void onError(Throwable t) {
        Status s = Status.fromThrowable(t);
        if (s.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          oversize.increment(); // the transport's message size limit
        }
        LOG.debugf("publish stream ended by collector: %s", s);
        end.run();
      }

      @Override
      public void onCompleted() {
        synchronized (out) {
          if (!closed.get()) {
            end.run();
            out.onCompleted();
          }
        }
      }
    };
  }

  static Status oversize(long bytes, int limit) {
    return Status.RESOURCE_EXHAUSTED.withDescription(
        "publish message of "
            + bytes
            + " bytes exceeds routewatch.state.ingest.max-message-bytes="
            + limit
            + "; lower the collector's routewatch.collector.publish.max-batch-bytes");
  }

  @Override
  public void getStreamPositions(
      GetStreamPositionsRequest req, StreamObserver<GetStreamPositionsResponse> out) {
    if (!pipeline.ready()) {
      // Positions come from the snapshot being loaded: an empty answer now would rewind everything.
      out.onError(NOT_READY.asRuntimeException());
      return;
    }
    GetStreamPositionsResponse.Builder b = GetStreamPositionsResponse.newBuilder();
    pipeline
        .positions(req.getCollector())
        .forEach(
            (id, seq) ->
                b.addPositions(StreamPosition.newBuilder().setStreamId(id).setSequence(seq)));
    out.onNext(b.build());
    out.onCompleted();
  }
}
