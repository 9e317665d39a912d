package io.routewatch.state.request;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * One place that maps bad arguments to INVALID_ARGUMENT with the reason, for every gRPC face of
 * state (queries and shard to shard): {@link IllegalArgumentException} is the client's mistake, a
 * {@link io.grpc.StatusRuntimeException} (a shard did not answer) passes through, anything else is
 * INTERNAL.
 */
public final class Answers {
  private Answers() {}

  public static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (io.grpc.StatusRuntimeException e) {
      out.onError(e); // e.g. UNAVAILABLE: a state shard did not answer
      return;
    } catch (RuntimeException e) {
      out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }
}
