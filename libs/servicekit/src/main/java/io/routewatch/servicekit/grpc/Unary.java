package io.routewatch.servicekit.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * How every unary gRPC method of the services answers: the result, or the failure mapped to a
 * status the client can act on. {@link IllegalArgumentException} is the client's mistake
 * (INVALID_ARGUMENT with its message), a {@link StatusRuntimeException} passes through as it is
 * (e.g. NOT_FOUND, or UNAVAILABLE when a state shard did not answer), anything else is INTERNAL.
 */
public final class Unary {
  private Unary() {}

  public static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }
}
