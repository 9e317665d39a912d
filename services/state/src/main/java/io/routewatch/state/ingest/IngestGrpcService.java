package io.routewatch.state.ingest;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.routewatch.proto.v1.GetStreamPositionsRequest;
import io.routewatch.proto.v1.GetStreamPositionsResponse;
import io.routewatch.proto.v1.IngestServiceGrpc;
import io.routewatch.proto.v1.PublishAck;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.StreamPosition;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Receives route-event batches from collectors. Inbound flow control is manual: we ask gRPC for
 * one more batch each time the pipeline has room, so a fast collector is slowed to the speed at
 * which state applies (and its window fills, pausing its sources) instead of state buffering
 * without bound.
 */
@GrpcService
public class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {
  private static final Logger LOG = Logger.getLogger(IngestGrpcService.class);

  private static final Status NOT_READY =
      Status.UNAVAILABLE.withDescription("state is loading its RIB snapshot; retry");

  @Inject IngestPipeline pipeline;

  @Override
  public StreamObserver<RouteEventBatch> publish(StreamObserver<PublishAck> responses) {
    ServerCallStreamObserver<PublishAck> out = (ServerCallStreamObserver<PublishAck>) responses;
    if (!pipeline.ready()) {
      out.onError(NOT_READY.asRuntimeException());
      return new StreamObserver<>() {
        public void onNext(RouteEventBatch b) {}

        public void onError(Throwable t) {}

        public void onCompleted() {}
      };
    }
    out.disableAutoRequest();
    AtomicBoolean closed = new AtomicBoolean();
    pipeline.connected(+1);
    out.setOnCancelHandler(
        () -> {
          if (closed.compareAndSet(false, true)) {
            pipeline.connected(-1);
          }
        });
    out.request(pipeline.window());
    return new StreamObserver<>() {
      @Override
      public void onNext(RouteEventBatch batch) {
        pipeline.submit(
            batch,
            result -> {
              synchronized (out) {
                if (closed.get()) {
                  return;
                }
                if (result.error() != null) {
                  closed.set(true);
                  pipeline.connected(-1);
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
                out.request(1);
              }
            });
      }

      @Override
      public void onError(Throwable t) {
        LOG.debugf("publish stream ended by collector: %s", Status.fromThrowable(t));
        if (closed.compareAndSet(false, true)) {
          pipeline.connected(-1);
        }
      }

      @Override
      public void onCompleted() {
        synchronized (out) {
          if (closed.compareAndSet(false, true)) {
            pipeline.connected(-1);
            out.onCompleted();
          }
        }
      }
    };
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
            (id, seq) -> b.addPositions(StreamPosition.newBuilder().setStreamId(id).setSequence(seq)));
    out.onNext(b.build());
    out.onCompleted();
  }
}
