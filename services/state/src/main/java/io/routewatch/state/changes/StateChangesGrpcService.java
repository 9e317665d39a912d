package io.routewatch.state.changes;

import static io.routewatch.servicekit.grpc.Unary.answer;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.SetWatchedSpaceRequest;
import io.routewatch.proto.v1.SetWatchedSpaceResponse;
import io.routewatch.proto.v1.StateChangesGrpc;
import io.routewatch.proto.v1.SubscribeRequest;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Resumable change stream: replays committed journal entries after {@code from_sequence}, then
 * follows new ones. Holds no thread: {@link ChangeStreams} writes while the transport is ready
 * (back-pressure through {@code isReady}/{@code onReady}) and idles with heartbeats so a subscriber
 * can tell a quiet journal from a dead link. SetWatchedSpace tells the engine what the alert
 * service watches ({@link WatchedSpaceService}).
 */
@GrpcService
public class StateChangesGrpcService extends StateChangesGrpc.StateChangesImplBase {
  @Inject ChangeStreams streams;
  @Inject WatchedSpaceService watchedSpace;

  /**
   * On a worker thread: the space is handed to the engine under its write lock and kept in
   * PostgreSQL, neither of which may run on the event loop (there the save was refused as a
   * blocking call, so a restarted state came up watching nothing until the alert service called
   * again).
   */
  @Override
  @Blocking
  public void setWatchedSpace(
      SetWatchedSpaceRequest req, StreamObserver<SetWatchedSpaceResponse> out) {
    answer(out, () -> watchedSpace.set(req));
  }

  @Override
  public void subscribe(SubscribeRequest req, StreamObserver<Change> responses) {
    ServerCallStreamObserver<Change> out = (ServerCallStreamObserver<Change>) responses;
    // the connection's event loop (this method runs on it): writes made there go straight to
    // the stream, and isReady() is exact there; from another thread each write would be a task
    // queued on that loop, ahead of every query arriving on the connection
    Context transport = Vertx.currentContext();
    ChangeSubscription.Sink sink =
        new ChangeSubscription.Sink() {
          @Override
          public boolean ready() {
            return !out.isCancelled() && out.isReady();
          }

          @Override
          public void send(Change c) {
            out.onNext(c);
          }

          @Override
          public void fail(Status status) {
            out.onError(status.asRuntimeException());
          }

          @Override
          public void execute(Runnable task) {
            if (transport == null) {
              task.run(); // not on a Vert.x transport (an in-process server)
            } else {
              transport.runOnContext(v -> task.run());
            }
          }
        };
    // handlers first (gRPC takes them only during this call), then the first write
    AtomicReference<ChangeSubscription> sub = new AtomicReference<>();
    out.setOnCancelHandler(
        () -> {
          ChangeSubscription s = sub.get();
          if (s != null) {
            streams.close(s);
          }
        });
    out.setOnReadyHandler(
        () -> {
          ChangeSubscription s = sub.get();
          if (s != null) {
            streams.ready(s);
          }
        });
    try {
      sub.set(streams.open(req.getSubscriber(), req.getFromSequence(), sink));
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    if (out.isCancelled()) {
      streams.close(sub.get()); // cancelled before the handler could see it
    }
  }
}
